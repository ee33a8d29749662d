// Stress strategy, for the throughput benchmark only: on every book update, one new passive order
// `offset` ticks behind the touch (sides alternating) and, once `depth` of its orders are working,
// a cancel of the oldest. It ignores the signal, the regime, the gate and the NEV, but never risk
// or the broker windows: the benchmark configures high limits, not a way around them.
import { orderTableFind } from "./order-table";
import { NO_PRICE, Side } from "./vocabulary";
import {
  H_OFFSET, H_QTY, H_WINDOW, R_ASK, R_BID, R_FAIR, R_FIFO, R_FIFO_COUNT, R_FIFO_HEAD, R_STRESS_SIDE, STRESS_MAX_DEPTH,
  sub, SUB_ORDERS, symRec, ExecFlag,
} from "./exec-layout";
import { lastId, requestCancel, submitNew } from "./exec-orders";
import { TimeInForce } from "./vocabulary";

export function stressDecide(state: usize, index: i32, nowNs: i64): void {
  const r = symRec(state, index);
  const bid = load<i32>(r + R_BID);
  const ask = load<i32>(r + R_ASK);
  if (bid == NO_PRICE || ask == NO_PRICE || bid <= 0 || ask <= bid) return;
  let depth = load<i32>(state + H_WINDOW);
  if (depth < 1) depth = 1;
  if (depth > STRESS_MAX_DEPTH) depth = STRESS_MAX_DEPTH;
  let head = load<i32>(r + R_FIFO_HEAD);
  let count = load<i32>(r + R_FIFO_COUNT);
  const ot = sub(state, SUB_ORDERS);
  while (count >= depth) {
    let oldest = head - count;
    if (oldest < 0) oldest += STRESS_MAX_DEPTH;
    const slot = orderTableFind(ot, load<u64>(r + R_FIFO + <usize>oldest * 8));
    if (slot >= 0) requestCancel(state, slot, nowNs);
    count--;
  }
  const side = <u32>load<i32>(r + R_STRESS_SIDE);
  const offset = load<i32>(state + H_OFFSET);
  let price = side == Side.BUY ? bid - offset : ask + offset;
  if (price < 1) price = 1;
  if (submitNew(state, index, side, price, load<i32>(state + H_QTY), TimeInForce.GTC, ExecFlag.UNGATED, load<f64>(r + R_FAIR), nowNs) == 1) {
    store<u64>(r + R_FIFO + <usize>head * 8, lastId(state));
    head = head + 1 == STRESS_MAX_DEPTH ? 0 : head + 1;
    count++;
  }
  store<i32>(r + R_FIFO_HEAD, head);
  store<i32>(r + R_FIFO_COUNT, count);
  store<i32>(r + R_STRESS_SIDE, side == Side.BUY ? <i32>Side.SELL : <i32>Side.BUY);
}
