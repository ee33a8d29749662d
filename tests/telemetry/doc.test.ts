// docs/telemetry.md and host/telemetry/segment-layout.ts agree: every byte table ("### Name (N bytes)") is
// parsed and compared row by row (offset, size, type, name, reserved ones included) with the layout of that
// name; offsets are contiguous, sizes match the types and sum to the size, fields are naturally aligned; the
// segment map is REGIONS; the event kinds are EventKind; the refusal counters are RiskRefusal in code order;
// and the bytes an engine writes sit where the doc says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RiskRefusal, TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import {
  AckLayout, BrokerWindowsLayout, ControlLayout, ControlStatus, CountersLayout, CpuLayout, EngineSegment, EventKind, EventLayout,
  HeaderLayout, LatencyLayout, LatencySeries, OtrLayout, PositionLayout, REFUSAL_COUNTERS, REGIONS, RingHeadLayout, RiskLayout,
  RttLayout, SEGMENT_BYTES, SEGMENT_LAYOUT_VERSION, SEGMENT_MAGIC, SymbolLayout, ThreadLayout, TotalsLayout, TradingStateLayout,
} from '../../host/telemetry/index.js';
import type { Layout } from '../../host/protocol/layout.js';
import { ManualClock } from '../testkit/manual-clock.js';
import { checkByteTable, sections, type DocField, type Row, type Section } from '../testkit/doc-tables.js';

const DOC = readFileSync(new URL('../../../docs/telemetry.md', import.meta.url), 'utf8');

const SECTIONS = sections(DOC);
function section(heading: string): Section {
  const s = SECTIONS.find((x) => x.heading === heading);
  assert.ok(s, `docs/telemetry.md has no section "${heading}"`);
  return s;
}

const LAYOUTS: readonly Layout[] = [
  HeaderLayout, ControlLayout, AckLayout, TradingStateLayout, CountersLayout, SymbolLayout, PositionLayout, TotalsLayout, OtrLayout,
  BrokerWindowsLayout, RiskLayout, RttLayout, CpuLayout, ThreadLayout, LatencyLayout, RingHeadLayout, EventLayout,
];
const TABLE_HEADING = /^(\w+) \((\d+) bytes\)$/;

function typeBytes(type: string): number {
  const scalar: Record<string, number> = { u32: 4, i32: 4, i64: 8 };
  if (type in scalar) return scalar[type]!;
  const arr = /^u8\[(\d+)\]$/.exec(type);
  assert.ok(arr, `type "${type}" is not one the segment uses (u32, i32, i64, u8[n] reserved)`);
  return Number(arr[1]);
}


const checkTable = (rows: Row[], bytes: number, what: string): DocField[] =>
  checkByteTable(rows, bytes, what, typeBytes, { u8ArraysReservedOnly: true });

test('every byte table is the layout of that name, and every layout has one', () => {
  const documented = new Set<string>();
  for (const s of SECTIONS) {
    const h = TABLE_HEADING.exec(s.heading);
    if (!h) continue;
    const [, name, bytes] = h;
    const layout = LAYOUTS.find((l) => l.name === name);
    assert.ok(layout, `doc table ${name} is no layout in segment-layout.ts`);
    assert.ok(!documented.has(name!), `${name} documented twice`);
    documented.add(name!);
    assert.equal(Number(bytes), layout.bytes, `${name}: size in the heading`);
    const rows = checkTable(s.tables[0]!, layout.bytes, name!);
    assert.deepEqual(rows, layout.fields.map(({ offset, size, type, name: n }) => ({ offset, size, type, name: n })), `${name}: doc rows vs the layout`);
  }
  assert.deepEqual([...documented].sort(), LAYOUTS.map((l) => l.name).sort(), 'every layout documented');
});

test('the segment map is REGIONS; the constants the doc quotes are the code\'s', () => {
  const [rows] = section('Segment map').tables;
  assert.deepEqual(
    rows!.map((r) => [Number(r[0]), Number(r[1]), r[2], r[3], Number(r[4])]),
    REGIONS.map((r) => [r.offset, r.bytes, r.name, r.layout.name, r.count]),
    'segment map vs REGIONS',
  );
  for (const r of REGIONS) assert.equal(r.offset % 64, 0, `${r.name} starts on a cache line`);
  assert.ok(DOC.includes(`\`SEGMENT_BYTES\` = ${SEGMENT_BYTES}`), 'SEGMENT_BYTES quoted');
  assert.ok(DOC.includes(`\`SEGMENT_LAYOUT_VERSION\` = ${SEGMENT_LAYOUT_VERSION}`), 'layout version quoted');
  assert.ok(DOC.includes(`\`0x${SEGMENT_MAGIC.toString(16)}\``), 'magic quoted');
  assert.equal(Buffer.from('TCTS', 'ascii').readUInt32LE(0), SEGMENT_MAGIC, 'magic is "TCTS" little-endian');
});

