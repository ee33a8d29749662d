// Test reference: positions, realized P&L and every NSE charge of a list of fills, in BigInt, written from
// docs/market-rules.md and the average-cost rules stated at the top of wasm-core/positions.ts, not from the
// core's arithmetic. Only the cash intraday profile (config/costs.toml's default): the scenario tests use it.
// Not a test file.

/** The cash_intraday rates as the docs state them, in percent (decimal text, exact). */
export const CASH_INTRADAY = {
  sttBuy: '0', sttSell: '0.025', exchange: '0.00297', sebi: '0.0001', stampBuy: '0.003', gst: '18',
  brokeragePct: '0.03', brokerageFlatRupees: 20n,
} as const;

/** num / den to the nearest integer, halves up (num, den ≥ 0). */
const roundHalfUp = (num: bigint, den: bigint): bigint => (2n * num + den) / (2n * den);

/** turnover × pct %, rounded half-up to the paisa. */
function charge(turnover: bigint, pct: string): bigint {
  const [whole, frac = ''] = pct.split('.');
  return roundHalfUp(turnover * BigInt(whole! + frac), 100n * 10n ** BigInt(frac.length));
}

/** Every charge of one fill (one executed order), paise: each rounded on its own, GST on the rounded
 *  brokerage + exchange + SEBI, brokerage = min(flat, pct). `buy`: the buyer's side. */
export function fillCharges(buy: boolean, pricePaise: bigint, qty: bigint): bigint {
  const r = CASH_INTRADAY;
  const turnover = pricePaise * qty;
  const stt = charge(turnover, buy ? r.sttBuy : r.sttSell);
  const exchange = charge(turnover, r.exchange);
  const sebi = charge(turnover, r.sebi);
  const stamp = buy ? charge(turnover, r.stampBuy) : 0n;
  const pctBrokerage = charge(turnover, r.brokeragePct);
  const flat = r.brokerageFlatRupees * 100n;
  const brokerage = pctBrokerage < flat ? pctBrokerage : flat;
  const gst = charge(brokerage + exchange + sebi, r.gst);
  return stt + exchange + sebi + stamp + brokerage + gst;
}

/** One symbol's book of fills: signed position, the open part's entry cost (signed like the position),
 *  realized P&L gross of charges, and the charges. */
export class ReferencePosition {
  position = 0n;
  cost = 0n;
  realized = 0n;
  charges = 0n;
  fills = 0;
  /** Fills that closed some of the position. */
  closes = 0;

  /** A fill of `qty` at `pricePaise` per unit. */
  fill(buy: boolean, pricePaise: bigint, qty: bigint): void {
    this.fills++;
    this.charges += fillCharges(buy, pricePaise, qty);
    const signed = buy ? qty : -qty;
    if (this.position === 0n || (this.position > 0n) === buy) {
      this.position += signed;
      this.cost += signed * pricePaise;
      return;
    }
    this.closes++;
    const open = this.position < 0n ? -this.position : this.position;
    const closed = qty < open ? qty : open;
    // The closed part carries cost × closed / |position| of the entry value, half away from zero.
    const num = this.cost * closed;
    const mag = ((num < 0n ? -num : num) * 2n + open) / (2n * open);
    const released = num < 0n ? -mag : mag;
    const sign = this.position > 0n ? 1n : -1n;
    this.realized += sign * pricePaise * closed - released;
    this.cost -= released;
    this.position += sign > 0n ? -closed : closed;
    const rest = qty - closed;
    if (rest > 0n) {            // through zero: the rest opens at the fill price
      this.position = buy ? rest : -rest;
      this.cost = this.position * pricePaise;
    }
  }
}
