// A two-parameter sweep's grid: each axis from..to in `steps` evenly spaced values (whole numbers for an integer
// parameter, duplicates dropped), and one cell per pair, row-major (x fastest).

export interface SweepAxis {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  /** Values on the axis, ≥ 1 (1: just `from`). */
  readonly steps: number;
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
}

export interface SweepCell {
  /** Index in the grid, y * xs.length + x. */
  readonly index: number;
  readonly x: number;
  readonly y: number;
  readonly values: Readonly<Record<string, number>>;
}

export interface SweepGrid {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly cells: readonly SweepCell[];
}

export class SweepError extends Error {
  override readonly name = 'SweepError';
}

/** Most values on one axis (a 20 × 20 sweep is 400 runs). */
export const MAX_STEPS = 20;

export function axisValues(a: SweepAxis): number[] {
  if (!Number.isInteger(a.steps) || a.steps < 1 || a.steps > MAX_STEPS) {
    throw new SweepError(`${a.key}: steps must be an integer in [1, ${MAX_STEPS}], got ${a.steps}`);
  }
  for (const [name, v] of [['from', a.from], ['to', a.to]] as const) {
    if (!Number.isFinite(v) || v < a.min || v > a.max) throw new SweepError(`${a.key}: ${name} must be in [${a.min}, ${a.max}], got ${v}`);
  }
  const out: number[] = [];
  for (let i = 0; i < a.steps; i++) {
    const raw = a.steps === 1 ? a.from : a.from + ((a.to - a.from) * i) / (a.steps - 1);
    // Rounded to 12 significant digits so 0.1 + 0.2 style noise does not reach the TOML.
    const v = a.integer ? Math.round(raw) : Number(raw.toPrecision(12));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

export function sweepGrid(x: SweepAxis, y: SweepAxis): SweepGrid {
  if (x.key === y.key) throw new SweepError(`the two axes must be different parameters, both are ${x.key}`);
  const xs = axisValues(x);
  const ys = axisValues(y);
  const cells: SweepCell[] = [];
  ys.forEach((yv, j) => xs.forEach((xv, i) => cells.push({ index: j * xs.length + i, x: i, y: j, values: { [x.key]: xv, [y.key]: yv } })));
  return { xs, ys, cells };
}
