// The core's generator against the host's SeededRandom (the same xoshiro128** + splitmix32, written
// independently in plain TypeScript): identical u32 sequences for many seeds, and the derived draws
// (uniform, below, normal, exponential) computed from those u32s by their formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testCore } from '../testkit/core.js';
import { SeededRandom } from '../../host/platform/seeded-random.js';

const STATE = 65536;

test('the same u32 sequence as the host generator for 10 000 seeds', async () => {
  const { core } = await testCore();
  assert.equal(Number(core.randomBytes()), 16);
  for (let seed = 0; seed < 10_000; seed++) {
    const s = (seed * 2654435761) >>> 0;
    core.randomSeed(STATE, s);
    const ref = new SeededRandom(s);
    for (let i = 0; i < 8; i++) assert.equal(core.randomU32(STATE) >>> 0, ref.nextU32(), `seed ${s} draw ${i}`);
  }
});

test('uniform, below, normal and exponential follow their formulas, one or two u32 per draw', async () => {
  const { core } = await testCore();
  core.randomSeed(STATE, 42);
  const ref = new SeededRandom(42);
  for (let i = 0; i < 10_000; i++) {
    const u = core.randomUniform(STATE);
    assert.equal(u, ref.nextU32() / 2 ** 32);
    const n = 1 + (i % 997);
    const below = core.randomBelow(STATE, n) >>> 0;
    assert.equal(below, Math.floor((ref.nextU32() * n) / 2 ** 32));
    assert.ok(below < n);
    const z = core.randomNormal(STATE);
    const u1 = 1 - ref.nextU32() / 2 ** 32;
    const u2 = ref.nextU32() / 2 ** 32;
    const zRef = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    assert.ok(Math.abs(z - zRef) <= 1e-12 * Math.max(1, Math.abs(zRef)), `normal ${z} vs ${zRef}`);
    const rate = 0.5 + (i % 13);
    const e = core.randomExponential(STATE, rate);
    const eRef = -Math.log(1 - ref.nextU32() / 2 ** 32) / rate;
    assert.ok(Math.abs(e - eRef) <= 1e-12 * Math.max(1, eRef), `exponential ${e} vs ${eRef}`);
  }
});

test('the draws have the moments of their distributions (200 000 draws)', async () => {
  const { core } = await testCore();
  core.randomSeed(STATE, 7);
  const N = 200_000;
  let s = 0, s2 = 0, e = 0;
  for (let i = 0; i < N; i++) {
    const z = core.randomNormal(STATE);
    s += z; s2 += z * z;
    e += core.randomExponential(STATE, 4);
  }
  assert.ok(Math.abs(s / N) < 0.01, `normal mean ${s / N}`);
  assert.ok(Math.abs(s2 / N - 1) < 0.02, `normal variance ${s2 / N}`);
  assert.ok(Math.abs(e / N - 0.25) < 0.005, `exponential mean ${e / N} (1/rate = 0.25)`);
});

test('seed 0 works, and a state is independent of another at a different offset', async () => {
  const { core } = await testCore();
  core.randomSeed(STATE, 0);
  core.randomSeed(STATE + 64, 0);
  const a = core.randomU32(STATE);
  core.randomU32(STATE);
  assert.equal(core.randomU32(STATE + 64), a, 'the second state is untouched by draws from the first');
});
