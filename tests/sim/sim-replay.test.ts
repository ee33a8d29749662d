// The replay scenarios (docs/sim.md, "Replay scenarios"): the LOBSTER and Binance recordings replace the synthetic
// venue. Each produces orders and fills; the same inputs give the same decision-trace hash twice and a changed
// parameter a different one; the run ends at the duration or the recording's end and says which; the contract is
// the venue's replay configuration's; a marketable order fills against the recorded levels, price by price; bad
// options are refused naming the option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadVenueConfig } from '../../host/venue/venue-config.js';
import { prepareSimulation, runSimulation } from '../../host/sim/sim-driver.js';
import { loadReplayEvents } from '../../host/sim/replay-fixtures.js';
import { REPLAY_CONTRACTS } from '../../host/sim/replay-scenario.js';
import { L2EventKind, L2EventWriter, type L2Events } from '../../host/sim/l2-events.js';
import type { SimOptions } from '../../host/sim/sim-options.js';
import type { SimSummary } from '../../host/sim/sim-summary.js';
import type { EngineConfig } from '../../host/config/engine-config.js';
import { SimCounter, SimEvent } from '../../build/core-constants.js';
import { runCli } from '../testkit/cli.js';
import { coreModule, deterministicPart, engineConfig, ENGINE_TOML } from './sim-setup.js';

const recordings = new Map<string, Promise<L2Events>>();
function recordingOf(kind: 'lobster' | 'binance'): Promise<L2Events> {
  if (!recordings.has(kind)) recordings.set(kind, loadReplayEvents(kind));
  return recordings.get(kind)!;
}

async function replay(kind: 'lobster' | 'binance', options: Partial<SimOptions> = {}, config: EngineConfig = engineConfig()): Promise<SimSummary> {
  return runSimulation(prepareSimulation(await coreModule(), config, { scenario: kind, ...options }, await recordingOf(kind)));
}

/** The documented override for BTCUSDT: the shipped WOBI's NEV is ≤ 0 there (a one-tick edge on a 0.01 USDT tick
 *  never pays the charges on a whole-BTC price per 0.00001 BTC lot), so it quotes rarely and is never filled.
 *  The stress strategy quotes one tick behind the touch regardless (docs/sim.md). */
const STRESS = (toml: string): string => toml.replace(/^kind = "wobi".*$/m, 'kind = "stress"\nwindow = 4\noffsetTicks = 1');

test('lobster with the shipped config: orders and fills; the whole recording runs', async () => {
  const s = await replay('lobster');
  assert.equal(s.scenario, 'lobster');
  assert.equal(s.queueModel, 'conservative');
  assert.ok(s.orders > 0, `orders ${s.orders}`);
  assert.ok(s.fills > 0, `fills ${s.fills}`);
  assert.equal(s.endedBy, 'recording');
  assert.equal(s.recording!.symbol, 'AAPL');
  assert.equal(s.recording!.replayed, s.recording!.records);
  assert.ok(Math.abs(s.recording!.spanMs - 49_082.13) < 0.01, `span ${s.recording!.spanMs}`);
  assert.ok(s.durationMs > s.recording!.spanMs && s.durationMs < s.recording!.spanMs + 2, `duration ${s.durationMs}`);
  assert.equal(s.pnlAfterCostsPaise, s.pnlBeforeCostsPaise - s.chargesPaise.total);
});

test('binance: the shipped WOBI sends orders; with the stress override they fill', async () => {
  const shipped = await replay('binance');
  assert.ok(shipped.orders > 0, `orders ${shipped.orders}`);
  const s = await replay('binance', {}, engineConfig(STRESS));
  assert.equal(s.recording!.symbol, 'BTCUSDT');
  assert.ok(s.orders > 0 && s.fills > 0, `orders ${s.orders}, fills ${s.fills}`);
  assert.equal(s.recording!.replayed, s.recording!.records);
});

test('same inputs, same hash twice on each replay scenario; a changed parameter, a different hash', async () => {
  const threshold = (t: string): string => t.replace(/^threshold = 0\.1 /m, 'threshold = 0.2 ');
  for (const kind of ['lobster', 'binance'] as const) {
    const base = kind === 'binance' ? engineConfig(STRESS) : engineConfig();
    const a = await replay(kind, { seed: 7 }, base);
    const b = await replay(kind, { seed: 7 }, base);
    assert.deepEqual(deterministicPart(a), deterministicPart(b), kind);
    assert.ok(a.traceCommands > 0, kind);
    const changed = kind === 'binance'
      ? await replay(kind, { seed: 7, latencyMs: 3 }, base)
      : await replay(kind, { seed: 7 }, engineConfig(threshold));
    assert.notEqual(changed.traceHash, a.traceHash, `${kind}: a changed parameter changes the hash`);
  }
  // The queue model decides fills, and the fills the decisions after them: with quotes that rest long enough
  // (a 10 s TTL; at 200 ms the shipped WOBI's quotes on AAPL fill alike under every model) the power model's
  // split fills one more order than the conservative model.
  const longTtl = engineConfig((t) => t.replace(/^ttlMs = 200 .*$/m, 'ttlMs = 10000'));
  const cons = await replay('lobster', { queueModel: 'conservative' }, longTtl);
  const power = await replay('lobster', { queueModel: 'power' }, longTtl);
  assert.notEqual(power.traceHash, cons.traceHash);
  assert.ok(power.fills > cons.fills, `power ${power.fills} fills, conservative ${cons.fills}`);
});

