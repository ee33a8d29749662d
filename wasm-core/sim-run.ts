// The deterministic simulator: the venue (matching engine + synthetic flow per symbol), a latency model and the
// same decision core as the live engine, on a virtual clock that jumps from one event to the next. No clock,
// no sockets, no sleeping: a run is a function of its configuration and seed (docs/sim.md).
//
// ── What happens, in order ─────────────────────────────────────────────────────────────────────────────
// Events (sim-queue.ts records; ties at one time run in push order):
//   FLOW      symbol   the symbol's flow decides (sim-flow.ts) and the matching engine carries it out;
//                      the next FLOW is queued one event interval later
//   MD_LEVEL  symbol   an L2 delta (sub = side, price, qty = the level's new total) reaches the strategy after
//                      the market-data latency: bookSet → oracleUpdate → Sonar's tick (sonar-tick.ts,
//                      as the live Sonar) → execOnBook → the commands
//   MD_TRADE  symbol   a trade (price, qty) reaches the strategy: execOnTrade (NEV's fill model)
//   ORDER     symbol   our command (sub = ExecCommand; id = clOrdId, id2 = orig, price, qty, x = side | kind << 8
//                      | tif << 16) reaches the venue after the order latency: matchSubmit/Cancel/Replace
//   REPORT    symbol   a report (sub = SimReport; id, id2, price, qty, x) reaches us after the report latency:
//                      execOnAck / Fill / Canceled / Reject / Replaced / Probe → the commands
//   GATE               every gate interval (1 ms, as the live cool loop): per symbol gateEvaluate with the
//                      core's RTT verdict, execSetGate(regime, sonarGateWord), as host/engine/sonar-stage.ts
//   SAMPLE             the equity curve's next point
//   END                the run's end: a last sample
// FLOW and GATE recur at fixed intervals and are most of the events: they are kept out of the heap, each as
// one (time, sequence) key taking its sequence number from the queue as a push would (simQueueTakeSeq), and run
// when their key comes before the heap's next; so they run exactly where a queued one would, at no heap cost.
// Between events, the execution core's deadline (execNextDeadline) runs execOnTimer when it falls at or before
// the next event; a deadline not after the last timer run is retried 1 ms later (the live timer's floor).
// Every NEW / CANCEL / REPLACE the core emits is hashed into the decision trace (sim-trace.ts) with its
// virtual time, and queued as an ORDER; a PROBE is answered after the round trip (order + report latency).
//
// Latency models: CONSTANT, a fixed latency per path (market data, order → venue, report → us), in ns; TABLE,
// round trips drawn from a recorded table (sim-latency.ts, set with simSetLatencyTable before simStart): each
// order's round trip is drawn when it is sent, in whole µs, half of it (rounded down) to the venue and the rest
// back, carried in the ORDER event's y so that the venue's answers to it travel the rest and its ack tells the
// execution core that round trip; a report that answers no order of ours travels half of its own draw; a probe
// and the login's first sample are one draw each. Market data keeps the constant latency.
//
// Replay scenarios (simSetReplay): a symbol's venue is a recording instead (sim-replay.ts). Its records take
// the FLOW's place (same periodic key, at start + the record's time): a LEVEL sets the recorded book and reaches
// the strategy as MD_LEVEL after the market-data latency, a TRADE reaches it as MD_TRADE and fills our resting
// orders at that price through the queue model (REPORT fills after the report latency). Our ORDER there: a
// passive limit is placed in the queue with the recorded level's total ahead; a marketable one (crossing the
// recorded touch) fills at once against the recorded opposite levels, at most their visible quantity, price by
// price, the IOC rest cancelled and a GTC remainder resting at its price; a cancel or replace of an order the
// venue no longer has is rejected UNKNOWN_ORDER; a replace takes the order out of its queue and places it anew.
//
// Money: charges per fill from the execution core's cost model (costFill, the same inputs execOnFill
// uses), summed per charge; equity = realized + unrealized − charges − OTR penalty (paise), sampled every
// `sampleNs` into the equity buffer; the peak-to-trough drawdown of those samples.
//
// ── Layout at `s` (64-byte aligned), simBytes(symbols, matchCapacity, matchLevels, queueCapacity,
//    equityCapacity, flowMaxResting) ──────────────────────────────────────────────────────────────────────
//   +0 magic u32 · +4 symbols i32 · +8 exec u32 · +12 match capacity u32 · +16 match levels u32
//   +20 queue u32 · +24 ring u32 · +28 trace u32 · +32 equity u32 · +36 equity capacity u32 · +40 samples u32
//   +44 finished u32 · +48 now i64 · +56 end i64 · +64 md latency i64 · +72 order latency i64
//   +80 report latency i64 · +88 sample interval i64 · +96 gate interval i64 · +104 events u64
//   +112 last timer run i64 · +120 client ref u32 · +124 call owner u32 · +128 call clOrdId u64
//   +136 call orig clOrdId u64 · +144 call symbol i32 · +148 rtt verdict last published i32
//   +152 charges i64[8] (STT, exchange, SEBI, stamp, GST, brokerage, total, turnover: cost-model order)
//   +216 cost scratch (64) · +280 popped record (48) · +328 counters u64: NEW, CANCEL, REPLACE, fills,
//   orders filled, rejects, timer runs, market events · +392 peak equity i64 · +400 max drawdown i64 · +408 orders map u32
//   +412 orders map mask u32 · +416 latency kind u32 · +420 flow max resting u32 · +424 gate seq u32
//   +428 earliest periodic i32 · +432 next gate i64 · +440 earliest flow i32 · +448 latency table u32 (TABLE)
//   +452 the round trip of the ORDER being handled, µs i32 (TABLE; 0 otherwise) · +424 next GATE seq u32
//   +428 the earliest periodic event i32 (PERIODIC_GATE, a symbol's FLOW, or PERIODIC_NONE) · +432 next GATE i64
//   +440 the symbol whose FLOW is earliest i32 (PERIODIC_NONE: none) · +456 venue order ids given (replay) u32 · +464 start i64
//   +512 per symbol, 128 bytes each:
//     +0 book u32 · +4 oracle u32 · +8 entropy u32 · +12 regime state u32 · +16 gate u32 · +20 match u32
//     +24 flow u32 · +28 slot map u32 (clOrdId u64 per matching slot) · +32 regime i32 · +36 tick paise i32
//     +40 feed seq i64 · +48 last T0 i64 · +56 gate mask i32 · +60 flow warm-up events i32
//     +64 regime last given to execSetGate i32 · +68 gate word last given i32 (−1: none yet)
//     +72 next FLOW i64 · +80 next FLOW seq u32 · +84 recorded market u32 (sim-replay.ts; 0: the synthetic venue)
//   then (64-aligned) queue · event ring · trace · equity i64[capacity] · orders map · per symbol
//   (64-aligned) matching state, flow state, slot map.
// Orders map: ORDERS_SLOTS records of 24 bytes by clOrdId & mask: +0 clOrdId u64 (0 free) · +8 matching id
// u32 · +12 symbol i32 · +16 cumulative qty i32 · +20 filled once u32. An order outliving ORDERS_SLOTS newer
// ids would lose its entry (its cancel is then refused as unknown): the core keeps far fewer working.
import { ringBytes, ringInit, ringPeek, ringRelease } from "./ring";
import { bookBestAsk, bookBestBid, bookSet } from "./book";
import { oracleUpdate } from "./oracle";
import { Regime } from "./regime";
import { gateEvaluate, gateOnRtt, TrustCheck } from "./trust-gate";
import { sonarGateWord, sonarOnTick } from "./sonar-tick";
import { costFill } from "./cost-model";
import { otrPenaltyPaise } from "./otr-ledger";
import {
  positionsTotalChargesPaise, positionsTotalRealizedPaise, positionsTotalUnrealizedPaise,
} from "./positions";
import {
  execCommandAddress, execCommandCount, execCommandsClear, execCostAddress, execNextDeadline, execOnAck,
  execOnBook, execOnCanceled, execOnFill, execOnProbe, execOnReject, execOnReplaced, execOnRtt, execOnTimer,
  execOnTrade, execOtrAddress, execPositionsAddress, execRttVerdict, execSetGate, execSymbolIndex,
} from "./execution";
import { ExecCommand, ExecRttVerdict } from "./exec-layout";
import {
  matchBytes, matchCancel, matchInit, matchReplace, matchResume, matchSubmit, MatchStatus, EventType, EventFlag,
} from "./matching";
import { flowBytes, flowForget, flowInit, flowIntervalNs, flowRemember, simFlowDecide, flowOp, flowPrice, flowQty,
  flowSide, flowTarget, FlowOp } from "./sim-flow";
