// Shannon and permutation entropy against references that recompute everything from the window on
// every push, straight from the formulas (sort-based ordinal patterns, no Lehmer code, no running sums).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { EntropyScore, EntropySource, EntropyStatus } from '../../host/modules/sonar.js';

const STATE = 65536;

/** Equal, or within 1e-9 relative. */
function close(actual: number, expected: number, what: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected));
  assert.ok(ok, `${what}: core ${actual}, reference ${expected}`);
}

/** −Σ p ln p over counts of n items. */
function entropyOfCounts(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) {
    if (c > 0) h -= (c / n) * Math.log(c / n);
  }
  return h;
}

/** Normalised Shannon entropy of the signs of the last W mid changes; 1 until W changes exist. */
function refShannon(mids: readonly number[], W: number): number {
  if (mids.length - 1 < W) return 1;
  const counts = [0, 0, 0];
  for (let i = mids.length - W; i < mids.length; i++) {
    const step = mids[i]! - mids[i - 1]!;
    counts[step > 0 ? 2 : step < 0 ? 0 : 1]!++;
  }
  return entropyOfCounts(counts, W) / Math.log(3);
}

/** Ordinal pattern: positions sorted by (value, position), encoded in base d. */
function ordinalPattern(mids: readonly number[], from: number, d: number): number {
  const idx = Array.from({ length: d }, (_, k) => k);
  idx.sort((p, q) => mids[from + p]! - mids[from + q]! || p - q);
  let key = 0;
  for (const k of idx) key = key * d + k;
  return key;
}

