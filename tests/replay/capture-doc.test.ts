// docs/record-replay.md and host/capture/capture-format.ts agree: the header table's offsets and names are
// CaptureHeader's (every field listed, sizes contiguous up to 64 bytes), the record table's common fields are
// CaptureField's, and the kinds table is CaptureKind in value order, each naming a call the core exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sections, type Section } from '../testkit/doc-tables.js';
import {
  CAPTURE_HEADER_BYTES, CAPTURE_MAGIC, CAPTURE_RECORD_BYTES, CAPTURE_VERSION, CaptureField, CaptureHeader, CaptureKind,
} from '../../host/capture/capture-format.js';
import { testCore } from '../testkit/core.js';

const DOC = readFileSync(new URL('../../../docs/record-replay.md', import.meta.url), 'utf8');
const SECTIONS = sections(DOC);
function table(heading: string): string[][] {
  const s: Section | undefined = SECTIONS.find((x) => x.heading === heading);
  assert.ok(s && s.tables.length === 1, `docs/record-replay.md has one table under "${heading}"`);
  return s.tables[0]!;
}
const SIZE: Record<string, number> = { u32: 4, i32: 4, f64: 8, 'u8[8]': 8 };

test('the header table is CaptureHeader: offsets, names, sizes contiguous to 64 bytes', () => {
  const rows = table(`Header (${CAPTURE_HEADER_BYTES} bytes)`);
  const names = rows.map((r) => r[2]!.split(':')[0]!);
  assert.deepEqual(names, Object.keys(CaptureHeader));
  let at = 0;
  for (const [offset, type, field] of rows) {
    const name = field!.split(':')[0]! as keyof typeof CaptureHeader;
    assert.equal(Number(offset), CaptureHeader[name], name);
    assert.equal(Number(offset), at, `${name} follows the field before it`);
    assert.ok(type! in SIZE, `${name}: type ${type}`);
    at += SIZE[type!]!;
  }
  assert.ok(at <= CAPTURE_HEADER_BYTES);
  assert.match(rows[0]![2]!, new RegExp(CAPTURE_MAGIC.replace(/\0/g, '\\\\0')));
  assert.match(rows[1]![2]!, new RegExp(`VERSION: ${CAPTURE_VERSION}$`));
});

test('the record table is CaptureField\'s common fields', () => {
  const rows = table(`Record (${CAPTURE_RECORD_BYTES} bytes)`);
  const common = rows.slice(0, -1).map((r) => [Number(r[0]), r[2]!.split(':')[0]!]);
  assert.deepEqual(common, [['KIND', 0], ['RESULT', 4], ['TIME', 8], ['COMMANDS', 16], ['HASH', 20]].map(([n, o]) => [o, n]));
  for (const [o, n] of common) assert.equal(CaptureField[n as keyof typeof CaptureField], o);
  const fields = rows.at(-1)![2]!;
  for (const name of ['A', 'B', 'C', 'D', 'E', 'X', 'Y', 'Z', 'F', 'G'] as const) {
    assert.match(fields, new RegExp(`\\b${name} ${CaptureField[name]}\\b`), `field ${name} at ${CaptureField[name]}`);
  }
});

test('the kinds table is CaptureKind, each with a call the core exports', async () => {
  const rows = table('Kinds');
  assert.deepEqual(rows.map((r) => [r[0], Number(r[1])]), Object.entries(CaptureKind));
  const core = (await testCore()).core as unknown as Record<string, unknown>;
  for (const [kind, , call] of rows) {
    const name = call!.split(' ')[0]!;
    if (kind === 'KILL') continue; // a store, not a call
    assert.equal(typeof core[name], 'function', `${kind}: the core exports ${name}`);
  }
});
