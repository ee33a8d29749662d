// The monitor's HTTP side against a fake engine (a real segment answered by the engine's ControlResponder):
// control needs the token and reaches the engine; bad requests get 400 naming what is wrong; reads show the
// engine, its journal and Prometheus metrics; the engine going down and a new one coming up are followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlAction } from '../../host/journal/records.js';
import { openJournal } from '../../host/journal/journal-writer.js';
import { Side, TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { ExecParam } from '../../host/modules/execution.js';
import { liveClock } from '../../host/platform/clock.js';
import { unlinkShared } from '../../host/platform/native.js';
import { LatencyHistograms, SEGMENT_BYTES, ensureControlToken, segmentPath } from '../../host/telemetry/index.js';
import { createMonitor, type Monitor } from '../../monitor/monitor-app.js';
import { fakeEngine, type FakeEngine } from '../testkit/fake-engine.js';

let n = 0;
const uniqueName = (): string => `/tradecore-monitor-test-${process.pid}-${n++}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Rig { monitor: Monitor; base: string; token: string; engine: FakeEngine; segment: string; journal: string; dir: string }

async function rig(t: { after(fn: () => unknown): void }, options: { downAfterMs?: number; controlTimeoutMs?: number } = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-monitor-'));
  const token = ensureControlToken(join(dir, 'ctl'));
  const segment = uniqueName();
  const engine = fakeEngine(segment, token, (key, value) => (key === ExecParam.QTY && value > 100 ? -1 : 0));
  const journal = join(dir, 'engine.journal');
  const monitor = createMonitor({
    segment, journal, controlDir: join(dir, 'ctl'), symbols: ['RELIANCE', 'INFY'], clock: liveClock, cockpitDir: null,
    openReads: true, downAfterMs: options.downAfterMs ?? 300, controlTimeoutMs: options.controlTimeoutMs ?? 1000,
  });
  await monitor.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = monitor.app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  t.after(async () => {
    engine.stop();
    await monitor.close();
    unlinkShared(segment);
    rmSync(dir, { recursive: true, force: true });
  });
  return { monitor, base, token, engine, segment, journal, dir };
}

async function call(r: Rig, method: string, path: string, body?: unknown, token: string | null = r.token): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(r.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: any = text;
  try { json = JSON.parse(text); } catch { /* not JSON: keep the text */ }
  return { status: res.status, json, headers: res.headers };
}

test('control needs the engine\'s token; kill, flatten, reset and parameters reach the engine and are answered', async (t) => {
  const r = await rig(t);
  const state = (): [number, number] => {
    const v = r.engine.reader.tradingState().values;
    return [v.state!, v.reason!];
  };
  for (const path of ['/api/kill', '/api/flatten', '/api/reset', '/api/params']) {
    const none = await call(r, 'POST', path, {}, null);
    assert.equal(none.status, 401, `${path} without a token`);
    assert.match(none.json.message, /control token/);
    const wrong = await call(r, 'POST', path, {}, '0'.repeat(32));
    assert.equal(wrong.status, 401, `${path} with a wrong token`);
  }
  assert.equal(r.engine.control.killSet(), false, 'nothing was written without the token');

  const kill = await call(r, 'POST', '/api/kill');
  assert.equal(kill.status, 200, JSON.stringify(kill.json));
  assert.equal(kill.json.ok, true);
  assert.equal(kill.json.state, TradingState.HALTED);
  assert.equal(kill.json.reason, TradingStateReason.KILL);
  assert.ok(kill.json.ms >= 0 && kill.json.ms < 1000, `answered in ${kill.json.ms} ms`);
  assert.deepEqual(state(), [TradingState.HALTED, TradingStateReason.KILL]);

  const badCollar = await call(r, 'POST', '/api/flatten', { collarTicks: -1 });
  assert.equal(badCollar.status, 400);
  assert.match(badCollar.json.message, /collarTicks must be >= 0/);
  const extra = await call(r, 'POST', '/api/flatten', { collar: 5 });
  assert.equal(extra.status, 400, 'an unknown field is refused, not ignored');
  const flatten = await call(r, 'POST', '/api/flatten', { collarTicks: 5 });
  assert.equal(flatten.status, 200, JSON.stringify(flatten.json));
  assert.deepEqual(r.engine.collars, [5], 'flatten works in HALTED, collar delivered');

  const noConfirm = await call(r, 'POST', '/api/reset', {});
  assert.equal(noConfirm.status, 400);
  assert.match(noConfirm.json.message, /confirm/);
  const lower = await call(r, 'POST', '/api/reset', { confirm: 'reset' });
  assert.equal(lower.status, 400);
  assert.match(lower.json.message, /typed confirmation/);
  assert.deepEqual(state(), [TradingState.HALTED, TradingStateReason.KILL], 'no reset without the typed confirmation');
  const reset = await call(r, 'POST', '/api/reset', { confirm: 'RESET' });
  assert.equal(reset.status, 200, JSON.stringify(reset.json));
  assert.deepEqual(state(), [TradingState.ACTIVE, TradingStateReason.RESET]);

  const outside = await call(r, 'POST', '/api/params', { key: 'execution.strategy.threshold', value: 2 });
  assert.equal(outside.status, 400);
  assert.match(outside.json.message, /execution\.strategy\.threshold must be a number in \[0, 1\]/);
  const unknown = await call(r, 'POST', '/api/params', { key: 'execution.nope', value: 1 });
  assert.equal(unknown.status, 400);
  assert.match(unknown.json.message, /unknown parameter "execution\.nope"; tunable live: .*execution\.strategy\.threshold/);
  const notInt = await call(r, 'POST', '/api/params', { key: 'execution.strategy.qty', value: 1.5 });
  assert.equal(notInt.status, 400);
  const threshold = await call(r, 'POST', '/api/params', { key: 'execution.strategy.threshold', value: 0.25 });
  assert.equal(threshold.status, 200, JSON.stringify(threshold.json));
  const ttl = await call(r, 'POST', '/api/params', { key: 'execution.ttlAction', value: 'reprice' });
  assert.equal(ttl.status, 200, JSON.stringify(ttl.json));
  const refused = await call(r, 'POST', '/api/params', { key: 'execution.strategy.qty', value: 500 });
  assert.equal(refused.status, 422, 'the engine\'s refusal is passed on');
  assert.equal(refused.json.ok, false);
  assert.equal(refused.json.why, 'refused');
  assert.deepEqual(r.engine.params, [{ key: ExecParam.THRESHOLD_MILLI, value: 250 }, { key: ExecParam.TTL_ACTION, value: 1 }]);

  assert.deepEqual(r.engine.journal.map((j) => [j.action, j.accepted]), [
    [ControlAction.KILL, true], [ControlAction.FLATTEN, true], [ControlAction.RESET, true],
    [ControlAction.PARAMS, true], [ControlAction.PARAMS, true], [ControlAction.PARAMS, false],
  ], 'the engine journaled every request that reached it, and only those');
});

test('reads: state, journal since a time, Prometheus metrics, isolation headers', async (t) => {
  const r = await rig(t);
  r.engine.pub.publishTradingState(TradingState.REDUCING, TradingStateReason.RTT_LOCKDOWN);
  r.engine.pub.publishCounters({ orders: 7, fills: 3, cancels: 4, rejects: 1 });
  r.engine.pub.publishMarket(0, { symbolId: 7, bidPrice: 100, bidQty: 5, askPrice: 101, askQty: 6, wobiBp: [], imbalanceBp: 0, signalBp: 0, regime: 0, entropyMilli: 0 }, 1);
  r.engine.pub.publishSymbolName(0, 'RELIANCE');
  r.engine.pub.publishOrderRates(0, 7, 3, 4, 1);
  const h = new LatencyHistograms();
  for (const rtt of [0.5e6, 25e6]) h.recordRtt(rtt);
  for (const t4 of [40e3, 150e3, 180e3]) h.record(1000, 0, 0, 0, 1000 + t4, 0);
  r.engine.pub.publishLatency(h);
  const j = openJournal(r.journal, { fsync: 'none' });
  j.OrderNew(1000, 1, 7, Side.BUY, 1, 0, 2500, 10);
  j.Ack(2000, 1, 99, 7);
  j.Fill(3000, 1, 5, 7, Side.BUY, 2500, 10, 0, 1234);
  j.flush();

  const s = await call(r, 'GET', '/api/state', undefined, null);
  assert.equal(s.status, 200);
  assert.equal(s.json.link.status, 'up');
  assert.equal(s.json.link.pid, process.pid);
  assert.deepEqual(s.json.symbols, ['RELIANCE', 'INFY']);
  assert.equal(s.json.view.state.state, TradingState.REDUCING);
  assert.equal(s.json.view.counters.orders, 7);
  assert.equal(s.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(s.headers.get('cross-origin-embedder-policy'), 'require-corp');

  const all = await call(r, 'GET', '/api/journal?since=0', undefined, null);
  assert.equal(all.status, 200);
  assert.deepEqual(all.json.records.map((x: any) => x.type), ['order-new', 'ack', 'fill']);
  assert.equal(all.json.records[2].charges_rupees, '12.34');
  const later = await call(r, 'GET', '/api/journal?since=1500', undefined, null);
  assert.deepEqual(later.json.records.map((x: any) => x.timestamp_ns), [2000, 3000]);
  j.Canceled(4000, 2, 7, 1, 5);
  j.flush();
  const tail = await call(r, 'GET', '/api/journal?since=3000', undefined, null);
  assert.deepEqual(tail.json.records.map((x: any) => x.type), ['canceled'], 'records appended later are read');
  j.close();
  const bad = await call(r, 'GET', '/api/journal?since=yesterday', undefined, null);
  assert.equal(bad.status, 400);
  assert.match(bad.json.message, /since/);

  const m = await call(r, 'GET', '/metrics', undefined, null);
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type') ?? '', /text\/plain/);
  const text = m.json as string;
  assert.match(text, /^tradecore_engine_up 1$/m);
  assert.match(text, /^tradecore_trading_state\{state="REDUCING"\} 1$/m);
  assert.match(text, /^tradecore_trading_state\{state="ACTIVE"\} 0$/m);
  assert.match(text, /^tradecore_orders_total\{symbol="RELIANCE"\} 7$/m);
  assert.match(text, /^tradecore_fills_total\{symbol="RELIANCE"\} 3$/m);
  assert.match(text, /^tradecore_cancels_total\{symbol="RELIANCE"\} 4$/m);
  assert.match(text, /^tradecore_rejects_total\{symbol="RELIANCE"\} 1$/m);
  assert.match(text, /^# TYPE tradecore_rtt_seconds histogram$/m);
  assert.match(text, /^tradecore_rtt_seconds_count 2$/m);
  assert.match(text, /^tradecore_rtt_seconds_bucket\{le="0.001"\} 1$/m);
  assert.match(text, /^tradecore_rtt_seconds_bucket\{le="0.02"\} 1$/m);
  assert.match(text, /^tradecore_rtt_seconds_bucket\{le="0.05"\} 2$/m);
  assert.match(text, /^tradecore_rtt_seconds_bucket\{le="\+Inf"\} 2$/m);
  assert.match(text, /^tradecore_rtt_seconds_sum 0.0255$/m);
  // Tick-to-order 40, 150, 180 µs: one within 50 µs, all within 200 µs.
  assert.match(text, /^tradecore_tick_to_order_seconds_bucket\{le="0.00005"\} 1$/m);
  assert.match(text, /^tradecore_tick_to_order_seconds_bucket\{le="0.0001"\} 1$/m);
  assert.match(text, /^tradecore_tick_to_order_seconds_bucket\{le="0.0002"\} 3$/m);
  const m2 = text;
  let promtool = true;
  try { execFileSync('promtool', ['--version'], { stdio: 'ignore' }); } catch { promtool = false; }
  if (promtool) {
    const file = join(r.dir, 'metrics.txt');
    writeFileSync(file, m2);
    execFileSync('sh', ['-c', `promtool check metrics < ${file}`]);
  }

  const page = await call(r, 'GET', '/', undefined, null);
  assert.equal(page.status, 200);
  assert.match(page.json, /npm run build/, 'without a built cockpit the page says how to build it');
});

test('the engine going down, a new engine coming up, and a segment this build cannot read', async (t) => {
  const r = await rig(t, { downAfterMs: 200, controlTimeoutMs: 300 });
  assert.equal((await call(r, 'GET', '/api/state')).json.link.status, 'up');
  r.engine.stop();
  await sleep(450);
  const down = (await call(r, 'GET', '/api/state')).json;
  assert.equal(down.link.status, 'down');
  assert.match(down.link.detail, /no heartbeat for/);
  const flatten = await call(r, 'POST', '/api/flatten', {});
  assert.equal(flatten.status, 503, 'nothing is sent to a stopped engine');
  assert.match(flatten.json.message, /not running/);
  const kill = await call(r, 'POST', '/api/kill');
  assert.equal(kill.status, 504, 'the kill is written, but nobody answers');
  assert.equal(r.engine.control.killSet(), true, 'the kill word waits for the engine: it halts when it comes back');

  // A clean stop removes the segment; a new engine creates a new one under the same name.
  unlinkShared(r.segment);
  await sleep(50);
  assert.equal((await call(r, 'GET', '/api/state')).json.link.status, 'down');
  const next = fakeEngine(r.segment, r.token);
  t.after(() => next.stop());
  await sleep(700);
  const up = (await call(r, 'GET', '/api/state')).json;
  assert.equal(up.link.status, 'up', JSON.stringify(up.link));
  assert.equal(up.link.attaches, 2);
  const killed = await call(r, 'POST', '/api/kill');
  assert.equal(killed.status, 200, 'control reaches the new engine');

  // Not a segment of this layout.
  next.stop();
  unlinkShared(r.segment);
  writeFileSync(segmentPath(r.segment), Buffer.alloc(SEGMENT_BYTES));
  await sleep(900);
  const odd = (await call(r, 'GET', '/api/state')).json;
  assert.equal(odd.link.status, 'incompatible', JSON.stringify(odd.link));
  assert.match(odd.link.detail, /not a tradecore telemetry segment/);
});