test('the event kind table is EventKind', () => {
  const [rows] = section('Event kinds').tables;
  assert.deepEqual(rows!.map((r) => [Number(r[0]), r[1]]), Object.entries(EventKind).map(([n, c]) => [c, n]));
});

test('the latency series table is LatencySeries, one latency block per series in code order', () => {
  const [rows] = section('Latency series').tables;
  assert.deepEqual(rows!.map((r) => [Number(r[0]), r[1]]), Object.entries(LatencySeries).map(([n, c]) => [c, n]));
  const latency = REGIONS.find((r) => r.name === 'latency')!;
  assert.equal(latency.count, Object.keys(LatencySeries).length);
});

test('the control statuses the ack table quotes are ControlStatus', () => {
  const ack = section('Ack (64 bytes)').tables[0]!;
  const meaning = ack.find((r) => r[3] === 'resetStatus')![4]!;
  for (const [n, c] of Object.entries(ControlStatus)) assert.ok(meaning.includes(`${c} ${n}`), `resetStatus names ${c} ${n}`);
});

test('one refusal counter per RiskRefusal code but NONE, in code order, named in the doc with its code', () => {
  const codes = Object.entries(RiskRefusal).filter(([, c]) => c !== RiskRefusal.NONE).sort((a, b) => a[1] - b[1]);
  assert.deepEqual(REFUSAL_COUNTERS.map((r) => r.code), codes.map(([, c]) => c));
  const [rows] = section('CountersBlock (80 bytes)').tables;
  const refused = rows!.filter((r) => r[3]!.startsWith('refused'));
  assert.equal(refused.length, codes.length);
  refused.forEach((r, i) => {
    assert.equal(r[3], REFUSAL_COUNTERS[i]!.field);
    assert.ok(r[4]!.includes(`\`${codes[i]![0]}\` (${codes[i]![1]})`), `${r[3]} names ${codes[i]![0]}`);
  });
  const state = section('TradingStateBlock (32 bytes)').tables[0]!;
  const meaning = (n: string): string => state.find((r) => r[3] === n)![4]!;
  for (const [n, c] of Object.entries(TradingState)) assert.ok(meaning('state').includes(`${c} ${n}`), `state ${n}`);
  for (const [n, c] of Object.entries(TradingStateReason)) assert.ok(meaning('reason').includes(`${c} ${n}`), `reason ${n}`);
});

test('the header an engine writes reads at the doc\'s offsets', () => {
  const clock = new ManualClock();
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const seg = new EngineSegment(sab, { pid: 4242, clock });
  seg.heartbeat();
  seg.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
  const view = new DataView(sab);
  const rows = checkTable(section('Header (64 bytes)').tables[0]!, 64, 'Header');
  const at = (name: string): number => rows.find((r) => r.name === name)!.offset;
  assert.equal(view.getUint32(at('magic'), true), SEGMENT_MAGIC);
  assert.equal(view.getUint32(at('layoutVersion'), true), SEGMENT_LAYOUT_VERSION);
  assert.equal(view.getUint32(at('totalBytes'), true), SEGMENT_BYTES);
  assert.equal(view.getUint32(at('enginePid'), true), 4242);
  assert.equal(view.getUint32(at('heartbeat'), true), 1);
  assert.equal(view.getBigInt64(at('heartbeatNs'), true), BigInt(clock.nowNs()));
  const state = REGIONS.find((r) => r.name === 'state')!.offset;
  const srows = checkTable(section('TradingStateBlock (32 bytes)').tables[0]!, 32, 'TradingStateBlock');
  const sat = (name: string): number => state + srows.find((r) => r.name === name)!.offset;
  assert.equal(view.getUint32(sat('version'), true) % 2, 0, 'version even after a publish');
  assert.equal(view.getUint32(sat('state'), true), TradingState.HALTED);
  assert.equal(view.getUint32(sat('reason'), true), TradingStateReason.KILL);
});
