// Every number the cockpit shows goes through here, so each carries its unit and money is exact: times in ns
// become ns/µs/ms/s, paise become rupees with two decimals (integer arithmetic, Indian digit grouping), basis
// points become %, quantities become lots. Framework-free: the unit tests run it under node --test.

/** "—" stands for a figure the engine has not published yet. */
export const NONE = '—';

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Up to 3 significant digits, never exponent notation. */
function sig3(x: number): string {
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A duration in ns with the unit that keeps it readable: 850 ns, 12.3 µs, 4.56 ms, 1.20 s. */
export function duration(ns: number | null | undefined): string {
  if (!finite(ns)) return NONE;
  const a = Math.abs(ns);
  if (a < 1_000) return `${Math.round(ns)} ns`;
  if (a < 1_000_000) return `${sig3(ns / 1_000)} µs`;
  if (a < 1_000_000_000) return `${sig3(ns / 1_000_000)} ms`;
  return `${sig3(ns / 1_000_000_000)} s`;
}

/** A duration in ms (an answer time, a browser-measured interval). */
export function millis(ms: number | null | undefined): string {
  return finite(ms) ? duration(ms * 1_000_000) : NONE;
}

/** Digits grouped the Indian way: 1234567 → "12,34,567". */
function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  let rest = digits.slice(0, -3);
  const parts: string[] = [];
  while (rest.length > 2) {
    parts.unshift(rest.slice(-2));
    rest = rest.slice(0, -2);
  }
  if (rest.length > 0) parts.unshift(rest);
  return `${parts.join(',')},${last3}`;
}

/** Integer paise as rupees: 123456 → "₹1,234.56", −5 → "−₹0.05". Non-integers are rounded to the paisa. */
export function rupees(paise: number | null | undefined): string {
  if (!finite(paise)) return NONE;
  const p = Math.round(paise);
  const abs = Math.abs(p);
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  return `${p < 0 ? '−' : ''}₹${groupIndian(String(whole))}.${String(frac).padStart(2, '0')}`;
}

/** Like `rupees`, with an explicit + for gains (P&L columns). */
export function signedRupees(paise: number | null | undefined): string {
  if (!finite(paise)) return NONE;
  return Math.round(paise) > 0 ? `+${rupees(paise)}` : rupees(paise);
}

/** Basis points as a percentage with 2 decimals: 1234 → "12.34 %". */
export function percentBp(bp: number | null | undefined): string {
  if (!finite(bp)) return NONE;
  return `${bp < 0 ? '−' : ''}${(Math.abs(bp) / 100).toFixed(2)} %`;
}

/** A ratio in [0, 1] (used / limit) as a percentage with 1 decimal. */
export function percentRatio(r: number | null | undefined): string {
  if (!finite(r)) return NONE;
  return `${(r * 100).toFixed(1)} %`;
}

/** A whole count with thousands separators: 12345 → "12,345". */
export function count(n: number | null | undefined): string {
  if (!finite(n)) return NONE;
  const r = Math.round(n);
  return `${r < 0 ? '−' : ''}${String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** A quantity in lots: 1 → "1 lot", −20 → "−20 lots". */
export function lots(n: number | null | undefined): string {
  if (!finite(n)) return NONE;
  return `${count(n)} ${Math.abs(n) === 1 ? 'lot' : 'lots'}`;
}

/** A per-second rate with one decimal: 12.34 → "12.3 /s". */
export function perSecond(x: number | null | undefined): string {
  return finite(x) ? `${x.toFixed(1)} /s` : NONE;
}

/** A price in ticks (the venue's integer price unit). */
export function ticks(n: number | null | undefined): string {
  return finite(n) ? `${count(n)} ticks` : NONE;
}

/** A value scaled by 1000 in the segment (entropy, OTR ratio) with 3 decimals and its unit. */
export function milli(n: number | null | undefined, unit = ''): string {
  if (!finite(n)) return NONE;
  return `${(n / 1000).toFixed(3)}${unit === '' ? '' : ` ${unit}`}`;
}

/** The share used / limit in [0, 1] (0 when there is no limit), for a bar. */
export function share(used: number | null | undefined, limit: number | null | undefined): number {
  if (!finite(used) || !finite(limit) || limit <= 0) return 0;
  return Math.max(0, Math.min(1, used / limit));
}
