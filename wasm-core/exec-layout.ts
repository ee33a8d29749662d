// The execution region's layout: one block the host places (execBytes) that holds the header below
// and every sub-state the execution stage composes, each at an offset execInit decides and stores.
// docs/execution.md describes the stage; this file is only where the bytes are.
//
// Header at `state` (8-byte aligned, HEADER = 512 bytes):
//   +0   magic u32 (0x31455845 "EXE1") · +4 symbols i32 · +8 orderCapacity u32 · +12 maxSymbolId u32
//   +16  perSecond i32 · +20 perMinute i32 · +24 maxRejects i32
//   +28  kill word i32 (any thread Atomics.store 1; the core only reads it, atomically)
//   +32  next clOrdId u64 (the core numbers every request from 1)
//   +40  command count i32 · +44 command capacity i32
//   +48  strategy kind i32 · +52 strategy qty i32 · +56 threshold f64 (|signal| to act)
//   +64  window i32 (mean reversion: mids; stress: working orders kept) · +68 offset ticks i32 (stress)
//   +72  k f64 (mean reversion: σ multiple)
//   +80  ttlAction i32 (ExecTtlAction) · +84 target OTR × 1000 i32 (−1: no budget check)
//   +88  NEV fair-price gain f64 · +96 NEV horizon ns i64 · +104 trade-rate floor f64 (lots/s)
//   +112 trading day i32 (OTR ledger numbering) · +116 last seen trading state u32 (HALTED entry)
//   +120 ignored reports u32 · +124 cancels waiting for a broker slot u32 (now)
//   +128 cancels that had to wait u32 (since init) · +132 commands refused, buffer full u32
//   +136 refusals u32[16], per RiskRefusal code (+ ExecRefusal codes 13..15); [0] = orders passed
//   +200 sub-state offsets from `state`, u32 each, in Sub order (14 of them) → +256
//   +256 new orders u64 · +264 cancels u64 · +272 replaces u64 · +280 fills u64
//   +288 rejects u32 · +292 cost faults u32 (a fill whose charges the cost model refused) · +296 kill seen u32
//   +300 reserved · +304 max position i64 (the last execSetParam MAX_POSITION, for readers)
//   +312 last NEV f64 · +320 last NEV symbol index i32 · +324 position faults u32
//   +328 last refusal code i32 · +332 flatten collar ticks i32 (−1: no flatten under way)
//   +336 flatten orders that ended unfilled u32
//   +344 probe interval ns i64 (in LOCKDOWN) · +352 probe idle ns i64 (no RTT sample for this long → probe)
//   +360 outstanding probe id u64 (0: none) · +368 its send time i64 · +376 last probe sent i64 (i64.MIN none)
//   +384 probes sent u64 · +392 probe answers u64 · +400 RTT verdict i32 (ExecRttVerdict, atomic)
//   +404 day P&L memo valid u32 · +408 day P&L memo i64 (paise): set by a market call's daily-loss look,
//        cleared when that call returns (no fill can come in between), so its risk checks reuse the sum
// Sub-states (offsets in the header, each 64-byte aligned): order table, positions, risk, broker
// windows, flood control, OTR ledger, cost model, RTT watchdog, circuit breaker, NEV (128 bytes: the
// last evaluation's output, nev.ts layout, at +0; the cost model's 64-byte scratch at +64), slot
// flags (u8 per order-table slot), symbol map (u16 per symbol id: index + 1, 0 = none), symbol
// records (SYM_BYTES each), command buffer (32 bytes a command; orderCapacity + 64 of them).
//
// Symbol record (SYM_BYTES = 2304):
//   +0 symbolId u32 · +4 tickPaise i32 · +8 lotSize i32 · +12 regime i32 (atomic) · +16 gate open i32 (atomic)
//   +20 last traded price ticks i32 (0 none) · +24 bid i32 · +28 bid qty i32 · +32 ask i32 · +36 ask qty i32
//   +40 signal f64 · +48 fair ticks f64 · +56 last NEV f64
//   +64 trade-rate state (32 bytes, trade-rate.ts)
//   +96 strategy's working buy clOrdId u64 · +104 working sell clOrdId u64 (0 none)
//   +112 mids held i32 · +116 mid ring head i32 · +120 stress next side i32 · +124 stress fifo head i32
//   +128 stress fifo count i32 · +136 stress fifo u64[8]
//   +256 mid ring f64[256]
//
// Command record (32 bytes): +0 u8 type (ExecCommand) · +1 u8 side · +2 u8 kind · +3 u8 tif
//   +4 u32 symbolId · +8 u64 clOrdId · +16 u64 origClOrdId · +24 i32 priceTicks · +28 i32 qty
//   (PROBE: only +8, the probe's id, drawn from the same numbering; the rest 0)