import {
  simQueueBefore, simQueueBytes, simQueueInit, simQueueNextSeq, simQueueNextTime, simQueuePop, simQueuePush, simQueueTakeSeq,
} from "./sim-queue";
import { simTraceBytes, simTraceCommand, simTraceInit } from "./sim-trace";
import { simLatencyDraw } from "./sim-latency";
import { NO_PRICE, OrderKind, RejectReason, Side, TimeInForce } from "./vocabulary";
import {
  simReplayCrosses, simReplayLastFilled, simReplayLevelQty, simReplayNextLevel, simReplayNextTime, simReplayPlace,
  simReplayRelease, simReplaySlotId, simReplaySlotLastFill, simReplaySlotPrice, simReplaySlotRemaining,
  simReplaySlotResting, simReplaySlotSide, simReplaySlots, simReplayStep,
} from "./sim-replay";

/** Event kinds (sim-queue.ts kind byte). */
export namespace SimEvent {
  export const FLOW: i32 = 1;
  export const MD_LEVEL: i32 = 2;
  export const MD_TRADE: i32 = 3;
  export const ORDER: i32 = 4;
  export const REPORT: i32 = 5;
  export const GATE: i32 = 6;
  export const SAMPLE: i32 = 7;
  export const END: i32 = 8;
}

/** Report kinds (a REPORT event's sub byte). */
export namespace SimReport {
  export const ACK: i32 = 1;
  export const FILL: i32 = 2;
  export const CANCELED: i32 = 3;
  export const REJECT: i32 = 4;
  export const REPLACED: i32 = 5;
  export const PROBE: i32 = 6;
}

/** Latency models (simInit). */
export namespace SimLatency {
  export const CONSTANT: i32 = 0;
  /** Round trips drawn from a recorded table (sim-latency.ts). */
  export const TABLE: i32 = 1;
}

/** Counters (simCounter). */
export namespace SimCounter {
  export const NEW: i32 = 0;
  export const CANCEL: i32 = 1;
  export const REPLACE: i32 = 2;
  export const FILLS: i32 = 3;
  export const ORDERS_FILLED: i32 = 4;
  export const REJECTS: i32 = 5;
  export const TIMER_RUNS: i32 = 6;
  /** Market-data events handled by the decision side (MD_LEVEL and MD_TRADE). */
  export const MARKET_EVENTS: i32 = 7;
}

export namespace SimStatus {
  export const BAD_ARGUMENT: i32 = -1;
  export const MISALIGNED: i32 = -2;
  export const LATENCY_MODEL_NOT_BUILT: i32 = -3;
  export const MATCH_INIT_FAILED: i32 = -4;
  export const FLOW_INIT_FAILED: i32 = -5;
  export const BAD_SYMBOL: i32 = -6;
  export const NOT_INITIALIZED: i32 = -7;
  /** simStart with SimLatency.TABLE and no table set (simSetLatencyTable). */
  export const NO_LATENCY_TABLE: i32 = -8;
  /** simSetReplay on a recorded market that is not set up (sim-replay.ts simReplayInit). */
  export const BAD_REPLAY: i32 = -9;
}

const MAGIC: u32 = 0x4d495331; // "SIM1"
const SYMBOLS: usize = 4;
const EXEC: usize = 8;
const MATCH_CAP: usize = 12;
const MATCH_LEVELS: usize = 16;
const QUEUE: usize = 20;
const RING: usize = 24;
const TRACE: usize = 28;
const EQUITY: usize = 32;
const EQUITY_CAP: usize = 36;
const SAMPLES: usize = 40;
const FINISHED: usize = 44;
const NOW: usize = 48;
const END: usize = 56;
const MD_LAT: usize = 64;
const ORDER_LAT: usize = 72;
const REPORT_LAT: usize = 80;
const SAMPLE_NS: usize = 88;
const GATE_NS: usize = 96;
const EVENTS: usize = 104;
const LAST_TIMER: usize = 112;
const CLIENT_REF: usize = 120;
const CALL_OWNER: usize = 124;
const CALL_ID: usize = 128;
const CALL_ORIG: usize = 136;
const CALL_SYMBOL: usize = 144;
const VERDICT: usize = 148;
const CHARGES: usize = 152;
const COST_OUT: usize = 216;
const POPPED: usize = 280;
const COUNTERS: usize = 328;
const PEAK: usize = 392;
const MAX_DD: usize = 400;
const ORDERS: usize = 408;
const ORDERS_MASK: usize = 412;
const LATENCY_KIND: usize = 416;
const FLOW_MAX_RESTING: usize = 420;
const GATE_SEQ: usize = 424;
const EARLIEST: usize = 428;
const GATE_NEXT: usize = 432;
const EARLIEST_FLOW: usize = 440;
const LAT_TABLE: usize = 448;
const CUR_RTT_US: usize = 452;
const VENUE_IDS: usize = 456;
const START: usize = 464;
const HEADER: usize = 512;
const SYM: usize = 128;
// per symbol
const S_BOOK: usize = 0;
const S_ORACLE: usize = 4;
const S_ENTROPY: usize = 8;
const S_REGIME_STATE: usize = 12;
const S_GATE: usize = 16;
const S_MATCH: usize = 20;
const S_FLOW: usize = 24;
const S_SLOTS: usize = 28;
const S_REGIME: usize = 32;
const S_TICK: usize = 36;
const S_SEQ: usize = 40;
const S_LAST_T0: usize = 48;
const S_MASK: usize = 56;
const S_WARMUP: usize = 60;
const S_SENT_REGIME: usize = 64;
const S_SENT_WORD: usize = 68;
const S_FLOW_NEXT: usize = 72;
const S_FLOW_SEQ: usize = 80;
const S_REPLAY: usize = 84;

const RING_SLOTS: u32 = 4096;
const ORDERS_SLOTS: u32 = 4096;
const ORDER_REC: usize = 24;
/** Our orders' owner at the matching engine; the flow's is 0 (no identity, as at the venue). */
const OWNER_US: u32 = 1;
const OWNER_FLOW: u32 = 0;
const MS: i64 = 1_000_000;
/** The earliest periodic event: a symbol index (its FLOW, 0..63), the GATE, or none yet. */
const PERIODIC_GATE: i32 = 64;
const PERIODIC_NONE: i32 = 65;

@inline function al64(n: usize): usize {
  return (n + 63) & ~<usize>63;
}

@inline function symAt(s: usize, i: i32): usize {
  return s + HEADER + <usize>i * SYM;
}

@inline function u32At(a: usize): usize {
  return <usize>load<u32>(a);
}

function perSymbolBytes(matchCapacity: u32, matchLevels: u32, flowMaxResting: u32): usize {
  return al64(matchBytes(matchCapacity, matchLevels)) + al64(flowBytes(flowMaxResting, matchCapacity))
    + al64((<usize>matchCapacity + 1) << 3);
}

/** Bytes of a simulator state (0 when an argument is out of range). */
export function simBytes(symbols: i32, matchCapacity: u32, matchLevels: u32, queueCapacity: u32, equityCapacity: u32, flowMaxResting: u32): usize {
  if (symbols < 1 || symbols > 64 || matchBytes(matchCapacity, matchLevels) == 0 || simQueueBytes(queueCapacity) == 0
    || equityCapacity < 1 || flowMaxResting < 1) return 0;
  return al64(HEADER + <usize>symbols * SYM) + al64(simQueueBytes(queueCapacity)) + al64(ringBytes(RING_SLOTS))
    + al64(simTraceBytes()) + al64(<usize>equityCapacity << 3) + al64(<usize>ORDERS_SLOTS * ORDER_REC)
    + <usize>symbols * perSymbolBytes(matchCapacity, matchLevels, flowMaxResting);
}

