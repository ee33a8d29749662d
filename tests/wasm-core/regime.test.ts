// The Attack/Veto Schmitt trigger with minimum dwell, against a reference written from its definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { Regime, RegimeStatus } from '../../host/modules/sonar.js';

const STATE = 65536;
const { VETO, ATTACK } = Regime;

/** Enter Attack at score ≤ a, leave at score ≥ b; no switch within `dwell` ns of the previous switch. */
class ReferenceRegime {
  regime: number = VETO;
  switches = 0;
  lastSwitch = 0n;
  constructor(readonly a: number, readonly b: number, readonly dwell: bigint) {}
  update(score: number, now: bigint): number {
    const wanted = this.regime === VETO ? (score <= this.a ? ATTACK : VETO) : (score >= this.b ? VETO : ATTACK);
    const dwellOver = this.switches === 0 || now - this.lastSwitch >= this.dwell;
    if (wanted !== this.regime && dwellOver) {
      this.regime = wanted;
      this.switches++;
      this.lastSwitch = now;
    }
    return this.regime;
  }
}

test('a score oscillating strictly between a and b never switches, from either regime', async () => {
  const { core } = await testCore();
  const a = 0.4;
  const b = 0.6;
  assert.equal(core.regimeInit(STATE, a, b, 0n), RegimeStatus.OK);
  const r = rng(11);
  let t = 0n;
  for (let i = 0; i < 10_000; i++) {
    // Strictly inside (a, b), touching neither: 0.4 + 0.2·(0.001 .. 0.999).
    const score = a + (b - a) * (0.001 + 0.998 * r());
    assert.ok(score > a && score < b);
    assert.equal(core.regimeUpdate(STATE, score, (t += 1_000n)), VETO);
  }
  assert.equal(core.regimeSwitches(STATE), 0);
  // Now in Attack (0.4 ≤ a), then the same oscillation: stays in Attack.
  assert.equal(core.regimeUpdate(STATE, 0.4, (t += 1_000n)), ATTACK, 'touching a enters');
  for (let i = 0; i < 10_000; i++) {
    assert.equal(core.regimeUpdate(STATE, a + (b - a) * (0.001 + 0.998 * r()), (t += 1_000n)), ATTACK);
  }
  assert.equal(core.regimeSwitches(STATE), 1);
  // Hovering tightly around the midpoint, the case a single threshold would flap on.
  for (let i = 0; i < 1000; i++) core.regimeUpdate(STATE, i % 2 ? 0.5000001 : 0.4999999, (t += 1n));
  assert.equal(core.regimeSwitches(STATE), 1);
  assert.equal(core.regimeCurrent(STATE), ATTACK);
});

test('crossings give exactly the expected switches; thresholds are inclusive', async () => {
  const { core } = await testCore();
  assert.equal(core.regimeInit(STATE, 0.3, 0.7, 0n), RegimeStatus.OK);
  assert.equal(core.regimeSinceNs(STATE), -(2n ** 63n), 'no update yet');
  // score:    0.9  0.5  0.31 0.3  0.5  0.69 0.7  0.5  0.2  1.0  0.0
  // regime:   V    V    V    A    A    A    V    V    A    V    A
  // switches: 0    0    0    1    1    1    2    2    3    4    5
  const scores = [0.9, 0.5, 0.31, 0.3, 0.5, 0.69, 0.7, 0.5, 0.2, 1.0, 0.0];
  const regimes = [VETO, VETO, VETO, ATTACK, ATTACK, ATTACK, VETO, VETO, ATTACK, VETO, ATTACK];
  const switches = [0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 5];
  scores.forEach((score, i) => {
    const now = BigInt(100 + i * 10);
    assert.equal(core.regimeUpdate(STATE, score, now), regimes[i], `score ${score} at step ${i}`);
    assert.equal(core.regimeCurrent(STATE), regimes[i]);
    assert.equal(core.regimeSwitches(STATE), switches[i]);
    if (i === 0) assert.equal(core.regimeSinceNs(STATE), 100n, 'before any switch: the first update');
  });
  assert.equal(core.regimeSinceNs(STATE), 200n, 'the last switch, step 10');
  // NaN satisfies neither threshold.
  assert.equal(core.regimeUpdate(STATE, NaN, 300n), ATTACK);
  assert.equal(core.regimeSwitches(STATE), 5);
});

