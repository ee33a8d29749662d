// A simulation run to its end as runSimulationAsync runs it (sim-driver.ts), also sampling each symbol's last
// NEV (paise, the execution core's execSymbolNev) between chunks, for the playground's NEV distribution. The
// core keeps no NEV history, and the simulator's core is not changed for a chart: sampling between chunks sees
// the NEV of the last evaluation at each sample, not every evaluation. A chunk's size does not change the run
// (simRun stops after a whole event), so the decision-trace hash is the one runSimulation gives. Browser-safe.
import { SimCounter } from '../../build/core-constants.js';
import type { Simulation } from './simulation.js';
import { buildSummary, equityCurve, type SimSummary } from './sim-summary.js';

export interface SampledRun {
  readonly summary: SimSummary;
  /** Equity after costs, paise, one sample per summary.equitySampleMs of virtual time. */
  readonly equityPaise: number[];
  /** Each symbol's last NEV (paise) after each chunk, when it changed since the previous sample. */
  readonly nevPaise: number[];
  /** Market events the venue's flow produced (the figure the sim bench rates). */
  readonly marketEvents: number;
  /** Wall-clock ms spent inside simRun (summary.wallMs, unrounded). */
  readonly runMs: number;
}

/** Events per simRun call while sampling: NEV is read once per chunk. */
export const NEV_CHUNK_EVENTS = 5_000;

function fraction(s: Simulation): number {
  const end = Number(s.core.simEnd(s.sim));
  const start = end - s.options.durationMs * 1e6;
  return Math.min(1, Math.max(0, (Number(s.core.simNow(s.sim)) - start) / (end - start)));
}

/** Runs `s` to its end; progress (fraction of the virtual duration) at most every `progressMs` of wall time. */
export async function runSampled(s: Simulation, onProgress?: (fraction: number) => void, chunk = NEV_CHUNK_EVENTS,
  progressMs = 100): Promise<SampledRun> {
  const last = s.symbols.map(() => 0);
  const nev: number[] = [];
  let wall = 0;
  let lastYield = performance.now();
  while (true) {
    const t = performance.now();
    const n = s.core.simRun(s.sim, chunk);
    wall += performance.now() - t;
    if (n === 0) break;
    for (let i = 0; i < last.length; i++) {
      const v = s.core.execSymbolNev(s.exec, i);
      if (Number.isFinite(v) && v !== 0 && v !== last[i]) nev.push(v);
      last[i] = v;
    }
    if (performance.now() - lastYield >= progressMs) {
      onProgress?.(fraction(s));
      // Yield so the worker answers messages (a progress callback's reply) between chunks.
      await new Promise<void>((r) => setTimeout(r, 0));
      lastYield = performance.now();
    }
  }
  onProgress?.(1);
  return {
    summary: buildSummary(s, wall), equityPaise: equityCurve(s), nevPaise: nev,
    marketEvents: Number(s.core.simCounter(s.sim, SimCounter.MARKET_EVENTS)), runMs: wall,
  };
}
