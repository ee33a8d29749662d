// WOBI passive executor, the default strategy: quote passively on the side the signal favours, and
// work any inventory back out passively.
//   entry  only ACTIVE, in the Attack regime, with the zero-trust gate open, when |signal| ≥ the
//          threshold: one order of the configured qty at the own-side touch (a buy at the best bid
//          when signal > 0, a sell at the best ask when < 0), NEV-gated by the stage (fair price:
//          the oracle's weighted mid moved by the signal).
//   exit   with a position, in ACTIVE or REDUCING, gate open: a reduce-only order at the opposite
//          touch (a sell at the best ask for a long) for min(|position|, qty), never NEV-gated:
//          leaving a position is not a bet on edge. The gate still applies: a closed gate means the
//          touch itself cannot be trusted (stale or crossed feed, venue gone); the operator's
//          flatten is the exit that needs no gate. A gate closed by the RTT check alone during an
//          RTT lockdown lets exits through (exec-probe.ts gateAllows): the lockdown is REDUCING.
// At most one working order per side per symbol. An order that stops being at the touch is left to
// the 200 ms rule (cancel, or reprice to the new touch), not chased on every tick: each chase is a
// modify message the broker and the OTR count.
import { Regime } from "./regime";
import { positionsPosition } from "./positions";
import { riskTradingState } from "./pre-trade-risk";
import { NO_PRICE, Side, TradingState } from "./vocabulary";
import {
  H_QTY, H_THRESHOLD, R_ASK, R_BID, R_FAIR, R_GATE, R_REGIME, R_SIGNAL, sub, SUB_POSITIONS, SUB_RISK, symRec, ExecFlag, ExecGate,
} from "./exec-layout";
import { strategyOrder, strategySubmit } from "./exec-orders";
import { gateAllows } from "./exec-probe";

export function wobiDecide(state: usize, index: i32, nowNs: i64): void {
  const r = symRec(state, index);
  const bid = load<i32>(r + R_BID);
  const ask = load<i32>(r + R_ASK);
  if (bid == NO_PRICE || ask == NO_PRICE || bid <= 0 || ask <= bid) return;
  const trading = riskTradingState(sub(state, SUB_RISK));
  const gate = atomic.load<i32>(r + R_GATE);
  if (trading == TradingState.HALTED || gateAllows(state, gate, true) == 0) return;
  const qty = load<i32>(state + H_QTY);
  const fair = load<f64>(r + R_FAIR);
  const position = positionsPosition(sub(state, SUB_POSITIONS), index);
  let exitSide: u32 = 2;
  if (position != 0) {
    exitSide = position > 0 ? Side.SELL : Side.BUY;
    if (strategyOrder(state, r, exitSide) == 0) {
      const held = position > 0 ? position : -position;
      const q = held < <i64>qty ? <i32>held : qty;
      strategySubmit(state, index, exitSide, exitSide == Side.SELL ? ask : bid, q, ExecFlag.EXIT, fair, nowNs);
    }
  }
  if (trading != TradingState.ACTIVE || gate != ExecGate.OPEN) return;
  if (<u32>atomic.load<i32>(r + R_REGIME) != Regime.ATTACK) return;
  const signal = load<f64>(r + R_SIGNAL);
  if (!(Math.abs(signal) >= load<f64>(state + H_THRESHOLD))) return;
  const side = signal > 0 ? Side.BUY : Side.SELL;
  if (side == exitSide) return; // the exit holds that side
  if (strategyOrder(state, r, side) != 0) return;
  strategySubmit(state, index, side, side == Side.BUY ? bid : ask, qty, 0, fair, nowNs);
}
