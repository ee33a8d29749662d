// Order statistics for benchmark samples. Not for the hot path: sorts a copy.
export interface Percentiles { p50: number; p99: number; p999: number; min: number; max: number; mean: number }

/** Nearest-rank percentiles of `samples`, scaled by `scale` (e.g. 1e-3 for ns → µs), rounded to 3 decimals. */
export function percentiles(samples: Float64Array, scale = 1): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) throw new RangeError('percentiles of an empty sample');
  const rank = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  const r = (v: number) => Math.round(v * scale * 1000) / 1000;
  return { p50: r(rank(0.5)), p99: r(rank(0.99)), p999: r(rank(0.999)), min: r(sorted[0]!), max: r(sorted[n - 1]!), mean: r(sum / n) };
}

/** Median of a small list of repeated measurements. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
