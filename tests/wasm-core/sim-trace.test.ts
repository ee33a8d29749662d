// The decision-trace hash is 64-bit FNV-1a over each command's fields, little-endian, in the documented order:
// checked against a BigInt FNV-1a written here from its definition, on 10 000 seeded commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';

const MASK = (1n << 64n) - 1n;
function fnv(h: bigint, bytes: Uint8Array): bigint {
  let x = h;
  for (const b of bytes) x = ((x ^ BigInt(b)) * 0x100000001b3n) & MASK;
  return x;
}
function commandBytes(time: bigint, type: number, id: bigint, symbol: number, side: number, price: number, qty: number): Uint8Array {
  const b = new DataView(new ArrayBuffer(28));
  b.setBigInt64(0, time, true);
  b.setUint8(8, type);
  b.setBigUint64(9, id, true);
  b.setUint16(17, symbol, true);
  b.setUint8(19, side);
  b.setInt32(20, price, true);
  b.setInt32(24, qty, true);
  return new Uint8Array(b.buffer);
}

test('simTraceCommand is FNV-1a 64 over (time, type, clOrdId, symbol, side, price, qty)', async () => {
  const { core } = await testCore();
  const t = 65536;
  core.simTraceInit(t);
  let h = 0xcbf29ce484222325n;
  assert.equal(BigInt.asUintN(64, core.simTraceHash(t)), h);
  const r = rng(9);
  for (let k = 0; k < 10_000; k++) {
    const time = BigInt(Math.floor(r() * 2 ** 52));
    const type = 1 + Math.floor(r() * 3);
    const id = BigInt(Math.floor(r() * 2 ** 40));
    const symbol = Math.floor(r() * 16);
    const side = r() < 0.5 ? 0 : 1;
    const price = Math.floor(r() * 2 ** 31) - (r() < 0.1 ? 2 ** 31 : 0);
    const qty = Math.floor(r() * 1e6);
    core.simTraceCommand(t, time, type, id, symbol, side, price, qty);
    h = fnv(h, commandBytes(time, type, id, symbol, side, price, qty));
  }
  assert.equal(BigInt.asUintN(64, core.simTraceHash(t)), h);
  assert.equal(core.simTraceCount(t), 10_000n);
});

test('FNV-1a 64 reference: the published test vector "a"', () => {
  // FNV-1a 64 of the single byte 'a' (0x61) is 0xaf63dc4c8601ec8c.
  assert.equal(fnv(0xcbf29ce484222325n, new Uint8Array([0x61])), 0xaf63dc4c8601ec8cn);
});
