// The summary of a finished (or partly run) simulation, read from the core: P&L after costs with each charge,
// order and fill counts, OTR, drawdown, Sharpe and Sortino of the equity curve, events and the decision-trace
// hash. Units: money in paise (integers), ratios as fractions, rates per wall-clock second. Browser-safe.
import { SimCounter } from '../../build/core-constants.js';
import { replayEndNs, type Simulation } from './simulation.js';
import { equityStats } from './equity-stats.js';
import { NOISE_TAKERS_DEFAULT, type SyntheticScenario } from './synthetic-scenario.js';

export interface SimCharges {
  readonly stt: number;
  readonly exchange: number;
  readonly sebi: number;
  readonly stamp: number;
  readonly gst: number;
  readonly brokerage: number;
  /** The OTR penalty of the day so far (the OTR ledger's slab). */
  readonly otrPenalty: number;
  /** Sum of the above. */
  readonly total: number;
}

export interface SimSummary {
  readonly scenario: string;
  /** A replay scenario's queue-position model and its exponent (power; else null); null for synthetic. */
  readonly queueModel: string | null;
  readonly queueExponent: number | null;
  /** A replay scenario's recording: its symbol, records, span and how many records ran; null for synthetic. */
  readonly recording: { readonly symbol: string; readonly records: number; readonly spanMs: number; readonly replayed: number } | null;
  /** Why the run ended: its duration, or the recording's end (a replay shorter than the duration). */
  readonly endedBy: 'duration' | 'recording';
  readonly seed: number;
  readonly info: number;
  /** The synthetic flow's share of marketable orders from noise takers; null for a replay. */
  readonly noiseTakers: number | null;
  readonly latencyMs: number;
  /** Recorded round trips each order's was drawn from (0: the constant model). */
  readonly roundTrips: number;
  /** Virtual time simulated, ms. */
  readonly durationMs: number;
  /** P&L after every charge and the OTR penalty, paise (realized + unrealized at the last mark − charges). */
  readonly pnlAfterCostsPaise: number;
  /** P&L before any cost, paise. */
  readonly pnlBeforeCostsPaise: number;
  /** Each charge, paise. */
  readonly chargesPaise: SimCharges;
  /** Turnover of our fills, paise. */
  readonly turnoverPaise: number;
  readonly orders: number;
  readonly cancels: number;
  readonly replaces: number;
  readonly rejects: number;
  /** Fill reports (partial fills count each). */
  readonly fills: number;
  /** Orders with at least one fill ÷ orders sent. */
  readonly fillRatio: number | null;
  /** Cancels sent ÷ orders sent. */
  readonly cancelRatio: number | null;
  /** The OTR ledger's ratio (orders and modifies counted against trades, its exemptions applied). */
  readonly otr: number;
  readonly maxDrawdownPaise: number;
  /** Of the per-sample changes of the equity curve, not annualised. */
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly equitySampleMs: number;
  readonly equitySamples: number;
  readonly events: number;
  /** Events per wall-clock second of the run. */
  readonly eventsPerSecond: number;
  readonly wallMs: number;
  /** The decision-trace hash, 16 hex digits (FNV-1a 64 over every order command: docs/sim.md). */
  readonly traceHash: string;
  readonly traceCommands: number;
  /** Events the full queue refused (lost): 0 unless the latency × event rate outgrew QUEUE_CAPACITY. */
  readonly queueRefused: number;
}

/** The equity curve, paise per sample (a copy). */
export function equityCurve(s: Simulation): number[] {
  const n = s.core.simSamples(s.sim);
  const at = s.core.simEquityAddress(s.sim);
  const v = new BigInt64Array(s.memory.buffer, at, n);
  return Array.from(v, Number);
}

/** The decision-trace hash as 16 hex digits. */
export function traceHash(s: Simulation): string {
  return BigInt.asUintN(64, s.core.simTraceHash(s.core.simTraceAddress(s.sim))).toString(16).padStart(16, '0');
}

export function buildSummary(s: Simulation, wallMs: number): SimSummary {
  const { core, sim, exec } = s;
  const charges = new BigInt64Array(s.memory.buffer, core.simChargesAddress(sim), 8);
  const c = (i: number): number => Number(charges[i]!);
  const otrState = core.execOtrAddress(exec);
  const otrPenalty = Number(core.otrPenaltyPaise(otrState));
  const counter = (k: number): number => Number(core.simCounter(sim, k));
  const orders = counter(SimCounter.NEW);
  const events = Number(core.simEvents(sim));
  const curve = equityCurve(s);
  const stats = equityStats(curve);
  const o = s.options;
  const r = s.scenario.kind === 'synthetic' ? null : s.scenario;
  const replayAt = r === null ? 0 : core.simReplayAddress(sim, 0);
  return {
    scenario: s.scenario.kind,
    queueModel: r?.queueModel ?? null,
    queueExponent: r?.queueModel === 'power' ? r.queueExponent : null,
    recording: r === null ? null : {
      symbol: r.symbol.name, records: r.events.count, spanMs: r.spanNs / 1e6, replayed: core.simReplayCursor(replayAt),
    },
    endedBy: r !== null && replayEndNs(r, o) < BigInt(o.durationMs) * 1_000_000n ? 'recording' : 'duration',
    seed: o.seed,
    info: s.scenario.info,
    noiseTakers: r === null ? (s.scenario as SyntheticScenario).noiseTakers ?? NOISE_TAKERS_DEFAULT : null,
    latencyMs: o.latencyMs,
    roundTrips: o.roundTripsNs.length,
    durationMs: Number(core.simNow(sim) - BigInt(1_000_000_000)) / 1e6,
    pnlAfterCostsPaise: Number(core.simEquityPaise(sim)),
    pnlBeforeCostsPaise: Number(core.simGrossPnlPaise(sim)),
    chargesPaise: {
      stt: c(0), exchange: c(1), sebi: c(2), stamp: c(3), gst: c(4), brokerage: c(5), otrPenalty,
      total: c(6) + otrPenalty,
    },
    turnoverPaise: c(7),
    orders,
    cancels: counter(SimCounter.CANCEL),
    replaces: counter(SimCounter.REPLACE),
    rejects: Number(core.execRejects(exec)),
    fills: counter(SimCounter.FILLS),
    fillRatio: orders > 0 ? counter(SimCounter.ORDERS_FILLED) / orders : null,
    cancelRatio: orders > 0 ? counter(SimCounter.CANCEL) / orders : null,
    otr: core.otrRatio(otrState),
    maxDrawdownPaise: stats.maxDrawdownPaise,
    sharpe: stats.sharpe,
    sortino: stats.sortino,
    equitySampleMs: o.sampleMs,
    equitySamples: curve.length,
    events,
    eventsPerSecond: wallMs > 0 ? Math.round(events / (wallMs / 1000)) : 0,
    wallMs: Math.round(wallMs),
    traceHash: traceHash(s),
    traceCommands: Number(core.simTraceCount(core.simTraceAddress(sim))),
    queueRefused: core.simQueueRefused(core.simQueueAddress(sim)),
  };
}