test('a duration shorter than the recording ends the run there, and the summary says so', async () => {
  const s = await replay('lobster', { durationMs: 10_000 });
  assert.equal(s.endedBy, 'duration');
  assert.equal(s.durationMs, 10_000);
  assert.ok(s.recording!.replayed < s.recording!.records && s.recording!.replayed > 0);
});

test('each recording\'s contract is the venue\'s replay configuration\'s', () => {
  for (const [kind, contract] of Object.entries(REPLAY_CONTRACTS)) {
    const file = fileURLToPath(new URL(`../../../config/venue-replay-${kind}.toml`, import.meta.url));
    const venue = loadVenueConfig(readFileSync(file, 'utf8'), file);
    const sym = venue.symbols.find((x) => x.name === contract.name);
    assert.ok(sym, `${kind}: ${contract.name} in ${file}`);
    assert.equal(sym!.tickPaise, contract.tickPaise, kind);
    assert.equal(sym!.lotSize, contract.lotSize, kind);
  }
});

test('a marketable order fills at once against the recorded levels, price by price; the IOC rest is cancelled', async () => {
  // Book: asks 101 × 4, 102 × 5, 104 × 7. Our BUY IOC 12 @ 103, queued by the test as if the core had sent it:
  // 4 @ 101, 5 @ 102, then nothing at 103: 3 lots cancelled. A cancel of it afterwards is unknown to the venue.
  const w = new L2EventWriter();
  for (const [p, q] of [[99, 5], [100, 3]]) w.push(0, L2EventKind.LEVEL, 0, p, q);
  for (const [p, q] of [[101, 4], [102, 5], [104, 7]]) w.push(0, L2EventKind.LEVEL, 1, p, q);
  w.push(5_000_000_000, L2EventKind.LEVEL, 0, 99, 6);
  const config = engineConfig((t) => t.replace(/^kind = "wobi".*$/m, 'kind = "none"'));
  const sim = prepareSimulation(await coreModule(), config, { scenario: 'lobster', latencyMs: 1 }, w.finish('book', ''));
  const { core } = sim;
  const q = core.simQueueAddress(sim.sim);
  const at = 1_000_000_000n + 10_000_000n;
  const x = 0 | (0 << 8) | (1 << 16); // BUY, LIMIT, IOC
  core.simQueuePush(q, at, SimEvent.ORDER, 1 /* NEW */, 0, 777n, 0n, 103, 12, x, 0);
  core.simQueuePush(q, at + 1_000_000n, SimEvent.ORDER, 2 /* CANCEL */, 0, 778n, 777n, 103, 3, 0, 0);
  const fills: number[] = [];
  let seen = 0;
  while (core.simRun(sim.sim, 1) > 0) {
    const n = Number(core.simCounter(sim.sim, SimCounter.FILLS));
    if (n > seen) {
      fills.push(n - seen);
      seen = n;
    }
  }
  // Two fill reports (101 and 102) at the one venue event; turnover says their prices: 4·101 + 5·102 ticks of 1 paise.
  assert.deepEqual(fills, [2]);
  assert.equal(Number(core.simCounter(sim.sim, SimCounter.ORDERS_FILLED)), 1);
  const turnover = Number(new BigInt64Array(sim.memory.buffer, core.simChargesAddress(sim.sim), 8)[7]);
  assert.equal(turnover, 4 * 101 + 5 * 102);
});

test('sim CLI: replay options are checked and named; a replay prints its summary', async () => {
  const config = fileURLToPath(ENGINE_TOML);
  const bad: [string[], RegExp][] = [
    [['--scenario', 'lobster', '--queue-model', 'fifo'], /queue-model must be one of conservative, power, log, got "fifo"/],
    [['--scenario', 'lobster', '--queue-model', 'power', '--queue-exponent', '0'], /queue-exponent must be a number in \(0, 16\], got 0/],
    [['--scenario', 'lobster', '--queue-exponent', '2'], /queue-exponent must be left out unless queue-model is power, got 2/],
    [['--scenario', 'binance', '--info', '1'], /info must be 0 with a replay scenario/],
  ];
  for (const [args, message] of bad) {
    const run = await runCli('sim', ['--config', config, ...args]);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '');
  }
  const run = await runCli('sim', ['--config', config, '--scenario', 'lobster', '--queue-model', 'log', '--duration', '20s']);
  assert.equal(run.code, 0, run.stderr);
  const s = JSON.parse(run.stdout) as SimSummary;
  assert.equal(s.scenario, 'lobster');
  assert.equal(s.queueModel, 'log');
  assert.equal(s.endedBy, 'duration');
  assert.equal(s.durationMs, 20_000);
});
