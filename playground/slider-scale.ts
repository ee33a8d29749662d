// A parameter's slider: linear over a narrow range, logarithmic over one that spans decades (targetOtr 0.001 …
// 10⁶, a risk limit 0 … 2⁵⁰), so every order of magnitude gets the same travel. A range starting at 0 ("0 =
// none") keeps 0 at the slider's left end, below the log part. The number box beside it takes any value.

export interface SliderParam {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly step?: number;
}

export interface SliderScale {
  /** The <input type=range> min, max and step. */
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly log: boolean;
  toSlider(value: number): number;
  /** A slider position to a value in [min, max], rounded to what a person would type. */
  fromSlider(x: number): number;
}

/** Positions on a slider. */
const TICKS = 1000;
/** Decades of range above which the slider is logarithmic. */
const LOG_ABOVE = 1000;

function rounded(p: SliderParam, v: number): number {
  const r = p.integer ? Math.round(v) : p.step !== undefined ? Math.round(v / p.step) * p.step : v;
  return Math.min(p.max, Math.max(p.min, Number(r.toPrecision(4))));
}

export function sliderScale(p: SliderParam): SliderScale {
  // The smallest positive value the log part starts at: min itself, else one unit (integers) or one step.
  const lo = p.min > 0 ? p.min : p.integer ? 1 : p.step ?? Math.min(1, p.max / TICKS);
  if (p.max / lo <= LOG_ABOVE) {
    const step = p.integer ? Math.max(1, Math.round((p.max - p.min) / TICKS)) : (p.max - p.min) / TICKS;
    return {
      min: p.min, max: p.max, step, log: false,
      toSlider: (v) => Math.min(p.max, Math.max(p.min, v)),
      fromSlider: (x) => (x >= p.max ? p.max : rounded(p, x)),
    };
  }
  const l0 = Math.log10(lo);
  const l1 = Math.log10(p.max);
  const step = (l1 - l0) / TICKS;
  // With min 0, one step left of log10(lo) stands for 0.
  const zeroAt = p.min > 0 ? null : l0 - step;
  return {
    min: zeroAt ?? l0, max: l1, step, log: true,
    toSlider: (v) => (zeroAt !== null && v < lo ? zeroAt : Math.log10(Math.min(p.max, Math.max(lo, v)))),
    // The right end is the maximum itself (2^31 − 1 would round to 4 digits below it).
    fromSlider: (x) => (zeroAt !== null && x < l0 ? p.min : x >= l1 ? p.max : rounded(p, 10 ** x)),
  };
}
