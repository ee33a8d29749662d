// Message layouts: a description that cannot be laid out is refused when the module loads (naming the
// record and the field), offsets are packed in order with the header first, and what is compiled from
// the descriptions keeps the hot path's cost — validating frames of every type, ids up to 2^53 − 1
// included, allocates nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldRule,
  HEADER_BYTES,
  MAX_FRAME_BYTES,
  MESSAGES,
  NewOrderLayout,
  RESERVED,
  clOrdIdOf,
  encodeMessage,
  fillTradeId,
  validateFrame,
} from '../../host/protocol/index.js';
import { array, compileEncoder, record } from '../../host/protocol/layout.js';
import { rng } from '../testkit/core.js';
import { gcDuring } from '../testkit/md-server.js';
import { MessageGen } from '../testkit/protocol-samples.js';

test('a description that cannot be laid out is refused, naming the record and the field', () => {
  assert.throws(() => record('bad', [['a', 'u8'], ['b', 'u32']]), /bad\.b: u32 at 1 is not 4-byte aligned/);
  assert.throws(() => record('bad', [['a', 'u16'], ['b', 'u64']]), /bad\.b: u64 at 2 is not 8-byte aligned/);
  assert.throws(() => record('bad', [['pad', 'u8[3]']]), /field pad: u8\[n\] is for reserved bytes only/);
  assert.throws(() => record('bad', [['a', 'u24' as 'u8']]), /field a: unknown type "u24"/);
  assert.throws(() => record('bad', [['Upper', 'u8']]), /bad: bad field name "Upper"/);
  assert.throws(() => record('bad', [[RESERVED, 'u8', FieldRule.side]]), /bad: a reserved field has no rule/);
  assert.throws(() => compileEncoder(record('bad', [['view', 'u8']]), {}), /bad: encoder arguments view repeat a name/);
  assert.throws(() => compileEncoder(record('bad', [['a', 'u8']]), { b: 1 }), /bad: constants b must name one field each/);
});

test('fields are packed in order after the header; char and reserved bytes need no alignment', () => {
  const level = record('level', [['price', 'i32'], ['qty', 'i32']]);
  const r = record('thing', [['a', 'u8'], ['name', 'char[3]'], ['b', 'u32'], [RESERVED, 'u8[4]'], ['levels', array(level, 3)]],
    record('header', [['length', 'u16'], [RESERVED, 'u8[6]']]));
  assert.deepEqual(r.fields.map((f) => [f.name, f.type, f.offset, f.size]), [
    ['header', 'header', 0, 8], ['a', 'u8', 8, 1], ['name', 'char[3]', 9, 3], ['b', 'u32', 12, 4],
    [RESERVED, 'u8[4]', 16, 4], ['levels', 'level[3]', 20, 24],
  ]);
  assert.equal(r.bytes, 44);
  assert.deepEqual(r.offsets, { header: 0, a: 8, name: 9, b: 12, levels: 20 });
  assert.equal(NewOrderLayout.fields[0]!.size, HEADER_BYTES);
  assert.equal(NewOrderLayout.offsets.price, 32);
});

test('validating frames of every type, ids near 2^53 included, allocates nothing', async () => {
  const gen = new MessageGen(rng(0xa110c), 500);
  const bytes = new Uint8Array(1 << 20);
  const view = new DataView(bytes.buffer);
  const at: number[] = [];
  const len: number[] = [];
  let end = 0;
  for (let i = 0; end < bytes.length - MAX_FRAME_BYTES; i++) {
    const n = encodeMessage(view, end, gen.message(MESSAGES[i % MESSAGES.length]!.type));
    at.push(end);
    len.push(n);
    end += n;
  }
  const ats = Int32Array.from(at);
  const lens = Int32Array.from(len);
  const sums = new Float64Array(2);
  const run = (): void => {
    for (let k = 0; k < ats.length; k++) {
      const a = ats[k]!;
      sums[0]! += validateFrame(view, a, lens[k]!, 500);
      sums[1]! += clOrdIdOf(view, a) + fillTradeId(view, a); // meaningless on other types: the read is the point
    }
  };
  for (let i = 0; i < 200; i++) run(); // warm up: optimised code
  let gcs = 0;
  let heapGrowth = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    ({ gcs, heapGrowth } = await gcDuring(() => { for (let i = 0; i < 300; i++) run(); }));
    if (gcs === 0 && heapGrowth < 1 << 20) break;
  }
  assert.equal(sums[0], 0, 'every generated frame is valid');
  assert.equal(gcs, 0, `garbage collections while validating ${300 * ats.length} frames: ${gcs} (heap +${heapGrowth} B)`);
  assert.ok(heapGrowth < 1 << 20, `heap grew ${heapGrowth} B`);
});
