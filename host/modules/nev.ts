// Host side of the NEV gate (wasm-core/nev.ts): typed exports and a readable result.
import { numberIn } from '../config/validate.js';

import type { CoreExports } from '../core/core.js';
import { NevStatus } from '../../build/core-constants.js';
import { Side } from '../model/vocabulary.js';

export { NevStatus };
/** The core calls evaluateNev makes (a slice of the generated CoreExports). */
type NevExports = Pick<CoreExports, 'nevEvaluate'>;
/** Bytes for the evaluation's output and the cost breakdown it needs. */
export const NEV_OUT_BYTES = 40;
export const NEV_SCRATCH_BYTES = 64;

export interface NevCandidate {
  readonly side: 'buy' | 'sell';
  readonly priceTicks: number;
  readonly qty: number;
  /** Fair price in ticks (nevFairTicks: weighted mid moved by the signal). */
  readonly fairTicks: number;
  /** Lots ahead of us in the queue at our price. */
  readonly queueAhead: number;
  /** Recent traded lots per second (trade-rate.ts). */
  readonly tradeRatePerSec: number;
  /** The order's life before it is cancelled or repriced, ms (default 200). */
  readonly horizonMs?: number;
  readonly tickPaise: number;
  /** False when the exchange exempts the order from OTR (priced near LTP). */
  readonly counted: boolean;
}

export interface NevResult {
  readonly fill_probability: number;
  readonly edge_paise: number;
  readonly cost_paise: number;
  readonly otr_penalty_paise: number;
  readonly nev_paise: number;
}

export const DEFAULT_HORIZON_MS = 200;

export interface NevRegions { readonly out: number; readonly scratch: number; readonly costState: number; readonly ledgerState: number }

/** Evaluates a candidate (off the hot path: the engine calls nevEvaluate directly). */
export function evaluateNev(core: NevExports & { readonly memory: WebAssembly.Memory }, r: NevRegions, c: NevCandidate): NevResult {
  const horizonMs = numberIn('execution.ttlMs', c.horizonMs ?? DEFAULT_HORIZON_MS, 0, 60_000, true);
  const status = core.nevEvaluate(
    r.out, r.costState, r.ledgerState, r.scratch, c.side === 'buy' ? Side.BUY : Side.SELL, c.priceTicks, c.qty, c.fairTicks,
    BigInt(c.queueAhead), c.tradeRatePerSec, BigInt(Math.round(horizonMs * 1e6)), c.tickPaise, c.counted ? 1 : 0,
  );
  if (status !== NevStatus.OK) {
    const name = Object.entries(NevStatus).find(([, v]) => v === status)?.[0] ?? `status ${status}`;
    throw new RangeError(`nevEvaluate refused the candidate: ${name}`);
  }
  const view = new DataView(core.memory.buffer, r.out, NEV_OUT_BYTES);
  return {
    fill_probability: view.getFloat64(0, true),
    edge_paise: view.getFloat64(8, true),
    cost_paise: Number(view.getBigInt64(16, true)),
    otr_penalty_paise: view.getFloat64(24, true),
    nev_paise: view.getFloat64(32, true),
  };
}
