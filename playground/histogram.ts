// Equal-width bins over [min, max] of the values (the NEV distribution's bars); the last bin is closed.

export interface Histogram {
  readonly lo: number;
  readonly hi: number;
  readonly width: number;
  readonly counts: number[];
}

export function histogram(values: readonly number[], bins: number): Histogram | null {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of finite) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // All equal: one unit-wide range around the value, so the bar has a place.
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  return { lo, hi, width, counts };
}