/**
 * Lays the simulator out and starts its clock at `startNs` for `durationNs`. Latencies in ns (≥ 0),
 * `sampleNs` and `gateNs` > 0. The symbols are set with simSetSymbol, then simStart. 0 or a status.
 */
export function simInit(
  s: usize, symbols: i32, matchCapacity: u32, matchLevels: u32, queueCapacity: u32, equityCapacity: u32,
  flowMaxResting: u32, exec: usize, startNs: i64, durationNs: i64, latencyKind: i32, mdLatencyNs: i64,
  orderLatencyNs: i64, reportLatencyNs: i64, sampleNs: i64, gateNs: i64,
): i32 {
  if ((s & 63) != 0) return SimStatus.MISALIGNED;
  const bytes = simBytes(symbols, matchCapacity, matchLevels, queueCapacity, equityCapacity, flowMaxResting);
  if (bytes == 0 || durationNs <= 0 || mdLatencyNs < 0 || orderLatencyNs < 0 || reportLatencyNs < 0 || sampleNs <= 0
    || gateNs <= 0 || startNs < 0) return SimStatus.BAD_ARGUMENT;
  if (latencyKind != SimLatency.CONSTANT && latencyKind != SimLatency.TABLE) return SimStatus.LATENCY_MODEL_NOT_BUILT;
  memory.fill(s, 0, HEADER);
  store<i32>(s + SYMBOLS, symbols);
  store<u32>(s + EXEC, <u32>exec);
  store<u32>(s + MATCH_CAP, matchCapacity);
  store<u32>(s + MATCH_LEVELS, matchLevels);
  let at = s + al64(HEADER + <usize>symbols * SYM);
  store<u32>(s + QUEUE, <u32>at);
  simQueueInit(at, queueCapacity);
  at += al64(simQueueBytes(queueCapacity));
  store<u32>(s + RING, <u32>at);
  ringInit(at, RING_SLOTS);
  at += al64(ringBytes(RING_SLOTS));
  store<u32>(s + TRACE, <u32>at);
  simTraceInit(at);
  at += al64(simTraceBytes());
  store<u32>(s + EQUITY, <u32>at);
  store<u32>(s + EQUITY_CAP, equityCapacity);
  at += al64(<usize>equityCapacity << 3);
  store<u32>(s + ORDERS, <u32>at);
  store<u32>(s + ORDERS_MASK, ORDERS_SLOTS - 1);
  memory.fill(at, 0, <usize>ORDERS_SLOTS * ORDER_REC);
  at += al64(<usize>ORDERS_SLOTS * ORDER_REC);
  for (let i = 0; i < symbols; i++) {
    const r = symAt(s, i);
    memory.fill(r, 0, SYM);
    store<u32>(r + S_MATCH, <u32>at);
    at += al64(matchBytes(matchCapacity, matchLevels));
    store<u32>(r + S_FLOW, <u32>at);
    at += al64(flowBytes(flowMaxResting, matchCapacity));
    store<u32>(r + S_SLOTS, <u32>at);
    memory.fill(at, 0, (<usize>matchCapacity + 1) << 3);
    at += al64((<usize>matchCapacity + 1) << 3);
    store<i32>(r + S_REGIME, <i32>Regime.VETO);
    store<i32>(r + S_MASK, TrustCheck.FEED_STALE);
    store<i32>(r + S_SENT_REGIME, -1);
    store<i32>(r + S_SENT_WORD, -1);
    store<i64>(r + S_FLOW_NEXT, i64.MAX_VALUE);
  }
  store<i64>(s + GATE_NEXT, i64.MAX_VALUE);
  store<i32>(s + EARLIEST, PERIODIC_NONE);
  store<i32>(s + EARLIEST_FLOW, PERIODIC_NONE);
  store<i64>(s + NOW, startNs);
  store<i64>(s + START, startNs);
  store<i64>(s + END, startNs + durationNs);
  store<i64>(s + MD_LAT, mdLatencyNs);
  store<i64>(s + ORDER_LAT, orderLatencyNs);
  store<i64>(s + REPORT_LAT, reportLatencyNs);
  store<i64>(s + SAMPLE_NS, sampleNs);
  store<i64>(s + GATE_NS, gateNs);
  store<i64>(s + LAST_TIMER, i64.MIN_VALUE);
  store<i32>(s + VERDICT, -1);
  store<i32>(s + LATENCY_KIND, latencyKind);
  store<u32>(s + FLOW_MAX_RESTING, flowMaxResting);
  store<u32>(s, MAGIC);
  return 0;
}

/**
 * Symbol `index`: the decision side's regions (book, oracle, Sonar's entropy, regime and gate states, as the
 * live engine's memory plan has them), the venue's band [basePrice, basePrice + matchLevels) and tick, and
 * its flow (sim-flow.ts flowInit's parameters, and the flow events simStart runs before the clock starts). The execution core must already know the symbol
 * (execSetSymbol with the same tick and lot). 0 or a status.
 */
export function simSetSymbol(
  s: usize, index: i32, book: usize, oracle: usize, entropy: usize, regime: usize, gate: usize, tickPaise: i32,
  basePrice: i32, seed: u32, refPrice: i32, eventsPerSecond: f64, sigmaTicks: f64, passive: f64, cancel: f64,
  info: f64, depthTicks: i32, minLots: i32, maxLots: i32, lotSize: i32, warmupEvents: i32,
): i32 {
  if (load<u32>(s) != MAGIC) return SimStatus.NOT_INITIALIZED;
  if (index < 0 || index >= load<i32>(s + SYMBOLS) || tickPaise < 1 || warmupEvents < 0) return SimStatus.BAD_SYMBOL;
  const r = symAt(s, index);
  store<u32>(r + S_BOOK, <u32>book);
  store<u32>(r + S_ORACLE, <u32>oracle);
  store<u32>(r + S_ENTROPY, <u32>entropy);
  store<u32>(r + S_REGIME_STATE, <u32>regime);
  store<u32>(r + S_GATE, <u32>gate);
  store<i32>(r + S_TICK, tickPaise);
  store<i32>(r + S_WARMUP, warmupEvents);
  const cap = load<u32>(s + MATCH_CAP);
  const levels = load<u32>(s + MATCH_LEVELS);
  if (matchInit(u32At(r + S_MATCH), cap, levels, basePrice, 0) != 0) return SimStatus.MATCH_INIT_FAILED;
  const st = flowInit(u32At(r + S_FLOW), seed, refPrice, basePrice, basePrice + <i32>levels - 1, eventsPerSecond,
    sigmaTicks, passive, cancel, info, depthTicks, minLots, maxLots, lotSize, load<u32>(s + FLOW_MAX_RESTING), cap);
  return st != 0 ? SimStatus.FLOW_INIT_FAILED : 0;
}

/**
 * Symbol `index` trades against a recording instead of the synthetic flow: the recorded market at `replay`
 * (sim-replay.ts, set up by simReplayInit). After simSetSymbol (whose flow then never runs: pass no warm-up),
 * before simStart. 0 or a status.
 */
export function simSetReplay(s: usize, index: i32, replay: usize): i32 {
  if (load<u32>(s) != MAGIC) return SimStatus.NOT_INITIALIZED;
  if (index < 0 || index >= load<i32>(s + SYMBOLS)) return SimStatus.BAD_SYMBOL;
  if (replay == 0 || simReplaySlots(replay) == 0) return SimStatus.BAD_REPLAY;
  store<u32>(symAt(s, index) + S_REPLAY, <u32>replay);
  return 0;
}

/** Symbol `index`'s recorded market (0: the synthetic venue). */
export function simReplayAddress(s: usize, index: i32): usize { return u32At(symAt(s, index) + S_REPLAY); }

