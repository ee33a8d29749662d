// The core must own no memory state: several instances share one memory, so a data segment would be
// rewritten by every instantiation, a global would silently differ per instance, and a start
// function would run once per worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CORE_WASM_URL } from '../../host/core/core-loader.js';

interface Section { id: number; start: number; end: number }

function readU32(bytes: Uint8Array, pos: { at: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos.at++]!;
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result >>> 0;
    shift += 7;
  }
}

function sections(bytes: Uint8Array): Section[] {
  assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'wasm magic');
  const out: Section[] = [];
  const pos = { at: 8 };
  while (pos.at < bytes.length) {
    const id = bytes[pos.at++]!;
    const size = readU32(bytes, pos);
    out.push({ id, start: pos.at, end: pos.at + size });
    pos.at += size;
  }
  return out;
}

const SECTION = { import: 2, memory: 5, global: 6, start: 8, data: 11, dataCount: 12 } as const;

function readName(bytes: Uint8Array, pos: { at: number }): string {
  const len = readU32(bytes, pos);
  const s = new TextDecoder().decode(bytes.subarray(pos.at, pos.at + len));
  pos.at += len;
  return s;
}

test('core.wasm has no data segments, no globals, no start function and imports one shared memory', async () => {
  const bytes = new Uint8Array(await readFile(CORE_WASM_URL));
  const all = sections(bytes);
  const count = (id: number): number => {
    const s = all.find((x) => x.id === id);
    return s ? readU32(bytes, { at: s.start }) : 0;
  };
  assert.equal(count(SECTION.data), 0, 'data segments');
  assert.equal(all.some((s) => s.id === SECTION.dataCount) ? count(SECTION.dataCount) : 0, 0, 'data count');
  assert.equal(count(SECTION.global), 0, 'globals');
  assert.equal(all.some((s) => s.id === SECTION.start), false, 'start function');
  assert.equal(count(SECTION.memory), 0, 'the core must not define its own memory');

  const imp = all.find((s) => s.id === SECTION.import);
  assert.ok(imp, 'import section');
  const pos = { at: imp.start };
  const n = readU32(bytes, pos);
  const imports: { module: string; field: string; kind: number; shared?: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const module = readName(bytes, pos);
    const field = readName(bytes, pos);
    const kind = bytes[pos.at++]!;
    if (kind === 2) {
      const flags = bytes[pos.at++]!;
      readU32(bytes, pos);
      if (flags & 1) readU32(bytes, pos);
      imports.push({ module, field, kind, shared: (flags & 2) !== 0 });
    } else {
      imports.push({ module, field, kind });
      break; // only memory is expected; anything else fails below
    }
  }
  assert.deepEqual(imports, [{ module: 'env', field: 'memory', kind: 2, shared: true }], 'imports');
});

test('the structure check itself rejects a module with a global and a data segment', () => {
  // (module (global i32 (i32.const 0)) (memory 1) (data (i32.const 0) "x"))
  const bad = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01,
    0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b,
    0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x78,
  ]);
  assert.ok(WebAssembly.validate(bad), 'fixture is valid wasm');
  const ids = sections(bad).map((s) => s.id);
  assert.ok(ids.includes(SECTION.global) && ids.includes(SECTION.data));
});