/** Normalised permutation entropy over the last W mids; 1 until W mids exist. */
function refPermutation(mids: readonly number[], W: number, d: number): number {
  if (mids.length < W) return 1;
  const counts = new Map<number, number>();
  const start = mids.length - W;
  for (let i = start; i + d <= mids.length; i++) {
    const key = ordinalPattern(mids, i, d);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let factorial = 1;
  for (let k = 2; k <= d; k++) factorial *= k;
  return entropyOfCounts(counts.values(), W - d + 1) / Math.log(factorial);
}

/** Mid generators with many ties: a few values, half-tick walks, long flat runs. */
function midSource(mode: number, r: () => number): () => number {
  let mid = 1000 + Math.floor(r() * 100);
  switch (mode) {
    case 0: return () => 100 + 0.5 * Math.floor(r() * 3); // {100, 100.5, 101}
    case 1: return () => (r() < 0.5 ? 7 : 8); // two values
    case 2: return () => (mid += [-1, -0.5, 0, 0, 0, 0.5, 1][Math.floor(r() * 7)]!); // half-tick walk
    case 3: return () => Math.floor(r() * 1000); // few ties
    default: return () => (r() < 0.8 ? mid : (mid = 1000 + Math.floor(r() * 4))); // flat runs
  }
}

test('hand-worked: Shannon over W = 4 signs', async () => {
  const { core } = await testCore();
  assert.equal(core.entropyInit(STATE, 4, 3, EntropySource.shannon), EntropyStatus.OK);
  // Mids 10, 11, 11, 10.5 → signs +, 0, − : three of four, window not full → 1.0.
  for (const m of [10, 11, 11, 10.5]) assert.equal(core.entropyPush(STATE, m), 1);
  // 12 → signs +, 0, −, + ; p = (¼, ¼, ½):
  // H = −(¼ ln ¼ + ¼ ln ¼ + ½ ln ½) / ln 3 = (½ ln 4 + ½ ln 2) / ln 3 = 1.5 ln 2 / ln 3
  //   = 1.5 × 0.693147 / 1.098612 = 0.946395
  close(core.entropyPush(STATE, 12), (1.5 * Math.log(2)) / Math.log(3), 'full window');
  close(0.9463946303571862, (1.5 * Math.log(2)) / Math.log(3), 'the decimal above');
  // 12, 12 → last four signs −, +, 0, 0 : again counts (1, 2, 1), same H.
  core.entropyPush(STATE, 12);
  close(core.entropyPush(STATE, 12), 0.9463946303571862, '(1, 2, 1)');
  // 12 → +, 0, 0, 0 : p = (0, ¾, ¼): H = −(¾ ln ¾ + ¼ ln ¼) / ln 3 = (0.215762 + 0.346574) / 1.098612 = 0.511860
  close(core.entropyPush(STATE, 12), 0.5118595071429148, '(0, 3, 1)');
  // 12 → 0, 0, 0, 0 : one symbol, H = 0 exactly.
  assert.equal(core.entropyPush(STATE, 12), 0);
  assert.equal(core.entropyShannon(STATE), 0);
  assert.equal(core.entropyScore(STATE), 0);
  assert.equal(core.entropyCount(STATE), 9n);
});

test('hand-worked: permutation entropy of order 3 over W = 5 mids, ties by position', async () => {
  const { core } = await testCore();
  assert.equal(core.entropyInit(STATE, 5, 3, EntropySource.permutation), EntropyStatus.OK);
  // Mids 3, 1, 2, 2, 5 → windows (3,1,2), (1,2,2), (2,2,5).
  //   (3,1,2): ascending order of positions is 1, 2, 0 → a "down-up" pattern.
  //   (1,2,2): the tie 2 = 2 is broken by position, the earlier 2 first → positions 0, 1, 2 (ascending).
  //   (2,2,5): tie again → 0, 1, 2 (ascending).
  // Two patterns, p = (⅓, ⅔): H = −(⅓ ln ⅓ + ⅔ ln ⅔) / ln 3! = (ln 3 − ⅔ ln 2) / ln 6
  //   = (1.098612 − 0.462098) / 1.791759 = 0.355245
  for (const m of [3, 1, 2, 2]) assert.equal(core.entropyPush(STATE, m), 1, 'four of five mids: not full');
  close(core.entropyPush(STATE, 5), (Math.log(3) - (2 / 3) * Math.log(2)) / Math.log(6), 'first full window');
  close(core.entropyPermutation(STATE), 0.355245321275764, 'the decimal above');
  // 0 → mids 1, 2, 2, 5, 0: (1,2,2) ascending, (2,2,5) ascending, (2,5,0) → positions 2, 0, 1: still (⅓, ⅔).
  close(core.entropyPush(STATE, 0), 0.355245321275764, 'pattern (3,1,2) left, (2,5,0) came');
  // 3 → mids 2, 2, 5, 0, 3: (2,2,5) ascending, (2,5,0) → 2, 0, 1, (5,0,3) → 1, 2, 0: three patterns,
  // each ⅓: H = ln 3 / ln 6 = 1.098612 / 1.791759 = 0.613147
  close(core.entropyPush(STATE, 3), Math.log(3) / Math.log(6), 'three distinct');
  // Shannon over W = 5 signs of 3, 1, 2, 2, 5, 0, 3: −, +, 0, +, −, + → last five +, 0, +, −, + : (1, 1, 3)
  // H = −(2 × ⅕ ln ⅕ + ⅗ ln ⅗) / ln 3 = (0.643775 + 0.306495) / 1.098612 = 0.864972
  close(core.entropyShannon(STATE), -(2 * 0.2 * Math.log(0.2) + 0.6 * Math.log(0.6)) / Math.log(3), 'Shannon alongside');
  close(core.entropyShannon(STATE), 0.8649735207179269, 'the decimal above');
  // Constant mids: every window is all-ties → one pattern (ascending), H = 0.
  for (let i = 0; i < 6; i++) core.entropyPush(STATE, 4); // six: the change 3 → 4 must leave the sign window too
  assert.equal(core.entropyPermutation(STATE), 0);
  assert.equal(core.entropyShannon(STATE), 0);
});

test('10 000 random mid sequences with many ties agree with the from-scratch references', async () => {
  const { core } = await testCore();
  const r = rng(20261122);
  let pushes = 0;
  for (let seq = 0; seq < 10_000; seq++) {
    const d = 3 + Math.floor(r() * 4);
    const W = d + 1 + Math.floor(r() * 40);
    const source = r() < 0.5 ? EntropySource.shannon : EntropySource.permutation;
    assert.equal(core.entropyInit(STATE, W, d, source), EntropyStatus.OK);
    const next = midSource(seq % 5, r);
    const mids: number[] = [];
    const length = 1 + Math.floor(r() * 3 * W);
    for (let i = 0; i < length; i++) {
      const m = next();
      mids.push(m);
      const score = core.entropyPush(STATE, m);
      const shannon = refShannon(mids, W);
      const permutation = refPermutation(mids, W, d);
      const where = `sequence ${seq} (W ${W}, d ${d}, mode ${seq % 5}) push ${i}`;
      close(core.entropyShannon(STATE), shannon, `Shannon, ${where}`);
      close(core.entropyPermutation(STATE), permutation, `permutation, ${where}`);
      assert.equal(score, source === EntropySource.shannon ? core.entropyShannon(STATE) : core.entropyPermutation(STATE));
      assert.equal(core.entropyScore(STATE), score);
      assert.ok(score >= 0 && score <= 1);
      pushes++;
    }
    assert.equal(core.entropyCount(STATE), BigInt(length));
  }
  assert.ok(pushes > 300_000, `${pushes} pushes compared`);
});

for (const d of [3, 6]) {
  test(`long run at W = 4096, order ${d}: no drift after 200 000 pushes`, async () => {
    const { core } = await testCore(4 << 20);
    assert.equal(core.entropyInit(STATE, 4096, d, EntropySource.permutation), EntropyStatus.OK);
    const r = rng(4096 + d);
    const mids: number[] = [];
    let next = midSource(2, r);
    for (let i = 0; i < 200_000; i++) {
      // Switch the generator now and then so the counts swing between concentrated and spread.
      if (i % 20_000 === 0) next = midSource((i / 20_000) % 5, r);
      const m = next();
      mids.push(m);
      core.entropyPush(STATE, m);
      if (i % 1009 === 0 || i === 199_999) {
        close(core.entropyShannon(STATE), refShannon(mids, 4096), `Shannon at push ${i}`);
        close(core.entropyPermutation(STATE), refPermutation(mids, 4096, d), `permutation at push ${i}`);
      }
      if (mids.length > 8192) mids.splice(0, 4096);
    }
  });
}

test('the extremes: one symbol gives exactly 0, six windows with the six patterns of order 3 give 1', async () => {
  const { core } = await testCore();
  // Order 3, W = 8 mids → 6 windows. Mids 1, 1, 4, 3, 2, 2, 1, 2; positions in ascending order (ties by position):
  //   (1,1,4) 0 1 2 · (1,4,3) 0 2 1 · (4,3,2) 2 1 0 · (3,2,2) 1 2 0 · (2,2,1) 2 0 1 · (2,1,2) 1 0 2
  // Six distinct patterns, p = ⅙ each: H = ln 6 / ln 3! = 1. Without the tie rule, (3,2,2), (2,2,1) and
  // (2,1,2) would not be distinct patterns at all.
  const mids = [1, 1, 4, 3, 2, 2, 1, 2];
  assert.equal(core.entropyInit(STATE, 8, 3, EntropySource.permutation), EntropyStatus.OK);
  let score = 0;
  for (const m of mids) score = core.entropyPush(STATE, m);
  close(score, 1, 'six patterns once each');
  close(refPermutation(mids, 8, 3), 1, 'the reference agrees');
  // Eight mids give only seven sign changes; the Shannon window needs W = 8: still 1.
  assert.equal(core.entropyShannon(STATE), 1);
  // Eight more equal mids: every sign 0 and every window all-ties (ascending): both exactly 0.
  for (let i = 0; i < 8; i++) score = core.entropyPush(STATE, 2);
  assert.equal(score, 0);
  assert.equal(core.entropyShannon(STATE), 0);
  assert.equal(core.entropyPermutation(STATE), 0);
});

test('bad arguments: statuses, non-finite mids refused without effect, reset, sizes', async () => {
  const { core, memory } = await testCore();
  assert.equal(core.entropyInit(STATE, 64, 2, 0), EntropyStatus.BAD_ORDER);
  assert.equal(core.entropyInit(STATE, 64, 7, 0), EntropyStatus.BAD_ORDER);
  assert.equal(core.entropyInit(STATE, 6, 6, 0), EntropyStatus.BAD_WINDOW);
  assert.equal(core.entropyInit(STATE, 4097, 3, 0), EntropyStatus.BAD_WINDOW);
  assert.equal(core.entropyInit(STATE, 64, 3, 2), EntropyStatus.BAD_SOURCE);
  assert.equal(core.entropyInit(STATE + 4, 64, 3, 0), EntropyStatus.MISALIGNED);
  assert.equal(core.entropyBytes(6, 6), 0);
  assert.equal(core.entropyBytes(64, 2), 0);
  assert.equal(core.entropyBytes(4097, 3), 0);
  for (const [w, d] of [[4, 3], [7, 6], [4096, 6], [4096, 3], [100, 5]] as const) {
    const bytes = core.entropyBytes(w, d);
    assert.ok(bytes > 0 && bytes % 64 === 0, `entropyBytes(${w}, ${d}) = ${bytes}`);
  }

  // The state never writes outside entropyBytes: fill a guard after it and run a long sequence.
  const W = 100;
  const d = 5;
  const bytes = core.entropyBytes(W, d);
  const u8 = new Uint8Array(memory.buffer);
  u8.fill(0xa5, STATE - 64, STATE + bytes + 256);
  assert.equal(core.entropyInit(STATE, W, d, EntropySource.shannon), EntropyStatus.OK);
  const r = rng(7);
  const mids: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const m = Math.floor(r() * 5);
    mids.push(m);
    core.entropyPush(STATE, m);
  }
  assert.ok(u8.subarray(STATE - 64, STATE).every((b) => b === 0xa5), 'guard before the state');
  assert.ok(u8.subarray(STATE + bytes, STATE + bytes + 256).every((b) => b === 0xa5), 'guard after the state');

  const before = [core.entropyShannon(STATE), core.entropyPermutation(STATE), core.entropyCount(STATE)];
  for (const bad of [NaN, Infinity, -Infinity]) assert.equal(core.entropyPush(STATE, bad), EntropyScore.BAD_MID);
  assert.deepEqual([core.entropyShannon(STATE), core.entropyPermutation(STATE), core.entropyCount(STATE)], before);
  // The sequence continues as if the refused mids never came.
  mids.push(3);
  close(core.entropyPush(STATE, 3), refShannon(mids, W), 'after refused mids');
  close(core.entropyPermutation(STATE), refPermutation(mids, W, d), 'after refused mids');

  core.entropyReset(STATE);
  assert.equal(core.entropyCount(STATE), 0n);
  assert.equal(core.entropyScore(STATE), 1);
  const fresh: number[] = [];
  for (let i = 0; i < 300; i++) {
    const m = Math.floor(r() * 3);
    fresh.push(m);
    core.entropyPush(STATE, m);
    close(core.entropyShannon(STATE), refShannon(fresh, W), `after reset, push ${i}`);
    close(core.entropyPermutation(STATE), refPermutation(fresh, W, d), `after reset, push ${i}`);
  }
});