/** Command types in the command buffer (+0 of a record). */
export namespace ExecCommand {
  export const NEW: i32 = 1;
  export const CANCEL: i32 = 2;
  export const REPLACE: i32 = 3;
  /** An RTT probe (the protocol's TestRequest, its id at +8): not an order, counted nowhere an order is. */
  export const PROBE: i32 = 4;
}

/** The order path's RTT verdict (execRttVerdict), what the zero-trust gate's RTT check reads. */
export namespace ExecRttVerdict {
  /** No round trip measured yet: nothing proves the order path works. */
  export const NO_SAMPLE: i32 = 0;
  export const OK: i32 = 1;
  /** The RTT watchdog is in LOCKDOWN. */
  export const LOCKDOWN: i32 = 2;
  /** A request (an order not yet acked, or the probe) has waited longer than the watchdog's maxAckWait. */
  export const OVERDUE: i32 = 3;
}

/** execSetGate's gate word: closed, open, or closed by the RTT check alone (exits may pass in LOCKDOWN). */
export namespace ExecGate {
  export const CLOSED: i32 = 0;
  export const OPEN: i32 = 1;
  export const RTT_ONLY: i32 = 2;
}

/** Strategies (execSetStrategy). STRESS is for the throughput benchmark only. */
export namespace StrategyKind {
  export const WOBI_PASSIVE: i32 = 0;
  export const MEAN_REVERSION: i32 = 1;
  export const STRESS: i32 = 2;
  /** No strategy: the stage sends only what execSubmit, execFlatten and the 200 ms rule ask (tests, manual drivers). */
  export const NONE: i32 = 3;
}

/** What the 200 ms rule does with an order past its time-to-live. */
export namespace ExecTtlAction {
  export const CANCEL: i32 = 0;
  export const REPRICE: i32 = 1;
}

/** Refusal codes of the execution stage beyond RiskRefusal's 0..12 (execRefusals). */
export namespace ExecRefusal {
  /** The NEV gate: a new entry whose net expected value is not > 0. */
  export const NEV: i32 = 13;
  /** The order table or the command buffer is full. */
  export const CAPACITY: i32 = 14;
  /** A sub-module refused the arguments (bad price, unknown symbol): a bug, counted. */
  export const INVALID: i32 = 15;
}

/** execSubmit flags. */
export namespace ExecFlag {
  /** An operator's flatten exit: passes HALTED to the reduce-only rule, never NEV-gated. */
  export const FLATTEN: i32 = 1;
  /** A position-reducing exit of a strategy: never NEV-gated (risk still checks it reduces). */
  export const EXIT: i32 = 2;
  /** Skips the NEV gate and the OTR budget for an entry (the stress strategy of the throughput benchmark, tests). */
  export const UNGATED: i32 = 4;
}

/** Status codes of the exec calls (event calls return the commands they appended, ≥ 0, or one of these). */
export namespace ExecStatus {
  export const OK: i32 = 0;
  /** execBytes/execInit arguments out of range: symbols 1..128, orderCapacity 1..65536, maxSymbolId ≤ 65535, perSecond/perMinute 0..100000, maxRejects 1..4096. */
  export const BAD_CONFIG: i32 = -1;
  export const MISALIGNED: i32 = -2;
  export const NOT_INITIALIZED: i32 = -3;
  /** A symbol index outside 0..symbols−1, or a symbol id above maxSymbolId or already mapped. */
  export const BAD_SYMBOL: i32 = -4;
  /** A parameter key unknown, or its value out of range (execSetParam, execSetStrategy, execSubmit). */
  export const BAD_PARAM: i32 = -5;
  /** execSubmit: refused; execLastRefusal says why. */
  export const REFUSED: i32 = -6;
  /** A sub-module refused its config (execSetSymbol: positions). */
  export const SUB_MODULE: i32 = -7;
}