/**
 * Runs each symbol's warm-up flow events at the start time (the book fills before anyone trades), gives
 * the execution core its first RTT sample (the live engine's login round trip: order + report latency), and
 * queues the first FLOW of each symbol, the first GATE, SAMPLE and the END. 0 or a status.
 */
export function simStart(s: usize): i32 {
  if (load<u32>(s) != MAGIC) return SimStatus.NOT_INITIALIZED;
  if (tableMode(s) && load<u32>(s + LAT_TABLE) == 0) return SimStatus.NO_LATENCY_TABLE;
  const now = load<i64>(s + NOW);
  const q = u32At(s + QUEUE);
  const n = load<i32>(s + SYMBOLS);
  for (let i = 0; i < n; i++) {
    const warmup = load<i32>(symAt(s, i) + S_WARMUP);
    for (let k = 0; k < warmup; k++) flowEvent(s, i, now);
    scheduleFlow(s, i, now);
  }
  const exec = u32At(s + EXEC);
  execOnRtt(exec, roundTrip(s), now);
  flushCommands(s, now);
  scheduleGate(s, now);
  simQueuePush(q, now + load<i64>(s + SAMPLE_NS), SimEvent.SAMPLE, 0, 0, 0, 0, 0, 0, 0, 0);
  simQueuePush(q, load<i64>(s + END), SimEvent.END, 0, 0, 0, 0, 0, 0, 0, 0);
  store<i64>(s + PEAK, equityNow(s));
  return 0;
}

/** Queues symbol i's next FLOW one interval after `t` (outside the heap, in the queue's order). */
function scheduleFlow(s: usize, i: i32, t: i64): void {
  const r = symAt(s, i);
  const rp = u32At(r + S_REPLAY);
  if (rp == 0) store<i64>(r + S_FLOW_NEXT, t + flowIntervalNs(u32At(r + S_FLOW)));
  else {
    // A recording: its next record, at the recording's time from the start (none left: no more).
    const rt = simReplayNextTime(rp);
    store<i64>(r + S_FLOW_NEXT, rt == i64.MAX_VALUE ? i64.MAX_VALUE : load<i64>(s + START) + rt);
  }
  store<u32>(r + S_FLOW_SEQ, simQueueTakeSeq(u32At(s + QUEUE)));
  // The earliest FLOW changes only here: found again over the symbols, then set against the GATE.
  const n = load<i32>(s + SYMBOLS);
  let best = PERIODIC_NONE;
  let bt = i64.MAX_VALUE;
  let bs: u32 = 0;
  for (let k = 0; k < n; k++) {
    const rk = symAt(s, k);
    const tk = load<i64>(rk + S_FLOW_NEXT);
    if (tk == i64.MAX_VALUE) continue;
    const sk = load<u32>(rk + S_FLOW_SEQ);
    if (best == PERIODIC_NONE || simQueueBefore(tk, sk, bt, bs) != 0) {
      best = k;
      bt = tk;
      bs = sk;
    }
  }
  store<i32>(s + EARLIEST_FLOW, best);
  findEarliest(s);
}

/** Queues the next GATE one gate interval after `t` (outside the heap, in the queue's order). */
function scheduleGate(s: usize, t: i64): void {
  store<i64>(s + GATE_NEXT, t + load<i64>(s + GATE_NS));
  store<u32>(s + GATE_SEQ, simQueueTakeSeq(u32At(s + QUEUE)));
  findEarliest(s);
}

/** The earliest periodic event by (time, seq): the GATE or the earliest FLOW, kept at EARLIEST (they change only
 *  when one runs). */
@inline function findEarliest(s: usize): void {
  const f = load<i32>(s + EARLIEST_FLOW);
  const gt = load<i64>(s + GATE_NEXT);
  let best = f;
  if (gt != i64.MAX_VALUE) {
    if (f == PERIODIC_NONE) best = PERIODIC_GATE;
    else {
      const r = symAt(s, f);
      if (simQueueBefore(gt, load<u32>(s + GATE_SEQ), load<i64>(r + S_FLOW_NEXT), load<u32>(r + S_FLOW_SEQ)) != 0) best = PERIODIC_GATE;
    }
  }
  store<i32>(s + EARLIEST, best);
}

@inline function rtt(s: usize): i64 {
  return load<i64>(s + ORDER_LAT) + load<i64>(s + REPORT_LAT);
}

/** The recorded table to draw round trips from (sim-latency.ts), with SimLatency.TABLE. 0 or BAD_ARGUMENT. */
export function simSetLatencyTable(s: usize, table: usize): i32 {
  if (load<u32>(s) != MAGIC) return SimStatus.NOT_INITIALIZED;
  if (table == 0 || (table & 7) != 0) return SimStatus.BAD_ARGUMENT;
  store<u32>(s + LAT_TABLE, <u32>table);
  return 0;
}

@inline function tableMode(s: usize): bool {
  return load<u32>(s + LATENCY_KIND) == <u32>SimLatency.TABLE;
}

/** A round trip drawn from the table, whole µs (≥ 1). */
@inline function drawUs(s: usize): i32 {
  const us = simLatencyDraw(u32At(s + LAT_TABLE)) / 1000;
  return us < 1 ? 1 : (us > i32.MAX_VALUE ? i32.MAX_VALUE : <i32>us);
}

/** A whole round trip, ns: the constant paths' sum, or one draw. */
@inline function roundTrip(s: usize): i64 {
  return tableMode(s) ? <i64>drawUs(s) * 1000 : rtt(s);
}

@inline function bump(s: usize, counter: i32): void {
  const a = s + COUNTERS + (<usize>counter << 3);
  store<u64>(a, load<u64>(a) + 1);
}

/** Processes at most `maxEvents` events (the deadline's timer runs count as events); how many, 0 when done. */
export function simRun(s: usize, maxEvents: i32): i32 {
  if (load<u32>(s) != MAGIC || load<u32>(s + FINISHED) != 0) return 0;
  const q = u32At(s + QUEUE);
  const exec = u32At(s + EXEC);
  const ev = s + POPPED;
  let done = 0;
  // execNextDeadline is a function of the execution state alone, which only the exec* calls change: it is
  // asked again only after an event that called one (FLOW, ORDER and most GATE turns do not).
  let deadline: i64 = 0;
  let stale = true;
  while (done < maxEvents) {
    // The next event: the heap's, or the earliest periodic one when its (time, seq) comes first.
    let next = simQueueNextTime(q);
    const pk = load<i32>(s + EARLIEST);
    let pt = i64.MAX_VALUE;
    if (pk != PERIODIC_NONE) {
      const ps = pk == PERIODIC_GATE ? load<u32>(s + GATE_SEQ) : load<u32>(symAt(s, pk) + S_FLOW_SEQ);
      pt = pk == PERIODIC_GATE ? load<i64>(s + GATE_NEXT) : load<i64>(symAt(s, pk) + S_FLOW_NEXT);
      if (next == i64.MAX_VALUE || simQueueBefore(pt, ps, next, simQueueNextSeq(q)) != 0) next = pt;
      else pt = i64.MAX_VALUE;
    }
    // The execution core's own deadline, when it comes first (a deadline not after the last run: 1 ms on).
    if (stale) {
      deadline = execNextDeadline(exec);
      stale = false;
    }
    if (deadline != i64.MAX_VALUE) {
      const last = load<i64>(s + LAST_TIMER);
      let due = deadline;
      if (due <= last) due = last + MS;
      const now0 = load<i64>(s + NOW);
      if (due < now0) due = now0;
      if (due <= next && due < load<i64>(s + END)) {
        store<i64>(s + NOW, due);
        store<i64>(s + LAST_TIMER, due);
        execOnTimer(exec, due);
        flushCommands(s, due);
        bump(s, SimCounter.TIMER_RUNS);
        stale = true;
        done++;
        continue;
      }
    }
    if (pt != i64.MAX_VALUE) {
      store<i64>(s + NOW, pt);
      done++;
      if (pk == PERIODIC_GATE) {
        if (evaluateGates(s, pt)) stale = true;
        scheduleGate(s, pt);
      } else {
        if (load<u32>(symAt(s, pk) + S_REPLAY) != 0) replayEvent(s, pk, pt);
        else flowEvent(s, pk, pt);
        scheduleFlow(s, pk, pt);
      }
      continue;
    }
    if (simQueuePop(q, ev) == 0) {
      store<u32>(s + FINISHED, 1);
      break;
    }
    const t = load<i64>(ev);
    store<i64>(s + NOW, t);
    done++;
    const kind = <i32>load<u8>(ev + 12);
    const sym = <i32>load<u16>(ev + 14);
    if (kind == SimEvent.FLOW) {
      flowEvent(s, sym, t); // one a scenario queued itself; the periodic ones run above
    } else if (kind == SimEvent.MD_LEVEL) {
      bump(s, SimCounter.MARKET_EVENTS);
      onLevel(s, sym, <u32>load<u8>(ev + 13), load<i32>(ev + 32), load<i32>(ev + 36), t);
      stale = true;
    } else if (kind == SimEvent.MD_TRADE) {
      bump(s, SimCounter.MARKET_EVENTS);
      execOnTrade(exec, sym, load<i32>(ev + 32), load<i32>(ev + 36), t);
      flushCommands(s, t);
      stale = true;
    } else if (kind == SimEvent.ORDER) {
      store<i32>(s + CUR_RTT_US, load<i32>(ev + 44));
      atVenue(s, sym, t);
      store<i32>(s + CUR_RTT_US, 0);
    } else if (kind == SimEvent.REPORT) {
      onReport(s, sym, t);
      stale = true;
    } else if (kind == SimEvent.GATE) {
      if (evaluateGates(s, t)) stale = true; // one a scenario queued itself
    } else if (kind == SimEvent.SAMPLE) {
      sample(s);
      stale = true;
      const nt = t + load<i64>(s + SAMPLE_NS);
      if (nt < load<i64>(s + END)) simQueuePush(q, nt, SimEvent.SAMPLE, 0, 0, 0, 0, 0, 0, 0, 0);
    } else if (kind == SimEvent.END) {
      sample(s);
      store<u32>(s + FINISHED, 1);
      break;
    }
  }
  store<u64>(s + EVENTS, load<u64>(s + EVENTS) + <u64>done);
  return done;
}

