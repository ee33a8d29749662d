// docs/protocol.md and host/protocol agree: every byte table is parsed and checked against the code —
// type code and size in the heading, contiguous offsets, sizes that match the types and sum to the
// message size, natural alignment, every row (offset, size, type, name, reserved ones included) equal to
// the field of the message's description, and the bytes the encoder writes at that offset equal to the
// field's value — and the type and reason tables list exactly the codes and names in the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CANCEL_REASONS,
  DISCONNECT_REASONS,
  HEADER_BYTES,
  HeaderLayout,
  MESSAGES,
  MAX_FRAME_BYTES,
  MessageType,
  PROTOCOL_VERSION,
  REJECT_REASONS,
  Route,
  SNAPSHOT_DEPTH,
  SnapshotLayout,
  SnapshotLevelLayout,
  frameBytes,
  readAscii,
  readId,
  type Field as LayoutField,
  type Message,
  type ReasonInfo,
} from '../../host/protocol/index.js';
import * as protocol from '../../host/protocol/index.js';
import { frameOf, sampleMessages } from '../testkit/protocol-samples.js';
import { checkByteTable, sections, type DocField, type Row, type Section } from '../testkit/doc-tables.js';

const DOC = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

const SECTIONS = sections(DOC);
function section(heading: string): Section {
  const s = SECTIONS.find((x) => x.heading === heading);
  assert.ok(s, `docs/protocol.md has no section "${heading}"`);
  return s;
}

/** Size in bytes of a doc type name. */
function typeBytes(type: string): number {
  const scalar: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, i32: 4, i64: 8, header: HEADER_BYTES };
  if (type in scalar) return scalar[type]!;
  const arr = /^(u8|char)\[(\d+)\]$/.exec(type);
  if (arr) return Number(arr[2]);
  const lv = /^level\[(\d+)\]$/.exec(type);
  if (lv) return Number(lv[1]) * SnapshotLevelLayout.bytes;
  throw new Error(`unknown type "${type}" in the doc`);
}


/** Check a byte table's shape; returns its fields. */
const checkTable = (rows: Row[], bytes: number, what: string): DocField[] =>
  checkByteTable(rows, bytes, what, typeBytes);

/** Read a field of a doc type at a frame offset, the way the doc describes it. */
function readField(view: DataView, at: number, f: DocField): number | bigint | string {
  switch (f.type) {
    case 'u8': return view.getUint8(at);
    case 'u16': return view.getUint16(at, true);
    case 'u32': return view.getUint32(at, true);
    case 'i32': return view.getInt32(at, true);
    case 'i64': return view.getBigInt64(at, true);
    case 'u64': return readId(view, at);
    default: return readAscii(view, at, f.size);
  }
}

const MESSAGE_HEADING = /^(\w+) \(0x([0-9a-f]{2}), (\d+) bytes\)$/;

/** The fields of a description as the doc's rows read. */
function rowsOf(fields: readonly LayoutField[]): DocField[] {
  return fields.map(({ offset, size, type, name }) => ({ offset, size, type, name }));
}

test('the frame header table is the code\'s header', () => {
  const [rows] = section('Frame header').tables;
  const fields = checkTable(rows!, HEADER_BYTES, 'header');
  assert.deepEqual(fields, rowsOf(HeaderLayout.fields), 'header: doc rows vs HeaderLayout');
  for (const m of sampleMessages()) {
    const { view } = frameOf(m);
    const want: Record<string, unknown> = {
      length: frameBytes(m.type), type: m.type, version: PROTOCOL_VERSION, seq: m.seq, sendNs: m.sendNs,
    };
    for (const f of fields) assert.equal(readField(view, f.offset, f), want[f.name], `header.${f.name}`);
  }
});

test('every message has a byte table whose heading and rows are its description', () => {
  const documented = new Set<string>();
  for (const s of SECTIONS) {
    const h = MESSAGE_HEADING.exec(s.heading);
    if (!h) continue;
    const [, name, code, bytes] = h;
    const info = MESSAGES.find((m) => m.name === name);
    assert.ok(info, `doc message ${name} is not in the code`);
    assert.ok(!documented.has(name!), `${name} documented twice`);
    documented.add(name!);
    assert.equal(parseInt(code!, 16), info.type, `${name} type code`);
    assert.equal(Number(bytes), info.bytes, `${name} size in the heading`);
    const fields = checkTable(s.tables[0]!, info.bytes, name!);
    assert.deepEqual(fields[0], { offset: 0, size: HEADER_BYTES, type: 'header', name: 'header' }, `${name} starts with the header`);
    assert.deepEqual(fields, rowsOf(info.fields), `${name}: doc rows vs ${name}Layout`);
  }
  assert.deepEqual([...documented].sort(), MESSAGES.map((m) => m.name).sort(), 'every message documented');
});

