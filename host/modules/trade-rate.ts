// Host side of the trade-rate estimator (wasm-core/trade-rate.ts).
import { ConfigError } from '../config/config-error.js';

import type { CoreExports } from '../core/core.js';

/** The core call initTradeRate makes (a slice of the generated CoreExports). */
type TradeRateExports = Pick<CoreExports, 'tradeRateInit'>;

/** Default half-life of the trade-rate estimate: long enough to average a few trades, short enough to see a lull. */
export const DEFAULT_TRADE_RATE_HALF_LIFE_MS = 5000;

export function initTradeRate(core: TradeRateExports, state: number, halfLifeMs = DEFAULT_TRADE_RATE_HALF_LIFE_MS): void {
  if (!(Number.isFinite(halfLifeMs) && halfLifeMs > 0 && halfLifeMs <= 86_400_000)) {
    throw new ConfigError('nev.tradeRateHalfLifeMs', 'a number in (0, 86400000]', halfLifeMs);
  }
  const status = core.tradeRateInit(state, BigInt(Math.round(halfLifeMs * 1e6)));
  if (status !== 0) throw new Error(`tradeRateInit failed with status ${status}`);
}
