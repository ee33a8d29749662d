// The synthetic scenario: per engine symbol, the venue's contract (tick, lot, reference price) and the seeded
// flow the simulated venue runs (wasm-core/sim-flow.ts), with the information knob. The defaults are the
// built-in venue's (config/venue.toml) for the symbols it lists; another name gets a generic cash stock.
// Browser-safe.
import { ConfigError } from '../config/config-error.js';

export interface SimFlowSpec {
  readonly eventsPerSecond: number;
  /** Fair value σ, ticks per √s. */
  readonly sigmaTicks: number;
  readonly passiveFraction: number;
  readonly cancelFraction: number;
  /** Passive orders rest 1..depthTicks from the fair value. */
  readonly depthTicks: number;
  readonly minLots: number;
  readonly maxLots: number;
  readonly maxResting: number;
  readonly warmupEvents: number;
}

export interface SimSymbolSpec {
  readonly name: string;
  /** The venue's symbol id (1..N in the scenario's order, as the venue numbers its directory). */
  readonly symbolId: number;
  readonly tickPaise: number;
  readonly lotSize: number;
  /** Reference price, ticks: the fair value's start and the centre of the band. */
  readonly refPrice: number;
  readonly flow: SimFlowSpec;
}

export interface SyntheticScenario {
  readonly kind: 'synthetic';
  readonly symbols: readonly SimSymbolSpec[];
  /** The information knob: the weight of the flow's hidden drift, which the book's imbalance leads (wasm-core/sim-flow.ts), ≥ 0. */
  readonly info: number;
  /** The share of marketable flow orders from noise takers (a random side at the touch, blind to the fair
   *  value), [0, 1]; the rest are informed takers who eat stale quotes (wasm-core/sim-flow.ts). Absent:
   *  NOISE_TAKERS_DEFAULT. */
  readonly noiseTakers?: number;
}

/** Four in five marketable orders from noise takers: the informed share is the probability of informed trading
 *  (PIN) that Easley, Kiefer, O'Hara and Paperman (1996) and Easley, Hvidkjaer and O'Hara (2002) estimate for
 *  listed stocks, about 0.2. docs/sim.md has the P&L this gives at each knob setting. */
export const NOISE_TAKERS_DEFAULT = 0.8;

const FLOW_DEFAULT: SimFlowSpec = {
  eventsPerSecond: 100, sigmaTicks: 2, passiveFraction: 0.6, cancelFraction: 0.3, depthTicks: 10, minLots: 1,
  maxLots: 10, maxResting: 2000, warmupEvents: 200,
};

/** config/venue.toml's symbols: contract and flow. */
const KNOWN: Readonly<Record<string, Omit<SimSymbolSpec, 'name' | 'symbolId'>>> = {
  RELIANCE: {
    tickPaise: 5, lotSize: 1, refPrice: 58000,
    flow: { ...FLOW_DEFAULT, eventsPerSecond: 200, sigmaTicks: 4, maxLots: 50, depthTicks: 12, warmupEvents: 400, maxResting: 3000 },
  },
  INFY: {
    tickPaise: 5, lotSize: 1, refPrice: 37000,
    flow: { ...FLOW_DEFAULT, eventsPerSecond: 120, sigmaTicks: 3, maxLots: 40, depthTicks: 10, warmupEvents: 300 },
  },
  'NIFTY-FUT': {
    tickPaise: 5, lotSize: 75, refPrice: 490000,
    flow: { ...FLOW_DEFAULT, eventsPerSecond: 300, sigmaTicks: 20, maxLots: 10, depthTicks: 20, warmupEvents: 600 },
  },
};
const GENERIC: Omit<SimSymbolSpec, 'name' | 'symbolId'> = { tickPaise: 5, lotSize: 1, refPrice: 50000, flow: FLOW_DEFAULT };

/** The synthetic scenario for the engine's symbols with information knob `info` and noise-taker share `noiseTakers`. */
export function syntheticScenario(symbols: readonly string[], info = 0, noiseTakers = NOISE_TAKERS_DEFAULT): SyntheticScenario {
  if (!(Number.isFinite(info) && info >= 0 && info <= 100)) throw new ConfigError('info', 'a number in [0, 100]', info);
  if (!(Number.isFinite(noiseTakers) && noiseTakers >= 0 && noiseTakers <= 1)) {
    throw new ConfigError('noise-takers', 'a share in [0, 1]', noiseTakers);
  }
  return {
    kind: 'synthetic',
    info,
    noiseTakers,
    symbols: symbols.map((name, i) => ({ name, symbolId: i + 1, ...(KNOWN[name] ?? GENERIC) })),
  };
}