// ── the decision side ─────────────────────────────────────────────────────────────────────────────────

/** An L2 delta reaches the strategy: the live market stage's tick, Sonar's tick, the fused decision. */
function onLevel(s: usize, i: i32, side: u32, price: i32, qty: i32, t: i64): void {
  const r = symAt(s, i);
  const book = u32At(r + S_BOOK);
  const oracle = u32At(r + S_ORACLE);
  if (bookSet(book, side, price, qty) < 0) return; // outside the book's window: the live feed drops it too
  oracleUpdate(oracle, book);
  // Sonar's tick, as host/engine/sonar-stage.ts drains it: the regime at max(t, last), the gate only when not older.
  const lastT0 = load<i64>(r + S_LAST_T0);
  let seq: i64 = -1;
  if (t >= lastT0) {
    store<i64>(r + S_LAST_T0, t);
    seq = load<i64>(r + S_SEQ) + 1;
    store<i64>(r + S_SEQ, seq);
  }
  store<i32>(r + S_REGIME, sonarOnTick(u32At(r + S_ENTROPY), u32At(r + S_REGIME_STATE), u32At(r + S_GATE),
    bookBestBid(book), bookBestAsk(book), t > lastT0 ? t : lastT0, seq));
  execOnBook(u32At(s + EXEC), i, book, oracle, t);
  flushCommands(s, t);
}

/** Sonar's evaluate (host/engine/sonar-stage.ts): the RTT verdict into each gate, the gate word to execution.
 *  Whether it called into the execution core. */
function evaluateGates(s: usize, t: i64): bool {
  const exec = u32At(s + EXEC);
  const n = load<i32>(s + SYMBOLS);
  const verdict = execRttVerdict(exec);
  let called = false;
  if (verdict != load<i32>(s + VERDICT)) {
    store<i32>(s + VERDICT, verdict);
    const healthy = verdict == ExecRttVerdict.OK ? 1 : 0;
    for (let i = 0; i < n; i++) gateOnRtt(u32At(symAt(s, i) + S_GATE), healthy, t);
  }
  for (let i = 0; i < n; i++) {
    const r = symAt(s, i);
    const mask = gateEvaluate(u32At(r + S_GATE), u32At(r + S_BOOK), t);
    store<i32>(r + S_MASK, mask);
    // execSetGate only stores the two words (and nothing else writes them): a call repeating the last
    // values changes nothing, so it is made only when one changed (most 1 ms turns repeat them).
    const regime = load<i32>(r + S_REGIME);
    const word = sonarGateWord(mask, 0);
    if (regime != load<i32>(r + S_SENT_REGIME) || word != load<i32>(r + S_SENT_WORD)) {
      store<i32>(r + S_SENT_REGIME, regime);
      store<i32>(r + S_SENT_WORD, word);
      execSetGate(exec, i, regime, word);
      called = true;
    }
  }
  return called;
}

/** The core's command buffer: each order command hashed and sent toward the venue; probes answered. */
function flushCommands(s: usize, t: i64): void {
  const exec = u32At(s + EXEC);
  const n = execCommandCount(exec);
  if (n == 0) return;
  const base = execCommandAddress(exec);
  const q = u32At(s + QUEUE);
  const trace = u32At(s + TRACE);
  for (let k = 0; k < n; k++) {
    const c = base + (<usize>k << 5);
    const type = <i32>load<u8>(c);
    const side = <i32>load<u8>(c + 1);
    const okind = <i32>load<u8>(c + 2);
    const tif = <i32>load<u8>(c + 3);
    const id = load<u64>(c + 8);
    const orig = load<u64>(c + 16);
    const price = load<i32>(c + 24);
    const qty = load<i32>(c + 28);
    if (type == ExecCommand.PROBE) {
      const r = roundTrip(s);
      simQueuePush(q, t + r, SimEvent.REPORT, SimReport.PROBE, 0, id, 0, 0, 0, 0, <i32>(r / 1000));
      continue;
    }
    const index = execSymbolIndex(exec, load<u32>(c + 4));
    simTraceCommand(trace, t, type, id, index, side, price, qty);
    if (type == ExecCommand.NEW) bump(s, SimCounter.NEW);
    else if (type == ExecCommand.CANCEL) bump(s, SimCounter.CANCEL);
    else if (type == ExecCommand.REPLACE) bump(s, SimCounter.REPLACE);
    let leg = load<i64>(s + ORDER_LAT);
    let rttUs = 0;
    if (tableMode(s)) {
      rttUs = drawUs(s);
      leg = <i64>(rttUs >> 1) * 1000;
    }
    simQueuePush(q, t + leg, SimEvent.ORDER, type, index < 0 ? 0 : index, id, orig, price, qty,
      side | (okind << 8) | (tif << 16), rttUs);
  }
  execCommandsClear(exec);
}

/** A report reaches the execution core. */
function onReport(s: usize, i: i32, t: i64): void {
  const exec = u32At(s + EXEC);
  const ev = s + POPPED;
  const sub = <i32>load<u8>(ev + 13);
  const id = load<u64>(ev + 16);
  const id2 = load<u64>(ev + 24);
  const price = load<i32>(ev + 32);
  const qty = load<i32>(ev + 36);
  const x = load<i32>(ev + 40);
  const y = load<i32>(ev + 44);
  if (sub == SimReport.ACK) execOnAck(exec, id, id2, tableMode(s) ? <i64>y * 1000 : rtt(s), t);
  else if (sub == SimReport.FILL) {
    // The charges of this fill, per charge: the same cost model and inputs as execOnFill's.
    const out = s + COST_OUT;
    const tick = load<i32>(symAt(s, i) + S_TICK);
    if (costFill(execCostAddress(exec), x, <i64>price * <i64>tick, <i64>qty, out) >= 0) {
      for (let k: usize = 0; k < 64; k += 8) store<i64>(s + CHARGES + k, load<i64>(s + CHARGES + k) + load<i64>(out + k));
    }
    execOnFill(exec, id, price, qty, t);
  } else if (sub == SimReport.CANCELED) execOnCanceled(exec, id, t);
  else if (sub == SimReport.REJECT) execOnReject(exec, id, x, t);
  else if (sub == SimReport.REPLACED) execOnReplaced(exec, id, id2, <u64>x, t);
  else if (sub == SimReport.PROBE) execOnProbe(exec, id, tableMode(s) ? <i64>y * 1000 : rtt(s), t);
  flushCommands(s, t);
}

