// The fused engine with its hot worker busy-polling its sockets ([workers.hot] wait = "spin", pinned to CPU 0)
// against a real venue pinned away from it (CPU 1): the hot thread really spins (many more polls than reads,
// a poll loop that yields every ms), both sockets are polled (the stopped line's spin figures), it trades, the 200 ms rule cancels on time (the deadline run from the loop, not a late timer),
// a kill halts it and cancels every working order, and SIGTERM stops it clean: exit 0, the segment gone,
// no thread left. The spinning thread lives a few seconds only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { startVenue, venueConfigToml, type LocalVenue } from '../../host/venue/venue-process.js';
import { ControlWriter, SegmentReader, mapSegmentFile } from '../../host/telemetry/index.js';
import { liveClock } from '../../host/platform/clock.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { readJournalFile } from '../../host/journal/journal-reader.js';
import { killAndCheckQuiet, startEngine } from '../testkit/engine-process.js';

const twoCores = os.cpus().length >= 2;

async function venue(t: import('node:test').TestContext, control = false): Promise<LocalVenue> {
  const v = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'alpha' }],
    symbols: [
      { name: 'AAA', refPrice: 10_000, bandLow: 9_000, bandHigh: 11_000, flowEventsPerSecond: 300, flowSeed: 5 },
      { name: 'BBB', refPrice: 20_000, bandLow: 18_000, bandHigh: 22_000, flowEventsPerSecond: 300, flowSeed: 6 },
    ],
    ordersPerSecond: 0,
  }), { cpus: [1], control });
  t.after(() => v.stop());
  return v;
}

const config = [
  '[engine]', 'topology = "fused"', 'symbols = ["AAA", "BBB"]', 'bookLevels = 4096',
  '[workers.hot]', 'cpus = [0]', 'wait = "spin"',
  '[workers.cool]', 'cpus = [1]',
  // The RTT lockdown is not under test here: on a loaded machine a few slow round trips could lock the engine down
  // in the middle of what is measured, so its threshold is lifted (see [execution.rttWatchdog] below).
  // The broker's 10 messages a second would hold cancels back for a slot (two symbols quoting and cancelling
  // every 200 ms need about 20): lifted, here and at the venue, so every TTL cancel leaves at its deadline.
  '[execution]', 'signalGain = 100', 'tradeRateFloor = 50', 'targetOtr = false',
  '[execution.broker]', 'perSecond = 0', 'perMinute = 0', 'perDay = 0',
  '[execution.rttWatchdog]', 'lockdownMs = 1000',
  '[execution.strategy]', 'threshold = 0',
].join('\n');

async function until(cond: () => boolean, ms: number, what: string | (() => string)): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** CPU time (user + system) of thread `tid` of process `pid`, in clock ticks (/proc/<pid>/task/<tid>/stat). */
function threadTicks(pid: number, tid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
}
const TICKS_PER_S = 100; // USER_HZ on Linux

