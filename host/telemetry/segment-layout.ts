// The telemetry segment's byte layout, described once (docs/telemetry.md is the same thing byte by byte;
// tests/telemetry/doc.test.ts fails if the two disagree). The segment is one file under /dev/shm mapped
// by the engine (writer) and by the control tools and the monitor (readers) as a SharedArrayBuffer.
//
// Regions, each starting on a 64-byte boundary (a cache line, so two writers never share one):
//   header      written once at creation by the engine, plus its heartbeat;
//   control     written ONLY by the control side (kill word, reset / flatten requests, parameter mailbox);
//   ack         written ONLY by the engine (what it has seen of the control block);
//   state, counters, symbols[MAX_SYMBOLS], positions[MAX_SYMBOLS], totals, otr, brokerWindows, risk, rtt, cpu,
//   threads[MAX_THREADS], latency[series]: telemetry blocks, each guarded by its own seqlock (`version`);
//   ring head + EVENT_RING_RECORDS event records of 64 bytes (single writer; readers poll, detect overrun).
// Every word is accessed with Atomics (seqlock.ts explains why), so every field is a 4- or 8-byte integer
// at a naturally aligned offset. Little-endian, as the typed arrays of this machine (x86-64) read it.
import { record, type Layout } from '../protocol/layout.js';
import { RiskRefusal } from '../model/vocabulary.js';

/** "TCTS" read as a little-endian u32. */
/** "TCTS" read as a little-endian u32. */
export const SEGMENT_MAGIC = 0x53544354;
/** Bumped on any change to this file; a reader refuses any other version. */
export const SEGMENT_LAYOUT_VERSION = 5;
export const MAX_SYMBOLS = 16;
/** Book levels whose WOBI each symbol block carries. */
export const WOBI_LEVELS = 10;
/** NEV values of the last decisions each symbol block carries, newest first. */
export const NEV_HISTORY = 8;
/** RTT samples the RTT block carries, newest first. */
export const RTT_HISTORY = 16;
/** CPU cores the CPU block can describe. */
export const MAX_CORES = 16;
/** Threads (module workers) the thread blocks can describe. */
export const MAX_THREADS = 16;
export const EVENT_RING_RECORDS = 1024;
export const EVENT_RECORD_BYTES = 64;
export const REGION_ALIGN = 64;
/** A name in the segment (a symbol's, a thread's): up to NAME_BYTES ASCII bytes in `name0`.. (little-endian
 *  words, NUL padded). */
export const NAME_BYTES = 16;
/** Upper bounds of the latency blocks' cumulative buckets (`le0`.. count the samples ≤ each), ns: Prometheus
 *  histograms need counts per bound, which percentiles cannot give. */
export const LATENCY_BUCKET_BOUNDS_NS: readonly number[] = [
  10e3, 25e3, 50e3, 100e3, 200e3, 500e3, 1e6, 2e6, 5e6, 10e6, 20e6, 50e6, 100e6, 250e6, 1e9,
];

/** `count` fields `${prefix}0`..: numbered words of one type (levels, history slots). */
function numbered<const T extends 'u32' | 'i32' | 'i64'>(prefix: string, type: T, count: number): (readonly [string, T])[] {
  return Array.from({ length: count }, (_, i) => [`${prefix}${i}`, type] as const);
}

export const HeaderLayout = record('Header', [
  ['magic', 'u32'],
  ['layoutVersion', 'u32'],
  ['totalBytes', 'u32'],
  ['enginePid', 'u32'],
  ['heartbeat', 'u32'],
  ['maxSymbols', 'u32'],
  ['heartbeatNs', 'i64'],
  ['ringRecords', 'u32'],
  ['ringRecordBytes', 'u32'],
  ['createdWallMs', 'i64'],
  ['reserved', 'u8[16]'],
] as const);

/** The reset token travels as 4 words (128 bits, control-token.ts). */
export const RESET_TOKEN_WORDS = 4;

export const ControlLayout = record('Control', [
  ['kill', 'u32'],
  ['resetSeq', 'u32'],
  ['flattenSeq', 'u32'],
  ['paramSeq', 'u32'],
  ['paramKey', 'u32'],
  ['flattenCollarTicks', 'i32'],
  ['paramValue', 'i64'],
  ...numbered('resetToken', 'u32', RESET_TOKEN_WORDS),
  ['doorbell', 'u32'],
  ['reserved', 'u8[12]'],
] as const);

export const AckLayout = record('Ack', [
  ['killSeen', 'u32'],
  ['resetAck', 'u32'],
  ['flattenAck', 'u32'],
  ['paramAck', 'u32'],
  ['paramStatus', 'i32'],
  ['resetStatus', 'i32'],
  ['ackNs', 'i64'],
  ['flattenStatus', 'i32'],
  ['ackBell', 'u32'],
  ['reserved', 'u8[24]'],
] as const);

/** What the engine answers in `resetStatus` / `flattenStatus` (negative: refused). */
export const ControlStatus = { OK: 0, BAD_TOKEN: -1, REFUSED: -2 } as const;
export type ControlStatus = (typeof ControlStatus)[keyof typeof ControlStatus];

