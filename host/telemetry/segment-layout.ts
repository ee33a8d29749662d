// The telemetry segment's byte layout, described once (docs/telemetry.md is the same thing byte by byte;
// tests/telemetry/doc.test.ts fails if the two disagree). The segment is one file under /dev/shm mapped
// by the engine (writer) and by the control tools and the monitor (readers) as a SharedArrayBuffer.
//
// Regions, each starting on a 64-byte boundary (a cache line, so two writers never share one):
//   header      written once at creation by the engine, plus its heartbeat;
//   control     written ONLY by the control side (kill word, reset / flatten requests, parameter mailbox);
//   ack         written ONLY by the engine (what it has seen of the control block);
//   state, symbols[MAX_SYMBOLS], counters: telemetry blocks, each guarded by its own seqlock (`version`);
//   ring head + EVENT_RING_RECORDS event records of 64 bytes (single writer; readers poll, detect overrun).
// Every word is accessed with Atomics (seqlock.ts explains why), so every field is a 4- or 8-byte integer
// at a naturally aligned offset. Little-endian, as the typed arrays of this machine (x86-64) read it.
import { record, type Layout } from '../protocol/layout.js';
import { RiskRefusal } from '../model/vocabulary.js';

/** "TCTS" read as a little-endian u32. */
export const SEGMENT_MAGIC = 0x53544354;
/** Bumped on any change to this file; a reader refuses any other version. */
export const SEGMENT_LAYOUT_VERSION = 1;
export const MAX_SYMBOLS = 16;
export const EVENT_RING_RECORDS = 1024;
export const EVENT_RECORD_BYTES = 64;
export const REGION_ALIGN = 64;

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

export const ControlLayout = record('Control', [
  ['kill', 'u32'],
  ['resetSeq', 'u32'],
  ['flattenSeq', 'u32'],
  ['paramSeq', 'u32'],
  ['paramKey', 'u32'],
  ['reserved', 'u8[4]'],
  ['paramValue', 'i64'],
  ['reserved', 'u8[32]'],
] as const);

export const AckLayout = record('Ack', [
  ['killSeen', 'u32'],
  ['resetAck', 'u32'],
  ['flattenAck', 'u32'],
  ['paramAck', 'u32'],
  ['paramStatus', 'i32'],
  ['reserved', 'u8[4]'],
  ['ackNs', 'i64'],
  ['reserved', 'u8[32]'],
] as const);

export const TradingStateLayout = record('TradingStateBlock', [
  ['version', 'u32'],
  ['state', 'u32'],
  ['reason', 'u32'],
  ['changes', 'u32'],
  ['changedNs', 'i64'],
  ['reserved', 'u8[8]'],
] as const);

export const SymbolLayout = record('SymbolBlock', [
  ['version', 'u32'],
  ['symbolId', 'u32'],
  ['bidPrice', 'i32'],
  ['bidQty', 'i32'],
  ['askPrice', 'i32'],
  ['askQty', 'i32'],
  ['imbalanceBp', 'i32'],
  ['signal', 'i32'],
  ['regime', 'i32'],
  ['entropyMilli', 'i32'],
  ['updatedNs', 'i64'],
  ['reserved', 'u8[16]'],
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
  ['reserved', 'u8[12]'],
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
  ['symbols', SymbolLayout, MAX_SYMBOLS],
  ['counters', CountersLayout, 1],
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