test('fused, hot worker spinning: polls both sockets, trades, cancels at 200 ms, kill halts, stops clean', { timeout: 40_000, skip: twoCores ? false : 'needs 2 CPUs' }, async (t) => {
  const v = await venue(t);
  const engine = await startEngine(t, config, v);
  const hot = engine.ready.workers.find((w) => w.name === 'hot')!;
  assert.equal(hot.cpus, '0', 'the spinning worker is pinned');
  const pid = engine.proc.pid!;

  const hot0 = threadTicks(pid, hot.tid);
  await new Promise((r) => setTimeout(r, 1000));
  const hotCpu = (threadTicks(pid, hot.tid) - hot0) / TICKS_PER_S;
  // (Its share of CPU 0 depends on what else runs there: a diagnostic only; the loop's own counts below show it spun.)

  const sab = mapSegmentFile(engine.segment);
  const reader = new SegmentReader(sab, { clock: liveClock });
  const counters = () => reader.counters().values;
  await until(() => (counters()['orders'] ?? 0) >= 4 && (counters()['cancels'] ?? 0) >= 3, 12_000,
    () => `orders and TTL cancels (counters ${JSON.stringify(counters())}, state ${JSON.stringify(reader.tradingState().values)}, symbol 0 ${JSON.stringify(reader.symbol(0).values)}; stderr:\n${engine.stderr().slice(-2000)})`);
  assert.equal(reader.tradingState().values['state'], TradingState.ACTIVE);

  const { killAt, haltedAt } = await killAndCheckQuiet(sab, 500);

  const { code, signal, stopped } = await engine.stop();
  assert.equal(code, 0, `exit ${code} signal ${signal}; stderr:\n${engine.stderr()}`);
  assert.ok(stopped && stopped.engine === 'stopped');
  assert.ok(!existsSync(`/proc/${pid}`), 'the engine process and all its threads are gone');
  assert.ok(!existsSync(`/dev/shm${engine.segment}`), 'the segment is unlinked');
  const spin = stopped.spin?.['hot'];
  assert.ok(spin, `the stopped line has the hot worker's spin figures: ${JSON.stringify(stopped).slice(0, 300)}`);
  // (Slices are about 1 ms of wall time each on an idle core; far fewer when CPU 0 is shared under load.)
  assert.ok(spin['slices']! >= 10, `slices ${spin['slices']}: the loop yields to its event loop again and again`);
  assert.ok(spin['turns']! > 10 * spin['slices']!, `turns ${spin['turns']}: many polls per slice`);
  assert.ok(spin['turns']! > 10 * spin['reads']!, 'it polls far more often than bytes arrive: busy-polling');
  assert.ok(spin['reads']! >= 10, `reads ${spin['reads']}: market data and reports came through recvInto`);
  assert.equal(spin['socket0_attaches'], 1, 'market data taken over once');
  assert.equal(spin['socket1_attaches'], 1, 'order entry taken over once');
  assert.equal(spin['socket0_failures'], 0);
  assert.equal(spin['socket1_failures'], 0);
  assert.ok(stopped.latency!['tick_to_order_ns']!.count >= 3, 'tick-to-order recorded per decision');

  // The journal: orders only before the halt; each acked order ends cancelled or filled; TTL cancels at 200 ms.
  const records = [...readJournalFile(engine.journal).records()];
  const news = records.filter((r) => r.type === 'OrderNew');
  assert.ok(news.length >= 3);
  for (const r of news) assert.ok(r.timestampNs < haltedAt, `order ${r.fields['clOrdId']} sent after the halt`);
  const acked = new Map(records.filter((r) => r.type === 'Ack').map((r) => [r.fields['clOrdId'], r.timestampNs]));
  const ended = new Set(records.filter((r) => r.type === 'Canceled').map((r) => r.fields['clOrdId']));
  for (const r of records.filter((x) => x.type === 'Fill' && x.fields['leavesQty'] === 0)) ended.add(r.fields['clOrdId']);
  for (const id of acked.keys()) {
    if (news.some((n) => n.fields['clOrdId'] === id)) assert.ok(ended.has(id), `order ${id} still working at the end`);
  }
  const ttl = records.filter((r) => r.type === 'OrderCancel' && r.timestampNs < killAt && acked.has(r.fields['origClOrdId']))
    .map((r) => (r.timestampNs - acked.get(r.fields['origClOrdId'])!) / 1e6).sort((a, b) => a - b);
  t.diagnostic(`hot thread CPU ${hotCpu} s of 1 s; spin ${JSON.stringify(spin)}; TTL cancels after ack (ms) ${ttl.map((x) => x.toFixed(1)).join(' ')}`);
  assert.ok(ttl.length >= 1, 'a 200 ms cancel before the halt');
  assert.ok(ttl[0]! >= 199.9, `a cancel ${ttl[0]} ms after its ack`);
  // A spinning thread that shares its core under load is preempted for tens of ms at a time (the kernel gives
  // it its fair share; a sleeping thread it wakes at once): on a loaded machine the bounds are loose. On a
  // free core the cancels leave at 200 ms + about a ms.
  assert.ok(ttl[0]! < 250, `the first cancel ${ttl[0]} ms after its ack: the loop runs the due deadline`);
  assert.ok(ttl[Math.floor(ttl.length / 2)]! < 300, `median cancel ${ttl[Math.floor(ttl.length / 2)]} ms after its ack (${ttl.join(', ')})`);
});