export const TradingStateLayout = record('TradingStateBlock', [
  ['version', 'u32'],
  ['state', 'u32'],
  ['reason', 'u32'],
  ['changes', 'u32'],
  ['changedNs', 'i64'],
  ['reserved', 'u8[8]'],
] as const);

/** The zero-trust gate's inputs, one word each (1 healthy, 0 not), in the block's order. */
export const GATE_INPUTS = ['gateFeedFresh', 'gateNoGaps', 'gateBookUncrossed', 'gateRttHealthy', 'gateClocksSane'] as const;

export const SymbolLayout = record('SymbolBlock', [
  ['version', 'u32'],
  ['symbolId', 'u32'],
  ['bidPrice', 'i32'],
  ['bidQty', 'i32'],
  ['askPrice', 'i32'],
  ['askQty', 'i32'],
  ...numbered('wobiBp', 'i32', WOBI_LEVELS),
  ['imbalanceBp', 'i32'],
  ['signalBp', 'i32'],
  ['regime', 'i32'],
  ['entropyMilli', 'i32'],
  ...GATE_INPUTS.map((g) => [g, 'u32'] as const),
  ['gateOpen', 'u32'],
  ['decisions', 'u32'],
  ['fillRateBp', 'u32'],
  ['cancelRateBp', 'u32'],
  ['orders', 'u32'],
  ['fills', 'u32'],
  ['cancels', 'u32'],
  ['rejects', 'u32'],
  ...numbered('name', 'u32', NAME_BYTES / 4),
  ['reserved', 'u8[4]'],
  ...numbered('nevPaise', 'i64', NEV_HISTORY),
  ['updatedNs', 'i64'],
] as const);

export const PositionLayout = record('PositionBlock', [
  ['version', 'u32'],
  ['symbolId', 'u32'],
  ['position', 'i32'],
  ['openOrders', 'u32'],
  ['avgPricePaise', 'i64'],
  ['markPaise', 'i64'],
  ['realizedPaise', 'i64'],
  ['unrealizedPaise', 'i64'],
  ['chargesPaise', 'i64'],
  ['dayPnlPaise', 'i64'],
] as const);

export const TotalsLayout = record('TotalsBlock', [
  ['version', 'u32'],
  ['openPositions', 'u32'],
  ['realizedPaise', 'i64'],
  ['unrealizedPaise', 'i64'],
  ['chargesPaise', 'i64'],
  ['dayPnlPaise', 'i64'],
  ['grossExposurePaise', 'i64'],
  ['netExposurePaise', 'i64'],
  ['updatedNs', 'i64'],
] as const);

export const OtrLayout = record('OtrBlock', [
  ['version', 'u32'],
  ['ratioMilli', 'u32'],
  ['slab', 'i32'],
  ['countedMessages', 'u32'],
  ['trades', 'u32'],
  ['budgetLeft', 'i32'],
  ['projectedPenaltyPaise', 'i64'],
  ['updatedNs', 'i64'],
  ['reserved', 'u8[24]'],
] as const);

export const BrokerWindowsLayout = record('BrokerWindowsBlock', [
  ['version', 'u32'],
  ['second', 'u32'],
  ['secondCap', 'u32'],
  ['minute', 'u32'],
  ['minuteCap', 'u32'],
  ['day', 'u32'],
  ['dayCap', 'u32'],
  ['reserved', 'u8[4]'],
] as const);

export const RiskLayout = record('RiskBlock', [
  ['version', 'u32'],
  ['positionUsed', 'u32'],
  ['positionLimit', 'u32'],
  ['openOrdersUsed', 'u32'],
  ['openOrdersLimit', 'u32'],
  ['orderRateUsed', 'u32'],
  ['orderRateLimit', 'u32'],
  ['reserved', 'u8[4]'],
  ['dailyLossUsedPaise', 'i64'],
  ['dailyLossLimitPaise', 'i64'],
  ['exposureUsedPaise', 'i64'],
  ['exposureLimitPaise', 'i64'],
] as const);

export const RttLayout = record('RttBlock', [
  ['version', 'u32'],
  ['samples', 'u32'],
  ...numbered('rttNs', 'i64', RTT_HISTORY),
] as const);

export const CpuLayout = record('CpuBlock', [
  ['version', 'u32'],
  ['cores', 'u32'],
  ['sampledNs', 'i64'],
  ...numbered('busyBp', 'u32', MAX_CORES),
] as const);


export const ThreadLayout = record('ThreadBlock', [
  ['version', 'u32'],
  ['tid', 'u32'],
  ['cpu', 'i32'],
  ['busyBp', 'u32'],
  ...numbered('name', 'u32', NAME_BYTES / 4),
] as const);

/** The latency series, in the order of the `latency` region's blocks (the value is the block index). */
export const LatencySeries = { T0_T1: 0, T1_T2: 1, T2_T3: 2, T3_T4: 3, RTT: 4, TICK_TO_ORDER: 5, WIRE_TO_ORDER: 6 } as const;
export type LatencySeries = (typeof LatencySeries)[keyof typeof LatencySeries];
export const LATENCY_SERIES_COUNT = Object.keys(LatencySeries).length;

