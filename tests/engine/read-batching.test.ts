// The fused hot path writes the orders of one market-data read together: the execution stage holds the
// decisions of a read's frames (MarketStage's onReadStart / onReadEnd → holdSends / releaseSends) and sends
// them in one socket write, at most HELD_MAX (8) decisions per write, so a later frame of a read does not
// wait behind the earlier frames' writes. Each decision's LATENCY record carries the T4 of the write that
// took its orders (never a time before its own T3), one record per decision. Scripted sockets, no venue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { createEngineMemory } from '../../host/engine/engine-memory.js';
import { ExecutionStage } from '../../host/engine/execution-stage.js';
import { MarketStage } from '../../host/engine/market-stage.js';
import { Ev, EventKind, RecordViews, controlWords } from '../../host/engine/stage-records.js';
import { hotClock } from '../../host/engine/hot-clock.js';
import { engineLogger } from '../../host/engine/engine-log.js';
import { MessageType, Side } from '../../host/protocol/index.js';
import { md } from '../testkit/md-server.js';
import { scriptedDialer } from '../testkit/scripted-socket.js';

async function setup(batch: boolean) {
  const profiles = loadCostProfiles(await readFile(new URL('../../../config/costs.toml', import.meta.url), 'utf8'));
  // The stress strategy sends a new order on every book update (and cancels its oldest past 8 working).
  const config = loadEngineConfig([
    '[engine]', 'symbols = ["AAA"]',
    '[execution]', 'targetOtr = false',
    '[execution.broker]', 'perSecond = 0', 'perMinute = 0', 'perDay = 0',
    '[execution.strategy]', 'kind = "stress"', 'window = 8',
  ].join('\n'), profiles);
  const clock = hotClock();
  const mem = await createEngineMemory(config, clock.nowNs());
  const { core, map } = mem.shared;
  const L = mem.layout;
  const views = new RecordViews(core);
  const control = controlWords(mem.shared.memory, L.control);
  const oe = scriptedDialer();
  const exec = new ExecutionStage({
    core, views, execState: L.exec, eventRing: L.events, control, books: L.books, oracles: L.oracles,
    scratch: L.hotScratch.offset, gateway: { port: 1, userId: 1, token: 't', dial: oe.dial }, clock,
    log: engineLogger('test', 'error'), flattenCollarTicks: 10,
  });
  const connected = exec.connect();
  const oeSocket = oe.last();
  oeSocket.acceptLogin();
  await connected;
  const writes: number[] = []; // NewOrders per OE write
  oeSocket.onWrite = (b) => {
    let n = 0;
    for (let at = 0; at + 16 <= b.length; at += b[at]! | (b[at + 1]! << 8)) if (b[at + 2] === MessageType.NewOrder) n++;
    writes.push(n);
  };
  const mdNet = scriptedDialer();
  const market: MarketStage = new MarketStage({
    core, symbols: L.symbols, books: map.books, oracles: L.oracles, scratch: L.feedScratch, host: '127.0.0.1', port: 1,
    clock, log: () => {}, dial: mdNet.dial,
  }, {
    onTick: (i) => exec.onBook(i, market.stamps),
    onDefine: (i, id, tick, lot) => exec.define(i, id, tick, lot),
    onStale: () => exec.releaseSends(),
    onTrade: (i, price, qty, t0) => exec.onTrade(i, price, qty, t0),
    ...(batch ? { onReadStart: () => exec.holdSends(), onReadEnd: () => exec.releaseSends() } : {}),
  });
  market.start();
  const mdSocket = mdNet.last();
  mdSocket.open();
  mdSocket.receive(Buffer.concat([
    md.def({ id: 1, count: 1, name: 'AAA', bandLow: 900, bandHigh: 1100, refPrice: 1000 }),
    md.snapshot(1, 0, [[999, 10]], [[1001, 10]]),
  ]));
  /** LATENCY records in the event ring (T0, T3, T4), the rest drained. */
  const latency = (): { t0: number; t3: number; t4: number }[] => {
    const out: { t0: number; t3: number; t4: number }[] = [];
    for (let at = core.ringPeek(L.events); at !== 0; at = core.ringPeek(L.events)) {
      if (views.u32[at >>> 2] === EventKind.LATENCY) {
        out.push({ t0: views.f64[(at + Ev.T0) >>> 3]!, t3: views.f64[(at + Ev.T3) >>> 3]!, t4: views.f64[(at + Ev.T4) >>> 3]! });
      }
      core.ringRelease(L.events);
    }
    return out;
  };
  latency();
  writes.length = 0;
  const close = (): void => {
    market.close();
    exec.gateway.destroy();
  };
  return { exec, mdSocket, writes, latency, close };
}

/** One read of `n` deltas alternating the sides of the touch (each a book update → one stress decision). */
function read(n: number): Buffer {
  const frames: Buffer[] = [];
  for (let i = 0; i < n; i++) frames.push(md.delta(1, i + 1, i & 1 ? Side.SELL : Side.BUY, i & 1 ? 1001 : 999, 11 + i));
  return Buffer.concat(frames);
}

test('fused: the decisions of one market-data read leave in one write per 8, each LATENCY with its write\'s T4', async () => {
  const s = await setup(true);
  const decisionsBefore = s.exec.sent[3]!;
  s.mdSocket.receive(read(20));
  const decisions = s.exec.sent[3]! - decisionsBefore;
  assert.equal(decisions, 20, 'one decision per book update');
  assert.deepEqual(s.writes, [8, 8, 4], 'NewOrders per write: 8 decisions held at most, the rest at the read\'s end');
  const recs = s.latency();
  assert.equal(recs.length, 20, 'one LATENCY record per decision');
  for (const r of recs) {
    assert.ok(r.t4 >= r.t3 && r.t3 >= r.t0, `T0 ${r.t0} ≤ T3 ${r.t3} ≤ T4 ${r.t4}`);
  }
  assert.equal(new Set(recs.slice(0, 8).map((r) => r.t4)).size, 1, 'the first 8 share their write\'s T4');
  assert.equal(new Set(recs.slice(16).map((r) => r.t4)).size, 1, 'the last 4 share theirs');
  assert.ok(recs[16]!.t4 >= recs[7]!.t4);
  s.close();
});

test('without the read hooks every decision writes at once (the modules Execution worker\'s way)', async () => {
  const s = await setup(false);
  s.mdSocket.receive(read(5));
  assert.deepEqual(s.writes, [1, 1, 1, 1, 1]);
  assert.equal(s.latency().length, 5);
  s.close();
});
