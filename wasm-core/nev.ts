// Net expected value of a candidate passive order, in paise, after costs and the OTR penalty.
//
//   NEV = P(fill) × (edge − round-trip costs) − E[marginal OTR penalty]
//
// Fill probability. A passive order at the touch fills when the volume that trades at its price
// during its life exceeds the queue ahead of it plus its own size. We model that volume as
// exponentially distributed with mean v·T, where v is the recent traded volume rate
// (trade-rate.ts, lots/s) and T the order's life (the cancel timeout, 200 ms by default):
//   P = exp(−(queueAhead + qty) / (v·T)),  and 0 when v·T = 0.
// Memoryless arrivals are the simplest model that falls with queue position and rises with the
// trade rate; partial fills are ignored, which errs on the side of trading less.
//
// Edge. fair − price for a buy, price − fair for a sell, in ticks, × tick value × qty. The fair
// price is the weighted mid moved by the signal (nevFairTicks): the oracle's view of where the
// price is going.
//
// Costs. If filled, the position is assumed to be closed at the fair price (rounded to a tick) on
// the other side: both fills are costed by the cost model (cost-model.ts) and summed.
//
// OTR penalty. An order that fills adds one counted message and one trade; one that does not is
// cancelled: two counted messages and no trade. Each case is priced by the ledger's marginal
// penalty and weighted by its probability. Orders the exchange exempts (near LTP) pass
// `counted = 0` and carry no penalty.
//
// Output at `out` (40 bytes, 8-byte aligned):
//   +0 fill probability f64 · +8 edge paise f64 · +16 round-trip cost paise i64
//   +24 expected OTR penalty paise f64 · +32 NEV paise f64
import { costRoundTrip } from "./cost-model";
import { otrMarginalPenaltyPaise } from "./otr-ledger";
import { oracleSignal, oracleSpread, oracleWeightedMid } from "./oracle";
import { Side } from "./vocabulary";

const FILL_PROBABILITY: usize = 0;
const EDGE: usize = 8;
const COST: usize = 16;
const PENALTY: usize = 24;
const NEV: usize = 32;

/** Status codes of nevEvaluate. */
export namespace NevStatus {
  export const OK: i32 = 0;
  export const BAD_SIDE: i32 = -1;
  export const BAD_ORDER: i32 = -2;
  export const COST_REFUSED: i32 = -3;
}

export function nevOutBytes(): usize {
  return 40;
}

/** Fair price in ticks: the weighted mid moved by `gain` × signal × half the spread. */
export function nevFairTicks(oracleState: usize, gain: f64): f64 {
  return oracleWeightedMid(oracleState) + gain * oracleSignal(oracleState) * 0.5 * oracleSpread(oracleState);
}

/** P(fill) = exp(−(queueAhead + qty) / (rate × horizon)); 0 when nothing trades. */
export function nevFillProbability(queueAhead: i64, qty: i64, tradeRatePerSec: f64, horizonNs: i64): f64 {
  const expected = tradeRatePerSec * <f64>horizonNs * 1e-9;
  if (!(expected > 0)) return 0;
  return Math.exp(-<f64>(queueAhead + qty) / expected);
}

/**
 * Evaluates a passive order of `qty` at `priceTicks` on `side` (0 buy, 1 sell) and writes NEV and
 * its parts to `out`. Returns 0, or −1 bad side, −2 non-positive price/qty/tick or negative queue,
 * −3 cost model refused (then every part is NaN and the cost −1). `scratch`: 64 bytes for the
 * cost breakdown.
 */
export function nevEvaluate(
  out: usize, costState: usize, ledgerState: usize, scratch: usize,
  side: i32, priceTicks: i32, qty: i32, fairTicks: f64,
  queueAhead: i64, tradeRatePerSec: f64, horizonNs: i64, tickPaise: i32, counted: i32,
): f64 {
  if (side != Side.BUY && side != Side.SELL) return fail(out, NevStatus.BAD_SIDE);
  if (priceTicks <= 0 || qty <= 0 || tickPaise <= 0 || queueAhead < 0) return fail(out, NevStatus.BAD_ORDER);
  const p = nevFillProbability(queueAhead, <i64>qty, tradeRatePerSec, horizonNs);
  const edgeTicks = side == Side.BUY ? fairTicks - <f64>priceTicks : <f64>priceTicks - fairTicks;
  const edge = edgeTicks * <f64>tickPaise * <f64>qty;
  let exitTicks = <i64>Math.round(fairTicks);
  if (exitTicks <= 0) exitTicks = <i64>priceTicks;
  const cost = costRoundTrip(costState, side, <i64>priceTicks * <i64>tickPaise, exitTicks * <i64>tickPaise, <i64>qty, scratch);
  if (cost < 0) return fail(out, NevStatus.COST_REFUSED);
  let penalty: f64 = 0;
  if (counted != 0) {
    penalty = p * <f64>otrMarginalPenaltyPaise(ledgerState, 1, 1) + (1 - p) * <f64>otrMarginalPenaltyPaise(ledgerState, 2, 0);
  }
  const nev = p * (edge - <f64>cost) - penalty;
  store<f64>(out + FILL_PROBABILITY, p);
  store<f64>(out + EDGE, edge);
  store<i64>(out + COST, cost);
  store<f64>(out + PENALTY, penalty);
  store<f64>(out + NEV, nev);
  return NevStatus.OK;
}

function fail(out: usize, status: i32): i32 {
  store<f64>(out + FILL_PROBABILITY, NaN);
  store<f64>(out + EDGE, NaN);
  store<i64>(out + COST, -1);
  store<f64>(out + PENALTY, NaN);
  store<f64>(out + NEV, NaN);
  return status;
}
