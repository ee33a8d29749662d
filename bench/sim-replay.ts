// The replay half of `npm run bench -- sim`: one run of the shipped config/engine.toml on the Binance replay
// scenario (fixtures/binance, 135 848 L2 records over 5 min 46 s) in Node: recorded records per wall-clock second
// (each one walked in core memory, applied to the recorded book and the queue model, and handed to the strategy),
// market-data events per second through the full decision core, all events per second. One JSON line of its own.
import { readFileSync } from 'node:fs';
import { loadEngineConfig } from '../host/config/engine-config.js';
import { loadCostProfiles } from '../host/modules/cost-model.js';
import { compileCore } from '../host/core/core-loader.js';
import { prepareSimulation, runSimulation } from '../host/sim/sim-driver.js';
import { loadReplayEvents } from '../host/sim/replay-fixtures.js';
import { SimCounter } from '../build/core-constants.js';

export interface SimReplayBenchResult {
  readonly bench: 'sim-replay';
  readonly runtime: 'node';
  readonly scenario: 'binance';
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly marketEvents: number;
  readonly marketEventsPerSecond: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly wallMs: number;
  readonly traceHash: string;
}

const ROOT = new URL('../../', import.meta.url);

export async function simReplayBench(progress: (s: string) => void): Promise<SimReplayBenchResult> {
  const config = loadEngineConfig(readFileSync(new URL('config/engine.toml', ROOT), 'utf8'),
    loadCostProfiles(readFileSync(new URL('config/costs.toml', ROOT), 'utf8')));
  const events = await loadReplayEvents('binance');
  const sim = prepareSimulation(await compileCore(), config, { scenario: 'binance', durationMs: 3_600_000 }, events);
  progress(`sim bench: the binance replay, ${events.count} records`);
  const s = runSimulation(sim);
  const market = Number(sim.core.simCounter(sim.sim, SimCounter.MARKET_EVENTS));
  const wallS = s.wallMs / 1000;
  const records = s.recording!.replayed;
  return {
    bench: 'sim-replay', runtime: 'node', scenario: 'binance', records,
    recordsPerSecond: wallS > 0 ? Math.round(records / wallS) : 0,
    marketEvents: market, marketEventsPerSecond: wallS > 0 ? Math.round(market / wallS) : 0,
    events: s.events, eventsPerSecond: s.eventsPerSecond, wallMs: s.wallMs, traceHash: s.traceHash,
  };
}
