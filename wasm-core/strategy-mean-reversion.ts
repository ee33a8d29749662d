// Mean reversion (the capstone's example): a rolling window of the last N mids (a ring in the symbol
// record), their mean and standard deviation (population σ, over the N mids before this one, so the
// current mid is judged against the recent past it has not yet moved).
//   entry  flat, ACTIVE, zero-trust gate open, window full, σ > 0: mid < mean − kσ → buy passive at
//          the best bid; mid > mean + kσ → sell passive at the best ask. NEV-gated with the mean as
//          the fair price: the strategy's edge is the reversion to it.
//   exit   with a position (ACTIVE or REDUCING, gate open, or closed by the RTT check alone in an RTT
//          lockdown: exec-probe.ts gateAllows): passive at the mean (a long sells at ⌈mean⌉, never
//          below the best ask; a short buys at ⌊mean⌋, never above the best bid), reduce-only, not
//          NEV-gated.
import { positionsPosition } from "./positions";
import { riskTradingState } from "./pre-trade-risk";
import { NO_PRICE, Side, TradingState } from "./vocabulary";
import {
  H_K, H_QTY, H_WINDOW, MR_MAX_WINDOW, R_ASK, R_BID, R_GATE, R_MID_HEAD, R_MID_RING, R_MIDS, sub, SUB_POSITIONS,
  SUB_RISK, symRec, ExecFlag, ExecGate,
} from "./exec-layout";
import { strategyOrder, strategySubmit } from "./exec-orders";
import { gateAllows } from "./exec-probe";

export function meanReversionDecide(state: usize, index: i32, nowNs: i64): void {
  const r = symRec(state, index);
  const bid = load<i32>(r + R_BID);
  const ask = load<i32>(r + R_ASK);
  if (bid == NO_PRICE || ask == NO_PRICE || bid <= 0 || ask <= bid) return;
  const mid = (<f64>bid + <f64>ask) * 0.5;
  const window = load<i32>(state + H_WINDOW);
  const held = load<i32>(r + R_MIDS);
  let head = load<i32>(r + R_MID_HEAD);
  let full = held >= window;
  let mean: f64 = 0;
  let sd: f64 = 0;
  if (full) {
    // The newest `window` mids end just before `head`.
    let sum: f64 = 0;
    for (let j = 1; j <= window; j++) sum += midAt(r, head, j);
    mean = sum / <f64>window;
    let sq: f64 = 0;
    for (let j = 1; j <= window; j++) {
      const d = midAt(r, head, j) - mean;
      sq += d * d;
    }
    sd = Math.sqrt(sq / <f64>window);
  }
  store<f64>(r + R_MID_RING + <usize>head * 8, mid);
  head = head + 1 == MR_MAX_WINDOW ? 0 : head + 1;
  store<i32>(r + R_MID_HEAD, head);
  if (held < MR_MAX_WINDOW) store<i32>(r + R_MIDS, held + 1);
  if (!full) return;

  const trading = riskTradingState(sub(state, SUB_RISK));
  const gate = atomic.load<i32>(r + R_GATE);
  if (trading == TradingState.HALTED || gateAllows(state, gate, true) == 0) return;
  const qty = load<i32>(state + H_QTY);
  const position = positionsPosition(sub(state, SUB_POSITIONS), index);
  if (position != 0) {
    const exitSide = position > 0 ? Side.SELL : Side.BUY;
    if (strategyOrder(state, r, exitSide) == 0) {
      const abs = position > 0 ? position : -position;
      const q = abs < <i64>qty ? <i32>abs : qty;
      let price: i32;
      if (exitSide == Side.SELL) {
        price = <i32>Math.ceil(mean);
        if (price < ask) price = ask;
      } else {
        price = <i32>Math.floor(mean);
        if (price > bid) price = bid;
      }
      strategySubmit(state, index, exitSide, price, q, ExecFlag.EXIT, mean, nowNs);
    }
    return;
  }
  if (trading != TradingState.ACTIVE || gate != ExecGate.OPEN || !(sd > 0)) return;
  const band = load<f64>(state + H_K) * sd;
  if (mid < mean - band) {
    if (strategyOrder(state, r, Side.BUY) == 0) strategySubmit(state, index, Side.BUY, bid, qty, 0, mean, nowNs);
  } else if (mid > mean + band) {
    if (strategyOrder(state, r, Side.SELL) == 0) strategySubmit(state, index, Side.SELL, ask, qty, 0, mean, nowNs);
  }
}

/** The j-th newest mid before `head` (1 = newest). */
@inline function midAt(r: usize, head: i32, j: i32): f64 {
  let at = head - j;
  if (at < 0) at += MR_MAX_WINDOW;
  return load<f64>(r + R_MID_RING + <usize>at * 8);
}