/** execSetParam keys. Values are i64; ratios are × 1000 ("milli"). */
export namespace ExecParam {
  /** Strategy order quantity, units (1..1e9, a multiple of each symbol's lot size is the host's job). */
  export const QTY: i32 = 0;
  /** |signal| threshold × 1000 (0..1000). */
  export const THRESHOLD_MILLI: i32 = 1;
  /** Max |position| of every symbol, units (0 = none). */
  export const MAX_POSITION: i32 = 2;
  /** Time-to-live from the ack, ns (1..3.6e12). */
  export const TTL_NS: i32 = 3;
  /** ExecTtlAction. */
  export const TTL_ACTION: i32 = 4;
  /** NEV fair-price gain × 1000 (0..100000). */
  export const NEV_GAIN_MILLI: i32 = 5;
  /** Target OTR × 1000 for the flood budget (−1: none; 0..1e9). */
  export const TARGET_OTR_MILLI: i32 = 6;
  /** Mean-reversion window (2..256 mids) or stress depth (1..8). */
  export const WINDOW: i32 = 7;
  /** Mean-reversion k × 1000 (1..100000). */
  export const K_MILLI: i32 = 8;
  /** Stress distance from the touch, ticks (1..1e6). */
  export const OFFSET_TICKS: i32 = 9;
  /** Trading day (OTR ledger numbering, ≥ 0): same as execNewDay without the roll of the daily totals. */
  export const DAY: i32 = 10;
  /** Trade-rate floor for the fill model × 1000, lots/s (0..1e9). */
  export const TRADE_RATE_FLOOR_MILLI: i32 = 11;
  /** NEV horizon, ns (1..3.6e12); defaults to the time-to-live. */
  export const NEV_HORIZON_NS: i32 = 12;
  /** Half-life of every symbol's trade-rate estimate, ns (1..8.64e13); restarts the estimates. */
  export const TRADE_RATE_HALF_LIFE_NS: i32 = 13;
  /** RTT probe interval while the watchdog is in LOCKDOWN, ns (1 ms..60 s; 0: no lockdown probes). */
  export const PROBE_INTERVAL_NS: i32 = 14;
  /** RTT probe after this long without an RTT sample, ns (1 ms..1 h; 0: no idle probes). */
  export const PROBE_IDLE_NS: i32 = 15;
}

export const EXEC_MAGIC: u32 = 0x31455845;
export const HEADER: usize = 512;
export const SYM_BYTES: usize = 2304;
export const CMD_BYTES: usize = 32;
export const MR_MAX_WINDOW: i32 = 256;
export const STRESS_MAX_DEPTH: i32 = 8;
export const MAX_SYMBOLS: i32 = 128;

export const H_MAGIC: usize = 0;
export const H_SYMBOLS: usize = 4;
export const H_CAPACITY: usize = 8;
export const H_MAX_SYMBOL: usize = 12;
export const H_PER_SECOND: usize = 16;
export const H_PER_MINUTE: usize = 20;
export const H_MAX_REJECTS: usize = 24;
export const H_KILL: usize = 28;
export const H_NEXT_ID: usize = 32;
export const H_CMD_COUNT: usize = 40;
export const H_CMD_CAPACITY: usize = 44;
export const H_KIND: usize = 48;
export const H_QTY: usize = 52;
export const H_THRESHOLD: usize = 56;
export const H_WINDOW: usize = 64;
export const H_OFFSET: usize = 68;
export const H_K: usize = 72;
export const H_TTL_ACTION: usize = 80;
export const H_TARGET_OTR: usize = 84;
export const H_GAIN: usize = 88;
export const H_HORIZON: usize = 96;
export const H_RATE_FLOOR: usize = 104;
export const H_DAY: usize = 112;
export const H_SEEN_STATE: usize = 116;
export const H_IGNORED: usize = 120;
export const H_WAITING: usize = 124;
export const H_WAITED: usize = 128;
export const H_CMD_DROPPED: usize = 132;
export const H_REFUSALS: usize = 136;
export const H_SUBS: usize = 200;
export const H_NEW_COUNT: usize = 256;
export const H_CANCEL_COUNT: usize = 264;
export const H_REPLACE_COUNT: usize = 272;
export const H_FILL_COUNT: usize = 280;
export const H_REJECTS: usize = 288;
export const H_COST_FAULTS: usize = 292;
export const H_KILL_SEEN: usize = 296;
export const H_MAX_POSITION: usize = 304;
export const H_LAST_NEV: usize = 312;
export const H_LAST_NEV_SYMBOL: usize = 320;
export const H_POSITION_FAULTS: usize = 324;
export const H_LAST_REFUSAL: usize = 328;
export const H_FLATTEN_COLLAR: usize = 332;
export const H_FLATTEN_SHORT: usize = 336;
export const H_PROBE_INTERVAL: usize = 344;
export const H_PROBE_IDLE: usize = 352;
export const H_PROBE_ID: usize = 360;
export const H_PROBE_SENT: usize = 368;
export const H_PROBE_LAST: usize = 376;
export const H_PROBES: usize = 384;
export const H_PROBE_ANSWERS: usize = 392;
export const H_RTT_VERDICT: usize = 400;
export const H_DAY_PNL_VALID: usize = 404;
export const H_DAY_PNL: usize = 408;

