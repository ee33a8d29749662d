// Host side of the trade-rate estimator (wasm-core/trade-rate.ts).
import { numberIn } from '../config/validate.js';

import type { CoreExports } from '../core/core.js';

/** The core call initTradeRate makes (a slice of the generated CoreExports). */
type TradeRateExports = Pick<CoreExports, 'tradeRateInit'>;

/** Default half-life of the trade-rate estimate: long enough to average a few trades, short enough to see a lull. */
export const DEFAULT_TRADE_RATE_HALF_LIFE_MS = 5000;

export function initTradeRate(core: TradeRateExports, state: number, halfLifeMs = DEFAULT_TRADE_RATE_HALF_LIFE_MS): void {
  numberIn('nev.tradeRateHalfLifeMs', halfLifeMs, 0, 86_400_000, true);
  const status = core.tradeRateInit(state, BigInt(Math.round(halfLifeMs * 1e6)));
  if (status !== 0) throw new Error(`tradeRateInit failed with status ${status}`);
}