// ── the venue ─────────────────────────────────────────────────────────────────────────────────────────

@inline function orderRec(s: usize, clOrdId: u64): usize {
  return u32At(s + ORDERS) + <usize>(<u32>clOrdId & load<u32>(s + ORDERS_MASK)) * ORDER_REC;
}

/** Our order `clOrdId`'s record, or 0 when unknown. */
function findOrder(s: usize, clOrdId: u64): usize {
  const r = orderRec(s, clOrdId);
  return clOrdId != 0 && load<u64>(r) == clOrdId ? r : 0;
}

@inline function slotOf(s: usize, i: i32, matchId: u32): usize {
  const cap = load<u32>(s + MATCH_CAP);
  const mask = (<u32>1 << (<u32>32 - clz<u32>(cap))) - 1;
  return u32At(symAt(s, i) + S_SLOTS) + (<usize>(matchId & mask) << 3);
}

@inline function report(s: usize, t: i64, sub: i32, i: i32, id: u64, id2: u64, price: i32, qty: i32, x: i32): void {
  let leg = load<i64>(s + REPORT_LAT);
  let rttUs = 0;
  if (tableMode(s)) {
    // An answer to the ORDER being handled travels the rest of its round trip; any other report half a draw.
    rttUs = load<i32>(s + CUR_RTT_US);
    const whole = rttUs > 0 ? rttUs : drawUs(s);
    leg = <i64>(whole - (whole >> 1)) * 1000;
  }
  simQueuePush(u32At(s + QUEUE), t + leg, SimEvent.REPORT, sub, i, id, id2, price, qty, x, rttUs);
}

/** The venue's Reject reason for a matching status (host/venue/market/symbol-market.ts rejectReasonOf). */
function rejectReason(status: i32): i32 {
  if (status == MatchStatus.BAD_SIDE) return RejectReason.BAD_SIDE;
  if (status == MatchStatus.BAD_KIND) return RejectReason.BAD_KIND;
  if (status == MatchStatus.BAD_TIF) return RejectReason.BAD_TIF;
  if (status == MatchStatus.BAD_QTY) return RejectReason.BAD_QTY;
  if (status == MatchStatus.OUT_OF_BAND) return RejectReason.PRICE_OUT_OF_BAND;
  if (status == MatchStatus.POST_ONLY_WOULD_CROSS) return RejectReason.POST_ONLY_WOULD_CROSS;
  if (status == MatchStatus.POOL_FULL) return RejectReason.POOL_FULL;
  return RejectReason.UNKNOWN_ORDER;
}

/** Our command reaches the venue. */
function atVenue(s: usize, i: i32, t: i64): void {
  const ev = s + POPPED;
  const type = <i32>load<u8>(ev + 13);
  const id = load<u64>(ev + 16);
  const orig = load<u64>(ev + 24);
  const price = load<i32>(ev + 32);
  const qty = load<i32>(ev + 36);
  const x = load<i32>(ev + 40);
  const rp = u32At(symAt(s, i) + S_REPLAY);
  if (rp != 0) {
    replayAtVenue(s, rp, i, t, type, id, orig, price, qty, x);
    return;
  }
  const match = u32At(symAt(s, i) + S_MATCH);
  const ring = u32At(s + RING);
  const ref = load<u32>(s + CLIENT_REF) + 1;
  store<u32>(s + CLIENT_REF, ref);
  store<u32>(s + CALL_OWNER, OWNER_US);
  store<u64>(s + CALL_ID, id);
  store<u64>(s + CALL_ORIG, orig);
  store<i32>(s + CALL_SYMBOL, i);
  if (type == ExecCommand.NEW) {
    newOrder(s, id, i);
    finish(s, i, t, matchSubmit(match, ring, OWNER_US, ref, <u32>(x & 0xff), <u32>((x >> 8) & 0xff),
      <u32>((x >> 16) & 0xff), price, qty, t));
    return;
  }
  const r = findOrder(s, orig);
  if (r == 0 || load<u32>(r + 8) == 0) {
    report(s, t, SimReport.REJECT, i, id, 0, 0, 0, 32);
    return;
  }
  if (type == ExecCommand.CANCEL) {
    finish(s, i, t, matchCancel(match, ring, load<u32>(r + 8), ref, t));
  } else if (type == ExecCommand.REPLACE) {
    const leaves = qty - load<i32>(r + 16);
    if (leaves <= 0) {
      report(s, t, SimReport.REJECT, i, id, 0, 0, 0, 19);
      return;
    }
    finish(s, i, t, matchReplace(match, ring, load<u32>(r + 8), price, leaves, ref, t));
  }
}

/** Drains the matching engine's events until its call ends (resuming after NEED_DRAIN); the call's answer. */
function finish(s: usize, i: i32, t: i64, first: i32): i32 {
  let status = first;
  const match = u32At(symAt(s, i) + S_MATCH);
  const ring = u32At(s + RING);
  for (;;) {
    drain(s, i, t);
    if (status != MatchStatus.NEED_DRAIN) break;
    status = matchResume(match, ring);
  }
  store<u32>(s + CALL_OWNER, OWNER_FLOW);
  return status;
}

/** The flow's next event at the venue. */
function flowEvent(s: usize, i: i32, t: i64): void {
  const r = symAt(s, i);
  const f = u32At(r + S_FLOW);
  const match = u32At(r + S_MATCH);
  const ring = u32At(s + RING);
  const op = simFlowDecide(f, match);
  if (op == FlowOp.NONE) return;
  const ref = load<u32>(s + CLIENT_REF) + 1;
  store<u32>(s + CLIENT_REF, ref);
  store<u32>(s + CALL_OWNER, OWNER_FLOW);
  store<u64>(s + CALL_ID, 0);
  if (op == FlowOp.CANCEL) {
    if (finish(s, i, t, matchCancel(match, ring, flowTarget(f), ref, t)) < 0) flowForget(f, flowTarget(f));
    return;
  }
  const tif = op == FlowOp.PASSIVE ? TimeInForce.GTC : TimeInForce.IOC;
  const id = finish(s, i, t, matchSubmit(match, ring, OWNER_FLOW, ref, <u32>flowSide(f), OrderKind.LIMIT, tif,
    flowPrice(f), flowQty(f), t));
  if (id > 0) flowRemember(f, <u32>id);
}

/** Forgets our order at matching id `matchId` (filled or canceled). */
function dropOrder(s: usize, i: i32, matchId: u32): void {
  const slot = slotOf(s, i, matchId);
  const r = findOrder(s, load<u64>(slot));
  if (r != 0 && load<u32>(r + 8) == matchId) store<u64>(r, 0);
  store<u64>(slot, 0);
}

