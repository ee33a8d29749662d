// docs/journal.md and host/journal/records.ts agree: every byte table is parsed and checked against the
// description — heading code and size, contiguous offsets, sizes that match the types and sum to the size,
// natural alignment, every row (offset, size, type, name, reserved ones and the head included) equal to the
// description's field — and the bytes the writer puts in a file sit where the doc's rows say. The record
// type table and the control action table list exactly the code's codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { openJournal } from '../../host/journal/journal-writer.js';
import {
  ControlAction, FILE_HEADER_BYTES, FileHeaderLayout, JOURNAL_MAGIC, JOURNAL_VERSION, PrefixLayout, RECORD_TYPES,
  flatFields,
} from '../../host/journal/records.js';
import type { Layout } from '../../host/protocol/layout.js';
import { append, samples, tempFile } from '../testkit/journal-samples.js';
import { checkByteTable, sections, type DocField, type Row, type Section } from '../testkit/doc-tables.js';

const DOC = readFileSync(new URL('../../../docs/journal.md', import.meta.url), 'utf8');

const SECTIONS = sections(DOC);

function section(heading: string): Section {
  const s = SECTIONS.find((x) => x.heading === heading);
  assert.ok(s, `docs/journal.md has no section "${heading}"`);
  return s;
}


function typeBytes(type: string): number {
  const scalar: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, i32: 4, i64: 8 };
  if (type in scalar) return scalar[type]!;
  const arr = /^(u8|char)\[(\d+)\]$/.exec(type);
  if (arr) return Number(arr[2]);
  throw new Error(`unknown type "${type}" in the doc`);
}

/** Checks a byte table's shape (independently of the code's layout); returns its rows as fields. */
const checkTable = (rows: Row[], bytes: number, what: string): DocField[] =>
  checkByteTable(rows, bytes, what, typeBytes);

function rowsOf(layout: Layout): DocField[] {
  return flatFields(layout).map(({ offset, size, type, name }) => ({ offset, size, type, name }));
}

/** A field read the way the doc describes it (i64 as a BigInt, turned into a number when exact). */
function readField(b: Buffer, at: number, f: DocField): number | string {
  switch (f.type) {
    case 'u8': return b.readUInt8(at);
    case 'u16': return b.readUInt16LE(at);
    case 'u32': return b.readUInt32LE(at);
    case 'i32': return b.readInt32LE(at);
    case 'u64': return Number(b.readBigUInt64LE(at));
    case 'i64': return Number(b.readBigInt64LE(at));
    default: return b.subarray(at, at + f.size).toString('latin1');
  }
}

const RECORD_HEADING = /^(\w+) \((\d+), (\d+) bytes\)$/;

test('the file header and the record prefix tables are the code\'s', () => {
  const header = checkTable(section(`File header (${FILE_HEADER_BYTES} bytes)`).tables[0]!, FileHeaderLayout.bytes, 'file header');
  assert.deepEqual(header, rowsOf(FileHeaderLayout));
  const prefix = checkTable(section(`Record prefix (${PrefixLayout.bytes} bytes)`).tables[0]!, PrefixLayout.bytes, 'prefix');
  assert.deepEqual(prefix, rowsOf(PrefixLayout));
  const file = tempFile('doc-header.journal');
  openJournal(file, { createdWallMs: 1_796_123_456_789 }).close();
  const b = readFileSync(file);
  const want: Record<string, unknown> = { magic: JOURNAL_MAGIC, version: JOURNAL_VERSION, headerBytes: FILE_HEADER_BYTES, createdWallMs: 1_796_123_456_789 };
  for (const f of header) {
    if (f.name === 'reserved') assert.equal(readField(b, f.offset, { ...f, type: 'u32' }), 0);
    else assert.equal(readField(b, f.offset, f), want[f.name], `header.${f.name}`);
  }
});

test('every record type has a byte table whose heading and rows are its description', () => {
  const documented = new Set<string>();
  for (const s of SECTIONS) {
    const h = RECORD_HEADING.exec(s.heading);
    if (!h) continue;
    const [, name, code, bytes] = h;
    const info = RECORD_TYPES.find((r) => r.name === name);
    assert.ok(info, `doc record ${name} is not in the code`);
    assert.ok(!documented.has(name!), `${name} documented twice`);
    documented.add(name!);
    assert.equal(Number(code), info.code, `${name} code`);
    assert.equal(Number(bytes), info.layout.bytes, `${name} size in the heading`);
    const rows = checkTable(s.tables[0]!, info.layout.bytes, name!);
    assert.deepEqual(rows.slice(0, 3).map((r) => r.name), ['type', 'reserved', 'timestampNs'], `${name} starts with the head`);
    assert.deepEqual(rows, rowsOf(info.layout), `${name}: doc rows vs the description`);
  }
  assert.deepEqual([...documented].sort(), RECORD_TYPES.map((r) => r.name).sort(), 'every record type documented');
});

test('the bytes the writer puts in a file sit where the doc tables say', () => {
  const file = tempFile('doc-bytes.journal');
  const all = samples(6, 17);
  const w = openJournal(file, { fsync: 'none' });
  for (const s of all) append(w, s);
  w.close();
  const b = readFileSync(file);
  const prefix = checkTable(section(`Record prefix (${PrefixLayout.bytes} bytes)`).tables[0]!, PrefixLayout.bytes, 'prefix');
  let at = FILE_HEADER_BYTES;
  for (const s of all) {
    const sec = SECTIONS.find((x) => x.heading.startsWith(`${s.info.name} (`))!;
    const rows = checkTable(sec.tables[0]!, s.info.layout.bytes, s.info.name);
    const body = at + PrefixLayout.bytes;
    const length = readField(b, at + prefix.find((f) => f.name === 'length')!.offset, prefix[0]!);
    assert.equal(length, s.info.layout.bytes);
    assert.equal(readField(b, at + prefix.find((f) => f.name === 'crc')!.offset, prefix[1]!), crc32(b.subarray(body, body + s.info.layout.bytes)));
    const values: Record<string, number> = { type: s.info.code, timestampNs: s.values[0]! };
    s.info.args.forEach((n, i) => { values[n] = s.values[i + 1]!; });
    for (const f of rows) {
      if (f.name === 'reserved') {
        for (let i = 0; i < f.size; i++) assert.equal(b[body + f.offset + i], 0, `${s.info.name} reserved byte ${f.offset + i}`);
      } else {
        assert.equal(readField(b, body + f.offset, f), values[f.name], `${s.info.name}.${f.name} at ${f.offset}`);
      }
    }
    at = body + s.info.layout.bytes;
  }
});

test('the record type table and the control action table are the code\'s', () => {
  const [types] = section('Record types').tables;
  assert.deepEqual(types!.map((r) => [Number(r[0]), r[1], Number(r[2])]), RECORD_TYPES.map((r) => [r.code, r.name, r.layout.bytes]));
  const [actions] = section('Control actions').tables;
  assert.deepEqual(actions!.map((r) => [Number(r[0]), r[1]]), Object.entries(ControlAction).map(([k, v]) => [v, k]));
});
