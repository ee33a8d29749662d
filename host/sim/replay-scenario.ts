// A replay scenario: the recorded L2 market of a fixture (host/sim/l2-events.ts) takes the synthetic venue's
// place for its one symbol, and a queue-position model (wasm-core/queue-position.ts) decides when our passive
// orders fill (docs/sim.md, "Replay scenarios"). The symbol's contract is the venue's replay configuration's
// (config/venue-replay-lobster.toml, config/venue-replay-binance.toml: tick 1 paise, lot 1; a test holds the two
// to them). Browser-safe: the recording comes in as records, loaded by the caller (host/sim/replay-fixtures.ts in
// Node, the playground's worker from fetched bytes).
import { ConfigError } from '../config/config-error.js';
import { QueueModel } from '../../build/core-constants.js';
import { L2EventKind, type L2Events } from './l2-events.js';
import type { ReplayScenarioName, SimQueueModel } from './sim-options.js';

export interface ReplayContract {
  readonly name: string;
  readonly tickPaise: number;
  readonly lotSize: number;
}

/** Each recording's symbol as the venue's replay mode configures it. */
export const REPLAY_CONTRACTS: Readonly<Record<ReplayScenarioName, ReplayContract>> = {
  lobster: { name: 'AAPL', tickPaise: 1, lotSize: 1 },
  binance: { name: 'BTCUSDT', tickPaise: 1, lotSize: 1 },
};

/** Queue slots per layer (wasm-core/sim-replay.ts has four layers: up to four of ours at one price, 64 resting in all). */
export const REPLAY_QUEUE_SLOTS = 16;
/** Ticks kept on each side of the recording's traded range in the books' window. */
const WINDOW_MARGIN_TICKS = 1024;

export interface ReplayScenario {
  readonly kind: ReplayScenarioName;
  readonly symbol: ReplayContract & { readonly symbolId: number };
  readonly events: L2Events;
  readonly queueModel: SimQueueModel;
  /** n of the power model (1 unless set); 0 for the others. */
  readonly queueExponent: number;
  /** Replay has no information knob. */
  readonly info: 0;
  /** The recording's span, ns (its last record's time). */
  readonly spanNs: number;
  /** The books' window (the strategy's and the recorded one): [base, base + levels), a power of two. */
  readonly bookBase: number;
  readonly bookLevels: number;
}

const MODEL_CODE: Readonly<Record<SimQueueModel, number>> = {
  conservative: QueueModel.CONSERVATIVE, power: QueueModel.POWER, log: QueueModel.LOG,
};

export function queueModelCode(model: SimQueueModel): number {
  return MODEL_CODE[model];
}

/**
 * The replay scenario `kind` over `events`. The books' window covers the recording's traded range (its levels
 * when it has no trade) with a margin, at least `minLevels` (the engine's bookLevels): the live feed recentres
 * its window as the market drifts (host/adapters/feed/book-sync.ts); the sim sizes it to the recording instead.
 */
export function replayScenario(kind: ReplayScenarioName, events: L2Events, queueModel: SimQueueModel,
  queueExponent: number | null, minLevels: number): ReplayScenario {
  if (events.count === 0) throw new ConfigError('scenario', 'a recording with at least one L2 record', `${kind}: none`);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < events.count; i++) {
    if (events.kind(i) !== L2EventKind.TRADE) continue;
    lo = Math.min(lo, events.price(i));
    hi = Math.max(hi, events.price(i));
  }
  if (lo === Infinity) {
    for (let i = 0; i < events.count; i++) {
      if (events.qty(i) <= 0) continue;
      lo = Math.min(lo, events.price(i));
      hi = Math.max(hi, events.price(i));
    }
  }
  let levels = Math.max(64, minLevels);
  while (levels < hi - lo + 2 * WINDOW_MARGIN_TICKS) levels *= 2;
  const bookBase = Math.max(1, Math.floor((lo + hi) / 2) - levels / 2);
  return {
    kind,
    symbol: { ...REPLAY_CONTRACTS[kind], symbolId: 1 },
    events,
    queueModel,
    queueExponent: queueModel === 'power' ? (queueExponent ?? 1) : 0,
    info: 0,
    spanNs: events.timeNs(events.count - 1),
    bookBase,
    bookLevels: levels,
  };
}