// Modules: one socket worker spinning on CPU 0 (execution: OE socket + the Oracle worker's tick ring; oracle: the
// MD socket), every other worker on CPU 1 with the venue.
for (const spinner of ['execution', 'oracle'] as const) {
  test(`modules, ${spinner} worker spinning: trades, kill halts, stops clean`, { timeout: 40_000, skip: twoCores ? false : 'needs 2 CPUs' }, async (t) => {
    const v = await venue(t);
    const others = (['oracle', 'execution', 'sonar', 'sentinel'] as const).filter((w) => w !== spinner);
    const toml = config.replace('topology = "fused"', 'topology = "modules"')
      .replace("[workers.hot]\ncpus = [0]\nwait = \"spin\"\n[workers.cool]\ncpus = [1]",
        [`[workers.${spinner}]`, 'cpus = [0]', 'wait = "spin"', ...others.flatMap((w) => [`[workers.${w}]`, 'cpus = [1]'])].join('\n'));
    assert.match(toml, new RegExp(`\\[workers\\.${spinner}\\]\ncpus = \\[0\\]\nwait = "spin"`));
    const engine = await startEngine(t, toml, v);
    assert.equal(engine.ready.workers.find((w) => w.name === spinner)!.cpus, '0');
    const sab = mapSegmentFile(engine.segment);
    const reader = new SegmentReader(sab, { clock: liveClock });
    const counters = () => reader.counters().values;
    await until(() => (counters()['orders'] ?? 0) >= 3 && (counters()['cancels'] ?? 0) >= 2, 12_000,
      () => `orders and TTL cancels (counters ${JSON.stringify(counters())}, symbol 0 ${JSON.stringify(reader.symbol(0).values)})`);
    const control = new ControlWriter(sab);
    control.kill();
    await until(() => control.killSeen(), 2000, 'the kill acknowledged');
    assert.equal(reader.tradingState().values['state'], TradingState.HALTED);
    await new Promise((r) => setTimeout(r, 500));
    const ordersAtHalt = counters()['orders'];
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(counters()['orders'], ordersAtHalt, 'no new order after the halt');

    const pid = engine.proc.pid!;
    const { code, stopped } = await engine.stop();
    assert.equal(code, 0, `stderr:\n${engine.stderr()}`);
    assert.ok(!existsSync(`/proc/${pid}`), 'the engine process and all its threads are gone');
    const spin = stopped?.spin?.[spinner];
    assert.ok(spin, `the ${spinner} worker's spin figures: ${JSON.stringify(stopped).slice(0, 300)}`);
    t.diagnostic(`spin ${JSON.stringify(spin)}`);
    assert.equal(spin['socket0_attaches'], 1, 'its one socket taken over once');
    assert.equal(spin['socket1_attaches'], undefined, 'one socket only');
    assert.equal(spin['socket0_failures'], 0);
    assert.ok(spin['reads']! >= 1 && spin['turns']! > 10 * spin['reads']!, 'busy-polling that read bytes');
    const others2 = Object.keys(stopped!.spin!).filter((w) => w !== spinner);
    assert.deepEqual(others2, [], 'no other worker spun');
  });
}

test('fused, hot worker spinning: the venue cuts market data; the polled socket sees the close, the feed reconnects, is polled again and trading resumes', { timeout: 40_000, skip: twoCores ? false : 'needs 2 CPUs' }, async (t) => {
  const v = await venue(t, true);
  const engine = await startEngine(t, config, v);
  const reader = new SegmentReader(mapSegmentFile(engine.segment), { clock: liveClock });
  const counters = () => reader.counters().values;
  await until(() => (counters()['orders'] ?? 0) >= 2, 12_000, () => `orders (counters ${JSON.stringify(counters())})`);
  const cut = await v.disconnect('md');
  assert.ok(cut.md >= 1, 'the engine\'s MD connection was cut');
  await new Promise((r) => setTimeout(r, 300));
  const ordersAfterCut = counters()['orders']!;
  await until(() => counters()['orders']! > ordersAfterCut, 15_000, () => `an order after the reconnect (counters ${JSON.stringify(counters())})`);
  assert.ok((await v.stats()).md_subscribers >= 1, 'the engine subscribed again');
  const { code, stopped } = await engine.stop();
  assert.equal(code, 0, `stderr:\n${engine.stderr()}`);
  const spin = stopped?.spin?.['hot'];
  assert.ok(spin, JSON.stringify(stopped).slice(0, 300));
  t.diagnostic(`spin ${JSON.stringify(spin)}`);
  assert.ok(spin['socket0_failures']! >= 1, 'the poller saw the market-data socket close');
  assert.ok(spin['socket0_attaches']! >= 2, 'the new market-data socket was taken over again');
  assert.equal(spin['socket1_attaches'], 1, 'order entry stayed on its one socket');
  assert.equal(spin['socket1_failures'], 0);
});