test('the bytes the encoders write sit where the doc tables say', () => {
  for (const s of SECTIONS) {
    const h = MESSAGE_HEADING.exec(s.heading);
    if (!h) continue;
    const name = h[1]!;
    const m = sampleMessages().find((x) => x.type === MessageType[name as keyof typeof MessageType])!;
    const { view } = frameOf(m);
    const values = m as unknown as Record<string, unknown>;
    const fields = checkTable(s.tables[0]!, frameBytes(m.type), name);
    for (const f of fields) {
      if (f.name === 'header' || f.name === 'reserved') continue;
      if (m.type === MessageType.Snapshot && f.name !== 'symbol' && f.name !== 'lastSeq') continue;
      assert.equal(readField(view, f.offset, f), values[f.name], `${name}.${f.name} at ${f.offset}`);
    }
  }
});

test('the Snapshot level table is SnapshotLevelLayout, and levels sit at 24 + 16·i', () => {
  const snap = SECTIONS.find((s) => s.heading.startsWith('Snapshot ('))!;
  const level = checkTable(snap.tables[1]!, SnapshotLevelLayout.bytes, 'Snapshot level');
  assert.deepEqual(level, rowsOf(SnapshotLevelLayout.fields), 'level: doc rows vs SnapshotLevelLayout');
  const offsets = SnapshotLevelLayout.offsets as Record<string, number>;
  const levelsRow = checkTable(snap.tables[0]!, frameBytes(MessageType.Snapshot), 'Snapshot').find((f) => f.name === 'levels')!;
  assert.equal(levelsRow.type, `level[${SNAPSHOT_DEPTH}]`);
  const m = sampleMessages().find((x) => x.type === MessageType.Snapshot) as Extract<Message, { type: 0x41 }>;
  const { view } = frameOf(m);
  const get = (i: number, name: string): number => view.getInt32(levelsRow.offset + 16 * i + offsets[name]!, true);
  assert.equal(view.getUint8(SnapshotLayout.offsets.bidLevels), m.bids.length);
  m.bids.forEach((l, i) => assert.deepEqual([get(i, 'bidPrice'), get(i, 'bidQty')], [l.price, l.qty]));
  m.asks.forEach((l, i) => assert.deepEqual([get(i, 'askPrice'), get(i, 'askQty')], [l.price, l.qty]));
});

test('the message type table lists every type with its code, size, port and direction', () => {
  const [rows] = section('Message types').tables;
  assert.equal(rows!.length, MESSAGES.length);
  for (const [code, name, bytes, port, direction] of rows!) {
    const info = MESSAGES.find((m) => m.name === name);
    assert.ok(info, `type table: ${name}`);
    assert.equal(parseInt(code!, 16), info.type, `${name} code`);
    assert.equal(Number(bytes), info.bytes, `${name} bytes`);
    let route = 0;
    const fromClient = direction === 'client → venue' || direction === 'both';
    const fromVenue = direction === 'venue → client' || direction === 'both';
    if (port!.includes('OE')) route |= (fromClient ? Route.OE_FROM_CLIENT : 0) | (fromVenue ? Route.OE_FROM_VENUE : 0);
    if (port!.includes('MD')) route |= (fromClient ? Route.MD_FROM_CLIENT : 0) | (fromVenue ? Route.MD_FROM_VENUE : 0);
    assert.equal(route, info.route, `${name} route`);
  }
  assert.ok(DOC.includes(`\`MAX_FRAME_BYTES\` = ${MAX_FRAME_BYTES}`));
});

function checkReasons(heading: string, code: readonly ReasonInfo[]): void {
  const [rows] = section(heading).tables;
  assert.deepEqual(
    rows!.map((r) => [Number(r[0]), r[1]]),
    code.map((r) => [r.code, r.name]),
    `${heading}: doc table vs reasons.ts`,
  );
}

test('the reason tables are reasons.ts', () => {
  checkReasons('Reject reasons', REJECT_REASONS);
  checkReasons('Disconnect reasons', DISCONNECT_REASONS);
  checkReasons('Cancel reasons', CANCEL_REASONS);
});

test('every reason name the doc mentions in backticks exists in reasons.ts', () => {
  const names = new Set([...REJECT_REASONS, ...DISCONNECT_REASONS, ...CANCEL_REASONS].map((r) => r.name));
  for (const [, word] of DOC.matchAll(/`([A-Z][A-Z_]+)`/g)) {
    if (word! in protocol || word === 'BID' || word === 'ASK') continue; // an exported constant, not a reason
    assert.ok(names.has(word!), `doc mentions \`${word}\`, which is no reason code`);
  }
});