export const LatencyLayout = record('LatencyBlock', [
  ['version', 'u32'],
  ['series', 'u32'],
  ['count', 'i64'],
  ['minNs', 'i64'],
  ['p50Ns', 'i64'],
  ['p90Ns', 'i64'],
  ['p95Ns', 'i64'],
  ['p99Ns', 'i64'],
  ['p999Ns', 'i64'],
  ['maxNs', 'i64'],
  ['sumNs', 'i64'],
  ...numbered('le', 'i64', LATENCY_BUCKET_BOUNDS_NS.length),
] as const);

/** `refusedHalted`, `refusedMaxOrderQty`, ...: one counter per RiskRefusal code but NONE, in code order. */
export const REFUSAL_COUNTERS: readonly { readonly code: number; readonly field: string }[] = Object.entries(RiskRefusal)
  .filter(([, code]) => code !== RiskRefusal.NONE)
  .sort((a, b) => a[1] - b[1])
  .map(([name, code]) => ({
    code,
    field: 'refused' + name.toLowerCase().split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
  }));

export const CountersLayout = record('CountersBlock', [
  ['version', 'u32'],
  ['orders', 'u32'],
  ['fills', 'u32'],
  ['cancels', 'u32'],
  ['rejects', 'u32'],
  ...REFUSAL_COUNTERS.map((r) => [r.field, 'u32'] as const),
  ['replaces', 'u32'],
  ['unknownReports', 'u32'],
  ['probes', 'u32'],
] as const);

export const RingHeadLayout = record('RingHead', [
  ['head', 'u32'],
  ['reserved', 'u8[60]'],
] as const);

/** An event record. `seq` is the event's number (1, 2, ...; 0: never written or being rewritten). */
export const EventLayout = record('Event', [
  ['seq', 'u32'],
  ['kind', 'u32'],
  ['tsNs', 'i64'],
  ['orderId', 'i64'],
  ['symbolId', 'u32'],
  ['side', 'u32'],
  ['price', 'i32'],
  ['qty', 'i32'],
  ['code', 'i32'],
  ['detail', 'i32'],
  ['value', 'i64'],
  ['reserved', 'u8[8]'],
] as const);

/** What an event record says happened. `code`: the order state, reject reason, RiskRefusal, TradingState
 *  or alert code the kind implies; `detail`: TradingStateReason for STATE_CHANGE, else kind-specific. */
export const EventKind = { ORDER: 1, FILL: 2, CANCEL: 3, REJECT: 4, RISK_REFUSAL: 5, STATE_CHANGE: 6, ALERT: 7 } as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface Region {
  readonly name: string;
  readonly offset: number;
  readonly layout: Layout;
  readonly count: number;
  readonly bytes: number;
}

function regions(list: readonly (readonly [string, Layout, number])[]): Region[] {
  const out: Region[] = [];
  let offset = 0;
  for (const [name, layout, count] of list) {
    offset = Math.ceil(offset / REGION_ALIGN) * REGION_ALIGN;
    out.push({ name, offset, layout, count, bytes: layout.bytes * count });
    offset += layout.bytes * count;
  }
  return out;
}

/** The segment map, in address order. */
export const REGIONS: readonly Region[] = regions([
  ['header', HeaderLayout, 1],
  ['control', ControlLayout, 1],
  ['ack', AckLayout, 1],
  ['state', TradingStateLayout, 1],
  ['counters', CountersLayout, 1],
  ['symbols', SymbolLayout, MAX_SYMBOLS],
  ['positions', PositionLayout, MAX_SYMBOLS],
  ['totals', TotalsLayout, 1],
  ['otr', OtrLayout, 1],
  ['brokerWindows', BrokerWindowsLayout, 1],
  ['risk', RiskLayout, 1],
  ['rtt', RttLayout, 1],
  ['cpu', CpuLayout, 1],
  ['threads', ThreadLayout, MAX_THREADS],
  ['latency', LatencyLayout, LATENCY_SERIES_COUNT],
  ['ringHead', RingHeadLayout, 1],
  ['events', EventLayout, EVENT_RING_RECORDS],
]);

export function region(name: string): Region {
  const r = REGIONS.find((x) => x.name === name);
  if (!r) throw new Error(`no segment region "${name}"`);
  return r;
}

const last = REGIONS[REGIONS.length - 1]!;
/** Total size of the segment, bytes. */
export const SEGMENT_BYTES = Math.ceil((last.offset + last.bytes) / REGION_ALIGN) * REGION_ALIGN;

/** Absolute byte offset of `field` of element `index` of region `name`. */
export function fieldOffset(name: string, field: string, index = 0): number {
  const r = region(name);
  const o = (r.layout.offsets as Record<string, number>)[field];
  if (o === undefined) throw new Error(`segment region ${name} has no field "${field}"`);
  if (index < 0 || index >= r.count) throw new RangeError(`segment region ${name}: index ${index} outside [0, ${r.count})`);
  return r.offset + index * r.layout.bytes + o;
}