/** The matching engine's events: L2 deltas and trades toward the strategy, reports toward us, the flow's bookkeeping. */
function drain(s: usize, i: i32, t: i64): void {
  const ring = u32At(s + RING);
  const q = u32At(s + QUEUE);
  const md = t + load<i64>(s + MD_LAT);
  const f = u32At(symAt(s, i) + S_FLOW);
  const ours = load<u32>(s + CALL_OWNER) == OWNER_US;
  const callId = load<u64>(s + CALL_ID);
  for (;;) {
    const e = ringPeek(ring);
    if (e == 0) break;
    const type = <u32>load<u8>(e);
    const side = <i32>load<u8>(e + 1);
    const flags = <u32>load<u8>(e + 3);
    const id = load<u32>(e + 16);
    const id2 = load<u32>(e + 20);
    const owner = load<u32>(e + 24);
    const owner2 = load<u32>(e + 28);
    const price = load<i32>(e + 32);
    const qty = load<i32>(e + 36);
    const leaves = load<i32>(e + 40);
    if ((flags & EventFlag.LEVEL) != 0) {
      const lq = load<i64>(e + 48);
      simQueuePush(q, md, SimEvent.MD_LEVEL, side, i, 0, 0, load<i32>(e + 56), lq > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>lq, 0, 0);
    }
    if (type == EventType.ACCEPTED) {
      if (ours && owner == OWNER_US) {
        const r = findOrder(s, callId);
        if (r != 0) store<u32>(r + 8, id);
        store<u64>(slotOf(s, i, id), callId);
        report(s, t, SimReport.ACK, i, callId, <u64>id, price, qty, 0);
      }
    } else if (type == EventType.FILL) {
      simQueuePush(q, md, SimEvent.MD_TRADE, 0, i, 0, 0, price, qty, 0, 0);
      if (owner == OWNER_US) fillOurs(s, i, t, id, side, price, qty, leaves);
      else if (leaves == 0) flowForget(f, id);
      if (owner2 == OWNER_US) fillOurs(s, i, t, id2, side ^ 1, price, qty, load<i32>(e + 44));
    } else if (type == EventType.CANCELED) {
      if (owner == OWNER_US) {
        const clOrdId = load<u64>(slotOf(s, i, id));
        report(s, t, SimReport.CANCELED, i, clOrdId, ours ? callId : 0, price, qty, 0);
        dropOrder(s, i, id);
      } else flowForget(f, id);
    } else if (type == EventType.REJECTED) {
      if (ours) {
        report(s, t, SimReport.REJECT, i, callId, 0, 0, 0, rejectReason(-<i32>load<u8>(e + 2)));
        if (load<u64>(s + CALL_ORIG) == 0) {
          const r = findOrder(s, callId);
          if (r != 0) store<u64>(r, 0);
        }
      }
    } else if (type == EventType.REPLACED) {
      if (ours && owner == OWNER_US) {
        const orig = load<u64>(s + CALL_ORIG);
        const old = findOrder(s, orig);
        const cum = old != 0 ? load<i32>(old + 16) : 0;
        const filled = old != 0 ? load<u32>(old + 20) : 0;
        if (old != 0) store<u64>(old, 0);
        store<u64>(slotOf(s, i, id), 0);
        const r = orderRec(s, callId);
        store<u64>(r, callId);
        store<u32>(r + 8, id2);
        store<i32>(r + 12, i);
        store<i32>(r + 16, cum);
        store<u32>(r + 20, filled);
        store<u64>(slotOf(s, i, id2), callId);
        report(s, t, SimReport.REPLACED, i, orig, callId, price, qty, <i32>id2);
      }
    }
    ringRelease(ring);
  }
}

/** A fill of our order at matching id `matchId` (side: ours). */
function fillOurs(s: usize, i: i32, t: i64, matchId: u32, side: i32, price: i32, qty: i32, leaves: i32): void {
  fillOrder(s, i, t, load<u64>(slotOf(s, i, matchId)), side, price, qty);
  if (leaves == 0) dropOrder(s, i, matchId);
}


// ── the recorded venue (replay scenarios) ─────────────────────────────────────────────────────────────
// Our order's orders-map record holds its queue slot + 1 at +8 (0: not resting); its side and price are the slot's.

/** The recording's next record: the recorded book and the queue model, then toward the strategy. */
function replayEvent(s: usize, i: i32, t: i64): void {
  const rp = u32At(symAt(s, i) + S_REPLAY);
  const rec = simReplayStep(rp);
  if (rec == 0) return;
  const side = load<i32>(rec + 12);
  const price = load<i32>(rec + 16);
  const qty = load<i32>(rec + 20);
  const q = u32At(s + QUEUE);
  const md = t + load<i64>(s + MD_LAT);
  if (load<i32>(rec + 8) == 0) {
    simQueuePush(q, md, SimEvent.MD_LEVEL, side, i, 0, 0, price, qty, 0, 0);
    return;
  }
  simQueuePush(q, md, SimEvent.MD_TRADE, 0, i, 0, 0, price, qty, 0, 0);
  if (simReplayLastFilled(rp) == 0) return;
  const n = simReplaySlots(rp);
  for (let k: u32 = 0; k < n; k++) {
    const id = simReplaySlotId(rp, k);
    if (id == 0) continue;
    const lots = simReplaySlotLastFill(rp, k);
    if (lots <= 0) continue;
    // A resting order fills at its own price (a trade through it emptied its level).
    fillOrder(s, i, t, id, <i32>simReplaySlotSide(rp, k), simReplaySlotPrice(rp, k), <i32>lots);
    if (simReplaySlotResting(rp, k) == 0) {
      simReplayRelease(rp, k);
      const r = findOrder(s, id);
      if (r != 0) store<u64>(r, 0);
    }
  }
}

/** Our NEW order `id` of symbol `i` enters the orders map, nothing filled, not resting anywhere yet: its record. */
function newOrder(s: usize, id: u64, i: i32): usize {
  const r = orderRec(s, id);
  store<u64>(r, id);
  store<u32>(r + 8, 0);
  store<i32>(r + 12, i);
  store<i32>(r + 16, 0);
  store<u32>(r + 20, 0);
  return r;
}

/** A fill of our order `clOrdId`, at the matching engine or the recorded venue (side: ours): counted, its
 *  report queued. */
function fillOrder(s: usize, i: i32, t: i64, clOrdId: u64, side: i32, price: i32, qty: i32): void {
  const r = findOrder(s, clOrdId);
  if (r != 0) {
    store<i32>(r + 16, load<i32>(r + 16) + qty);
    if (load<u32>(r + 20) == 0) {
      store<u32>(r + 20, 1);
      bump(s, SimCounter.ORDERS_FILLED);
    }
  }
  bump(s, SimCounter.FILLS);
  report(s, t, SimReport.FILL, i, clOrdId, 0, price, qty, side);
}

/** Takes up to `qty` lots for `clOrdId` from the recorded levels opposite `side` up to `limit`; the lots left. */
function replayTake(s: usize, rp: usize, i: i32, t: i64, clOrdId: u64, side: u32, limit: i32, qty: i32): i32 {
  let left = qty;
  const opposite = side ^ 1;
  let p = simReplayNextLevel(rp, side, limit, side == Side.BUY ? i32.MIN_VALUE + 1 : i32.MAX_VALUE);
  while (left > 0 && p != NO_PRICE) {
    const visible = simReplayLevelQty(rp, opposite, p);
    const lots = visible < left ? visible : left;
    fillOrder(s, i, t, clOrdId, <i32>side, p, lots);
    left -= lots;
    if (left == 0) break;
    p = side == Side.BUY ? (p >= limit ? NO_PRICE : simReplayNextLevel(rp, side, limit, p + 1))
      : (p <= limit ? NO_PRICE : simReplayNextLevel(rp, side, limit, p - 1));
  }
  return left;
}

@inline function nextVenueId(s: usize): u32 {
  const v = load<u32>(s + VENUE_IDS) + 1;
  store<u32>(s + VENUE_IDS, v);
  return v;
}

