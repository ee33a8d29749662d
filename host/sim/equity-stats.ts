// Statistics of an intraday equity curve (paise, one sample per interval): the per-sample P&L changes'
// Sharpe and Sortino ratios, per sample and not annualised (a simulated hour is no basis for a year), and
// the peak-to-trough drawdown. Browser-safe.

export interface EquityStats {
  /** Mean per-sample change ÷ its standard deviation (sample, n − 1); null with fewer than 2 changes or no variation. */
  readonly sharpe: number | null;
  /** Mean per-sample change ÷ the downside deviation √(mean(min(0, change)²)); null when nothing went down. */
  readonly sortino: number | null;
  /** Largest fall from a running peak (paise), the curve's start counting as a peak. */
  readonly maxDrawdownPaise: number;
}

export function equityStats(equity: ArrayLike<number>, start = 0): EquityStats {
  const n = equity.length;
  const changes: number[] = [];
  let prev = start;
  let peak = start;
  let maxDd = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    changes.push(e - prev);
    prev = e;
    if (e > peak) peak = e;
    else if (peak - e > maxDd) maxDd = peak - e;
  }
  if (changes.length < 2) return { sharpe: null, sortino: null, maxDrawdownPaise: maxDd };
  const mean = changes.reduce((a, b) => a + b, 0) / changes.length;
  const variance = changes.reduce((a, c) => a + (c - mean) ** 2, 0) / (changes.length - 1);
  const downside = Math.sqrt(changes.reduce((a, c) => a + Math.min(0, c) ** 2, 0) / changes.length);
  return {
    sharpe: variance > 0 ? mean / Math.sqrt(variance) : null,
    sortino: downside > 0 ? mean / downside : null,
    maxDrawdownPaise: maxDd,
  };
}