test('min dwell suppresses a quick flip and releases it once the dwell has elapsed', async () => {
  const { core } = await testCore();
  const dwell = 500_000_000n; // 500 ms
  assert.equal(core.regimeInit(STATE, 0.4, 0.6, dwell), RegimeStatus.OK);
  const t0 = 1_000_000_000n;
  assert.equal(core.regimeUpdate(STATE, 0.9, t0), VETO);
  // The first switch has no predecessor: immediate.
  assert.equal(core.regimeUpdate(STATE, 0.1, t0 + 1n), ATTACK);
  const entered = t0 + 1n;
  // Entropy jumps 1 ns and then 499.999999 ms later: still within the dwell, no flip.
  assert.equal(core.regimeUpdate(STATE, 0.95, entered + 1n), ATTACK);
  assert.equal(core.regimeUpdate(STATE, 0.95, entered + dwell - 1n), ATTACK);
  assert.equal(core.regimeSwitches(STATE), 1);
  // A score back inside (a, b) when the dwell ends: no reason to switch any more; nothing was queued.
  assert.equal(core.regimeUpdate(STATE, 0.5, entered + dwell), ATTACK);
  // Once the dwell is over, a crossing switches at once.
  assert.equal(core.regimeUpdate(STATE, 0.6, entered + dwell + 2n), VETO);
  const left = entered + dwell + 2n;
  assert.equal(core.regimeSinceNs(STATE), left);
  assert.equal(core.regimeUpdate(STATE, 0.0, left + dwell - 1n), VETO, 'quick re-entry suppressed');
  assert.equal(core.regimeUpdate(STATE, 0.0, left + dwell), ATTACK, 'at exactly the dwell');
  // Time running backwards never counts as elapsed dwell.
  assert.equal(core.regimeUpdate(STATE, 1.0, left - 10n * dwell), ATTACK);
  assert.equal(core.regimeSwitches(STATE), 3);
});

test('10 000 random score sequences agree with the reference Schmitt trigger', async () => {
  const { core } = await testCore();
  const r = rng(77);
  let updates = 0;
  for (let seq = 0; seq < 10_000; seq++) {
    const a = r() * 0.9;
    const b = a + 0.01 + r() * (1 - a - 0.01);
    const dwell = r() < 0.3 ? 0n : BigInt(Math.floor(r() * 5000));
    assert.equal(core.regimeInit(STATE, a, b, dwell), RegimeStatus.OK);
    const ref = new ReferenceRegime(a, b, dwell);
    let now = BigInt(Math.floor(r() * 1e9));
    const n = 1 + Math.floor(r() * 60);
    for (let i = 0; i < n; i++) {
      now += BigInt(Math.floor(r() * 2000));
      // Mostly values near the thresholds, some exactly on them.
      const u = r();
      const score = u < 0.1 ? a : u < 0.2 ? b : u < 0.6 ? r() : Math.min(1, Math.max(0, (r() < 0.5 ? a : b) + (r() - 0.5) * 0.05));
      assert.equal(core.regimeUpdate(STATE, score, now), ref.update(score, now), `sequence ${seq} step ${i}`);
      updates++;
    }
    assert.equal(core.regimeSwitches(STATE), ref.switches);
    assert.equal(core.regimeCurrent(STATE), ref.regime);
    if (ref.switches > 0) assert.equal(core.regimeSinceNs(STATE), ref.lastSwitch);
  }
  assert.ok(updates > 200_000);
});

test('init refuses a ≥ b, thresholds outside [0, 1], NaN, negative dwell, misalignment', async () => {
  const { core } = await testCore();
  assert.equal(core.regimeInit(STATE, 0.6, 0.4, 0n), RegimeStatus.BAD_THRESHOLDS);
  assert.equal(core.regimeInit(STATE, 0.5, 0.5, 0n), RegimeStatus.BAD_THRESHOLDS);
  assert.equal(core.regimeInit(STATE, -0.1, 0.5, 0n), RegimeStatus.BAD_THRESHOLDS);
  assert.equal(core.regimeInit(STATE, 0.5, 1.1, 0n), RegimeStatus.BAD_THRESHOLDS);
  assert.equal(core.regimeInit(STATE, NaN, 0.5, 0n), RegimeStatus.BAD_THRESHOLDS);
  assert.equal(core.regimeInit(STATE, 0.5, NaN, 0n), RegimeStatus.BAD_THRESHOLDS);
  assert.equal(core.regimeInit(STATE, 0.1, 0.5, -1n), RegimeStatus.BAD_DWELL);
  assert.equal(core.regimeInit(STATE + 4, 0.1, 0.5, 0n), RegimeStatus.MISALIGNED);
  assert.equal(core.regimeInit(STATE, 0, 1, 0n), RegimeStatus.OK, 'the closed ends are allowed');
  assert.equal(core.regimeBytes() % 8, 0);
  assert.equal(core.regimeCurrent(STATE), VETO);
  assert.equal(core.regimeSwitches(STATE), 0);
});
