// `npm run bench -- sim [--duration-s 600] [--seed 1] [--info 0]`: the deterministic simulator in Node, one run of
// the shipped config/engine.toml on the synthetic scenario: market-data events per wall-clock second through the
// full decision core (book → Oracle → Sonar → execution, with the venue, flow and latency model running beside it),
// and all events per second. One JSON line (run.ts adds the machine). The browser figure (Chromium workers) is the
// playground's, not built yet.
import { readFileSync } from 'node:fs';
import { loadEngineConfig } from '../host/config/engine-config.js';
import { loadCostProfiles } from '../host/modules/cost-model.js';
import { compileCore } from '../host/core/core-loader.js';
import { prepareSimulation, runSimulation } from '../host/sim/sim-driver.js';
import { SimCounter } from '../build/core-constants.js';

export interface SimBenchOptions {
  /** Virtual seconds simulated. */
  readonly durationS: number;
  readonly seed: number;
  readonly info: number;
}

export interface SimBenchResult {
  readonly bench: 'sim';
  readonly runtime: 'node';
  readonly durationS: number;
  readonly seed: number;
  readonly info: number;
  readonly marketEvents: number;
  readonly marketEventsPerSecond: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly wallMs: number;
  /** Virtual seconds simulated per wall-clock second. */
  readonly speedup: number;
  readonly traceHash: string;
}

const ROOT = new URL('../../', import.meta.url);

export async function simBench(o: SimBenchOptions, progress: (s: string) => void): Promise<SimBenchResult> {
  const config = loadEngineConfig(readFileSync(new URL('config/engine.toml', ROOT), 'utf8'),
    loadCostProfiles(readFileSync(new URL('config/costs.toml', ROOT), 'utf8')));
  const sim = prepareSimulation(await compileCore(), config, { seed: o.seed, durationMs: Math.round(o.durationS * 1000), info: o.info });
  progress(`sim bench: ${o.durationS} virtual s, seed ${o.seed}, info ${o.info}`);
  const s = runSimulation(sim);
  const market = Number(sim.core.simCounter(sim.sim, SimCounter.MARKET_EVENTS));
  const wallS = s.wallMs / 1000;
  return {
    bench: 'sim', runtime: 'node', durationS: o.durationS, seed: o.seed, info: o.info,
    marketEvents: market, marketEventsPerSecond: wallS > 0 ? Math.round(market / wallS) : 0,
    events: s.events, eventsPerSecond: s.eventsPerSecond, wallMs: s.wallMs,
    speedup: wallS > 0 ? Math.round(o.durationS / wallS) : 0, traceHash: s.traceHash,
  };
}
