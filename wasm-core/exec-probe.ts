// RTT probes and the order path's RTT verdict, for the execution stage (execution.ts calls these).
//
// A probe is the protocol's TestRequest: the venue answers it at once, through the same latency as
// orders, so its round trip measures the order path without trading. It is not an order: it passes
// no risk check, no broker window, no OTR ledger and no order count; it only takes an id from the
// stage's numbering (so the gateway's in-flight table times it like any request). One is out at a
// time. When one is due:
//   LOCKDOWN  every probeInterval after the last probe (the watchdog needs samples to release, and a
//             lockdown stops the orders whose acks would bring them);
//   otherwise probeIdle after the later of the last RTT sample and the last probe, so the RTT stays
//             known while nothing trades.
// The first is due at once (no sample, no probe yet). Its answer feeds the watchdog exactly like an ack.
// An interval of 0 turns that kind of probe off (a driver without a session, tests of the order path).
//
// The verdict (ExecRttVerdict, an i32 stored atomically at H_RTT_VERDICT for the driver to pass on to
// the zero-trust gate): NO_SAMPLE until the watchdog has one, LOCKDOWN while it is locked down,
// OVERDUE while a request waits for its first answer (an order not yet acked, or the probe) longer
// than the watchdog's maxAckWait, else OK. It is recomputed on every sample, answer, tick and timer: time
// alone turns it OVERDUE, and the next tick (where a strategy would act on the gate) or the next probe's
// timer finds that out.
import { orderTableAcked, orderTableNextLive, orderTableOpenCount, orderTableSentNs } from "./order-table";
import { rttWatchdogHealthy, rttWatchdogLastNs, rttWatchdogMode, rttWatchdogSamples, RttWatchdogMode } from "./rtt-watchdog";
import {
  bump64, ExecCommand, ExecGate, ExecRttVerdict, H_CMD_CAPACITY, H_CMD_COUNT, H_NEXT_ID, H_PROBE_ANSWERS, H_PROBE_ID,
  H_PROBE_IDLE, H_PROBE_INTERVAL, H_PROBE_LAST, H_PROBE_SENT, H_PROBES, H_RTT_VERDICT, sub, SUB_ORDERS, SUB_RTT,
} from "./exec-layout";
import { appendCommand } from "./exec-orders";

/** When the next probe is due (i64.MIN: now; i64.MAX: not while one is out). */
export function probeDueAt(state: usize): i64 {
  if (load<u64>(state + H_PROBE_ID) != 0) return i64.MAX_VALUE;
  const rtt = sub(state, SUB_RTT);
  const last = load<i64>(state + H_PROBE_LAST);
  if (<u32>rttWatchdogMode(rtt) == RttWatchdogMode.LOCKDOWN) {
    const interval = load<i64>(state + H_PROBE_INTERVAL);
    if (interval == 0) return i64.MAX_VALUE;
    return last == i64.MIN_VALUE ? i64.MIN_VALUE : last + interval;
  }
  const idle = load<i64>(state + H_PROBE_IDLE);
  if (idle == 0) return i64.MAX_VALUE;
  const sample = rttWatchdogLastNs(rtt);
  const base = sample > last ? sample : last;
  return base == i64.MIN_VALUE ? i64.MIN_VALUE : base + idle;
}

/** Appends a PROBE command when one is due at nowNs and the buffer has room; 1 when it did. */
export function probeIfDue(state: usize, nowNs: i64): i32 {
  if (nowNs < probeDueAt(state)) return 0;
  const n = load<i32>(state + H_CMD_COUNT);
  if (n >= load<i32>(state + H_CMD_CAPACITY)) return 0;
  const id = load<u64>(state + H_NEXT_ID);
  store<u64>(state + H_NEXT_ID, id + 1);
  appendCommand(state, ExecCommand.PROBE, 0, 0, 0, 0, id, 0, 0, 0);
  store<u64>(state + H_PROBE_ID, id);
  store<i64>(state + H_PROBE_SENT, nowNs);
  store<i64>(state + H_PROBE_LAST, nowNs);
  bump64(state + H_PROBES);
  return 1;
}

/**
 * The answer to probe `id` (or its loss: rttNs < 0, when it could not be sent or the session ended).
 * 1 when `id` is the probe out (it is no longer), 0 otherwise (a stale id: ignored).
 */
export function probeAnswered(state: usize, id: u64, rttNs: i64): i32 {
  if (id == 0 || load<u64>(state + H_PROBE_ID) != id) return 0;
  store<u64>(state + H_PROBE_ID, 0);
  if (rttNs >= 0) bump64(state + H_PROBE_ANSWERS);
  return 1;
}

/** The session ended: the probe out gets no answer in it. */
export function probeForget(state: usize): void {
  store<u64>(state + H_PROBE_ID, 0);
}

/** Send time of the oldest request still waiting for its first answer (i64.MAX: none). */
export function oldestPendingNs(state: usize): i64 {
  let oldest = load<u64>(state + H_PROBE_ID) != 0 ? load<i64>(state + H_PROBE_SENT) : i64.MAX_VALUE;
  const ot = sub(state, SUB_ORDERS);
  // The working orders are counted: stop at the last one instead of scanning to the table's high water
  // (asked on every tick).
  let left = orderTableOpenCount(ot);
  let slot = left == 0 ? -1 : orderTableNextLive(ot, 0);
  while (slot >= 0) {
    if (orderTableAcked(ot, slot) == 0) {
      const sent = orderTableSentNs(ot, slot);
      if (sent < oldest) oldest = sent;
    }
    slot = --left == 0 ? -1 : orderTableNextLive(ot, slot + 1);
  }
  return oldest;
}

/** Computes the verdict at nowNs, stores it (atomically: another thread may read it) and returns it. */
export function refreshRttVerdict(state: usize, nowNs: i64): i32 {
  const rtt = sub(state, SUB_RTT);
  let verdict = ExecRttVerdict.OK;
  if (rttWatchdogSamples(rtt) == 0) verdict = ExecRttVerdict.NO_SAMPLE;
  else if (<u32>rttWatchdogMode(rtt) == RttWatchdogMode.LOCKDOWN) verdict = ExecRttVerdict.LOCKDOWN;
  else {
    const oldest = oldestPendingNs(state);
    if (rttWatchdogHealthy(rtt, nowNs, oldest == i64.MAX_VALUE ? -1 : oldest) == 0) verdict = ExecRttVerdict.OVERDUE;
  }
  if (atomic.load<i32>(state + H_RTT_VERDICT) != verdict) atomic.store<i32>(state + H_RTT_VERDICT, verdict);
  return verdict;
}

/**
 * 1 when gate word `gate` (ExecGate) lets an order through: an entry needs it OPEN; an exit (working
 * inventory out) also passes RTT_ONLY while the watchdog is in LOCKDOWN, because a lockdown is
 * REDUCING: a slow path still carries exits, and the gate must not keep a position in because of it.
 */
export function gateAllows(state: usize, gate: i32, exit: bool): i32 {
  if (gate == ExecGate.OPEN) return 1;
  if (exit && gate == ExecGate.RTT_ONLY && <u32>rttWatchdogMode(sub(state, SUB_RTT)) == RttWatchdogMode.LOCKDOWN) return 1;
  return 0;
}