/** Our command reaches the recorded venue. */
function replayAtVenue(s: usize, rp: usize, i: i32, t: i64, type: i32, id: u64, orig: u64, price: i32, qty: i32, x: i32): void {
  if (type == ExecCommand.NEW) {
    const side = <u32>(x & 0xff);
    const kind = <u32>((x >> 8) & 0xff);
    const tif = <u32>((x >> 16) & 0xff);
    let reason = 0;
    if (side > Side.SELL) reason = RejectReason.BAD_SIDE;
    else if (kind > OrderKind.MARKET) reason = RejectReason.BAD_KIND;
    else if (tif > TimeInForce.POST_ONLY || (kind == OrderKind.MARKET && tif == TimeInForce.POST_ONLY)) reason = RejectReason.BAD_TIF;
    else if (qty <= 0) reason = RejectReason.BAD_QTY;
    else if (kind == OrderKind.LIMIT && price <= 0) reason = RejectReason.PRICE_OUT_OF_BAND;
    const crossing = kind == OrderKind.MARKET || simReplayCrosses(rp, side, price) != 0;
    if (reason == 0 && tif == TimeInForce.POST_ONLY && crossing) reason = RejectReason.POST_ONLY_WOULD_CROSS;
    if (reason != 0) {
      report(s, t, SimReport.REJECT, i, id, 0, 0, 0, reason);
      return;
    }
    const r = newOrder(s, id, i);
    if (!crossing) {
      const slot = simReplayPlace(rp, id, side, price, qty);
      if (slot < 0) {
        // Every slot taken (or four of ours at this price already): the venue's pool is full.
        store<u64>(r, 0);
        report(s, t, SimReport.REJECT, i, id, 0, 0, 0, 50);
        return;
      }
      store<u32>(r + 8, <u32>slot + 1);
      report(s, t, SimReport.ACK, i, id, <u64>nextVenueId(s), price, qty, 0);
      return;
    }
    report(s, t, SimReport.ACK, i, id, <u64>nextVenueId(s), price, qty, 0);
    const limit = kind == OrderKind.MARKET ? (side == Side.BUY ? i32.MAX_VALUE : i32.MIN_VALUE + 1) : price;
    const left = replayTake(s, rp, i, t, id, side, limit, qty);
    replayRest(s, rp, i, t, r, id, id, side, price, left, kind == OrderKind.MARKET || tif == TimeInForce.IOC);
    return;
  }
  const r = findOrder(s, orig);
  if (r == 0 || load<u32>(r + 8) == 0) {
    report(s, t, SimReport.REJECT, i, id, 0, 0, 0, 32);
    return;
  }
  const slot = load<u32>(r + 8) - 1;
  const side = simReplaySlotSide(rp, slot);
  const oldPrice = simReplaySlotPrice(rp, slot);
  if (type == ExecCommand.CANCEL) {
    const leaves = <i32>simReplaySlotRemaining(rp, slot);
    simReplayRelease(rp, slot);
    store<u64>(r, 0);
    report(s, t, SimReport.CANCELED, i, orig, id, oldPrice, leaves, 0);
    return;
  }
  if (type != ExecCommand.REPLACE) return;
  const cum = load<i32>(r + 16);
  const leaves = qty - cum;
  if (leaves <= 0 || price <= 0) {
    report(s, t, SimReport.REJECT, i, id, 0, 0, 0, leaves <= 0 ? 19 : 18);
    return;
  }
  // The replaced order loses its place: out of the queue, placed anew at its (new) price with what is there now.
  const crossing = simReplayCrosses(rp, side, price) != 0;
  let newSlot: i32 = -1;
  if (!crossing) {
    if (price == oldPrice) simReplayRelease(rp, slot);
    newSlot = simReplayPlace(rp, id, side, price, leaves);
    if (newSlot < 0) {
      report(s, t, SimReport.REJECT, i, id, 0, 0, 0, 50);
      return;
    }
    if (price != oldPrice) simReplayRelease(rp, slot);
  } else simReplayRelease(rp, slot);
  const filled = load<u32>(r + 20);
  store<u64>(r, 0);
  const nr = orderRec(s, id);
  store<u64>(nr, id);
  store<u32>(nr + 8, newSlot >= 0 ? <u32>newSlot + 1 : 0);
  store<i32>(nr + 12, i);
  store<i32>(nr + 16, cum);
  store<u32>(nr + 20, filled);
  const venueId = nextVenueId(s);
  report(s, t, SimReport.REPLACED, i, orig, id, price, leaves, <i32>venueId);
  if (crossing) {
    const left = replayTake(s, rp, i, t, id, side, price, leaves);
    replayRest(s, rp, i, t, nr, id, id, side, price, left, false);
  }
}

/** After taking: an IOC's (or market order's) rest is cancelled, a GTC remainder rests at its price. */
function replayRest(s: usize, rp: usize, i: i32, t: i64, r: usize, id: u64, callId: u64, side: u32, price: i32, left: i32, ioc: bool): void {
  if (left <= 0) {
    store<u64>(r, 0);
    return;
  }
  const slot = ioc ? -1 : simReplayPlace(rp, id, side, price, left);
  if (slot < 0) {
    store<u64>(r, 0);
    report(s, t, SimReport.CANCELED, i, id, callId, price, left, 0);
    return;
  }
  store<u32>(r + 8, <u32>slot + 1);
}

// ── money ─────────────────────────────────────────────────────────────────────────────────────────────

function equityNow(s: usize): i64 {
  const exec = u32At(s + EXEC);
  const p = execPositionsAddress(exec);
  return positionsTotalRealizedPaise(p) + positionsTotalUnrealizedPaise(p) - positionsTotalChargesPaise(p)
    - otrPenaltyPaise(execOtrAddress(exec));
}

function sample(s: usize): void {
  const e = equityNow(s);
  const n = load<u32>(s + SAMPLES);
  if (n < load<u32>(s + EQUITY_CAP)) {
    store<i64>(u32At(s + EQUITY) + (<usize>n << 3), e);
    store<u32>(s + SAMPLES, n + 1);
  }
  const peak = load<i64>(s + PEAK);
  if (e > peak) store<i64>(s + PEAK, e);
  else if (peak - e > load<i64>(s + MAX_DD)) store<i64>(s + MAX_DD, peak - e);
}

// ── readers ───────────────────────────────────────────────────────────────────────────────────────────

/** Virtual time now (ns). */
export function simNow(s: usize): i64 { return load<i64>(s + NOW); }
/** The run's end (ns). */
export function simEnd(s: usize): i64 { return load<i64>(s + END); }
/** 1 once the END event ran. */
export function simFinished(s: usize): i32 { return <i32>load<u32>(s + FINISHED); }
/** Events processed so far (timer runs included). */
export function simEvents(s: usize): u64 { return load<u64>(s + EVENTS); }
/** The decision-trace hash (sim-trace.ts). */
export function simTraceAddress(s: usize): usize { return u32At(s + TRACE); }
/** The equity buffer (i64 paise per sample) and its sample count. */
export function simEquityAddress(s: usize): usize { return u32At(s + EQUITY); }
export function simSamples(s: usize): u32 { return load<u32>(s + SAMPLES); }
/** Charges so far, i64 paise ×8 in the cost model's order (STT, exchange, SEBI, stamp, GST, brokerage, total, turnover). */
export function simChargesAddress(s: usize): usize { return s + CHARGES; }
/** A SimCounter. */
export function simCounter(s: usize, which: i32): u64 {
  return which < 0 || which > SimCounter.MARKET_EVENTS ? 0 : load<u64>(s + COUNTERS + (<usize>which << 3));
}
/** Largest peak-to-trough fall of the sampled equity (paise). */
export function simMaxDrawdownPaise(s: usize): i64 { return load<i64>(s + MAX_DD); }
/** Equity now: realized + unrealized − charges − OTR penalty (paise). */
export function simEquityPaise(s: usize): i64 { return equityNow(s); }
/** P&L before any cost: realized + unrealized (paise). */
export function simGrossPnlPaise(s: usize): i64 {
  const p = execPositionsAddress(u32At(s + EXEC));
  return positionsTotalRealizedPaise(p) + positionsTotalUnrealizedPaise(p);
}
/** Symbol `index`'s matching state (tests and a replay scenario read the venue's book through it). */
export function simMatchAddress(s: usize, index: i32): usize { return u32At(symAt(s, index) + S_MATCH); }
/** Symbol `index`'s Oracle state (what the strategy reads: oracleSignal, oracleWobi, ...). */
export function simOracleAddress(s: usize, index: i32): usize { return u32At(symAt(s, index) + S_ORACLE); }
/** Symbol `index`'s flow state. */
export function simFlowAddress(s: usize, index: i32): usize { return u32At(symAt(s, index) + S_FLOW); }
/** The event queue (a scenario may queue its own events). */
export function simQueueAddress(s: usize): usize { return u32At(s + QUEUE); }