/** Sub-state indices into the offset table at H_SUBS. */
export const SUB_ORDERS: usize = 0;
export const SUB_POSITIONS: usize = 1;
export const SUB_RISK: usize = 2;
export const SUB_BROKER: usize = 3;
export const SUB_FLOOD: usize = 4;
export const SUB_OTR: usize = 5;
export const SUB_COST: usize = 6;
export const SUB_RTT: usize = 7;
export const SUB_BREAKER: usize = 8;
export const SUB_NEV: usize = 9;
export const SUB_FLAGS: usize = 10;
export const SUB_SYMBOL_MAP: usize = 11;
export const SUB_SYMBOLS: usize = 12;
export const SUB_COMMANDS: usize = 13;
export const SUB_COUNT: usize = 14;

// Symbol record fields.
export const R_ID: usize = 0;
export const R_TICK: usize = 4;
export const R_LOT: usize = 8;
export const R_REGIME: usize = 12;
export const R_GATE: usize = 16;
export const R_LTP: usize = 20;
export const R_BID: usize = 24;
export const R_BID_QTY: usize = 28;
export const R_ASK: usize = 32;
export const R_ASK_QTY: usize = 36;
export const R_SIGNAL: usize = 40;
export const R_FAIR: usize = 48;
export const R_NEV: usize = 56;
export const R_TRADE_RATE: usize = 64;
export const R_BUY_ID: usize = 96;
export const R_SELL_ID: usize = 104;
export const R_MIDS: usize = 112;
export const R_MID_HEAD: usize = 116;
export const R_STRESS_SIDE: usize = 120;
export const R_FIFO_HEAD: usize = 124;
export const R_FIFO_COUNT: usize = 128;
export const R_FIFO: usize = 136;
export const R_MID_RING: usize = 256;

// Slot flags (one u8 per order-table slot).
export const F_CANCEL_WANTED: u8 = 1;
export const F_REPLACE_SENT: u8 = 2;
export const F_EXIT: u8 = 4;
export const F_FLATTEN: u8 = 8;

@inline export function sub(state: usize, which: usize): usize {
  return state + <usize>load<u32>(state + H_SUBS + which * 4);
}

@inline export function symRec(state: usize, index: i32): usize {
  return sub(state, SUB_SYMBOLS) + <usize>index * SYM_BYTES;
}

@inline export function bump32(at: usize): void {
  store<u32>(at, load<u32>(at) + 1);
}

@inline export function bump64(at: usize): void {
  store<u64>(at, load<u64>(at) + 1);
}

/** The symbol index of a symbol id, or −1. */
@inline export function indexOfSymbolId(state: usize, symbolId: u32): i32 {
  if (symbolId > load<u32>(state + H_MAX_SYMBOL)) return -1;
  return <i32>load<u16>(sub(state, SUB_SYMBOL_MAP) + <usize>symbolId * 2) - 1;
}

@inline export function align64(n: usize): usize {
  return (n + 63) & ~(<usize>63);
}
