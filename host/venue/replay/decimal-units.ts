// Exact decimal text → integer units (price → ticks, quantity → lots) without a binary float in
// between: "61737.63000000" at a tick of "0.01" is 6173763 ticks, and "0.123456" at a lot of
// "0.00001" is not a whole number of lots (NaN), rather than a rounded guess.
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Mantissa and decimal places of a decimal text with trailing fractional zeros removed. */
function parts(text: string): { mant: number; places: number } | null {
  const m = DECIMAL.exec(text);
  if (m === null) return null;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const mant = Number(m[1]! + frac);
  if (!Number.isSafeInteger(mant)) return null;
  return { mant, places: frac.length };
}

export class DecimalUnits {
  private readonly mant: number;
  private readonly places: number;

  /** `unit`: the decimal text of one unit, e.g. "0.01". */
  constructor(readonly unit: string) {
    const p = parts(unit);
    if (p === null || p.mant === 0) throw new RangeError(`unit ${JSON.stringify(unit)} is not a positive decimal`);
    this.mant = p.mant;
    this.places = p.places;
  }

  /** Whole units in `text`, or NaN when it is not a decimal, not a whole multiple, or too large. */
  toUnits(text: string): number {
    const p = parts(text);
    if (p === null) return NaN;
    const k = this.places - p.places;
    const num = k >= 0 ? p.mant * 10 ** k : p.mant;
    const den = k >= 0 ? this.mant : this.mant * 10 ** -k;
    if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num % den !== 0) return NaN;
    return num / den;
  }
}
