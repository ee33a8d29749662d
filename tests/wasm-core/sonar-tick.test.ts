// sonarOnTick is exactly the step the live Sonar took tick by tick before it moved into the core: the mid into the
// entropy, its score into the regime, the stamp into the gate; checked against those calls made one by one on a
// second set of states, over 10 000 seeded ticks with one-sided books and out-of-order stamps. sonarGateWord by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { ExecGate, TrustCheck } from '../../build/core-constants.js';
import { NO_PRICE } from '../../host/model/vocabulary.js';

test('sonarOnTick: the same regime, score and gate as entropyPush → regimeUpdate → gateOnFeed', async () => {
  const { core } = await testCore(1 << 22);
  const set = (base: number) => ({ entropy: base, regime: base + 65536, gate: base + 65536 + 1024 });
  const a = set(65536);
  const b = set(65536 * 4);
  for (const s of [a, b]) {
    assert.equal(core.entropyInit(s.entropy, 64, 4, 1), 0);
    assert.equal(core.regimeInit(s.regime, 0.6, 0.7, 5_000_000n), 0);
    assert.equal(core.gateInit(s.gate, 1_000_000_000n), 0);
  }
  const r = rng(17);
  let t = 1_000_000_000;
  let seq = 0;
  let mid = 50_000;
  for (let k = 0; k < 10_000; k++) {
    t += Math.floor(r() * 2_000_000) - (r() < 0.05 ? 3_000_000 : 0);
    mid += Math.floor(r() * 3) - 1;
    const bid = r() < 0.03 ? NO_PRICE : mid - 1;
    const ask = r() < 0.03 ? NO_PRICE : mid + 1;
    const fresh = r() < 0.9;
    const s = fresh ? BigInt(++seq) : -1n;
    const got = core.sonarOnTick(a.entropy, a.regime, a.gate, bid, ask, BigInt(t), s);
    if (bid !== NO_PRICE && ask !== NO_PRICE) core.regimeUpdate(b.regime, core.entropyPush(b.entropy, (bid + ask) / 2), BigInt(t));
    if (fresh) core.gateOnFeed(b.gate, BigInt(t), s);
    assert.equal(got, core.regimeCurrent(b.regime), `tick ${k}`);
    assert.equal(core.entropyScore(a.entropy), core.entropyScore(b.entropy));
    assert.equal(core.gateGaps(a.gate), core.gateGaps(b.gate));
    assert.equal(core.gateClockFaults(a.gate), core.gateClockFaults(b.gate));
  }
  assert.ok(core.regimeSwitches(a.regime) > 0, 'the walk moved the regime at least once');
});

test('sonarGateWord: open only with every check passing and the feed live; RTT alone → RTT_ONLY', async () => {
  const { core } = await testCore();
  assert.equal(core.sonarGateWord(0, 0), ExecGate.OPEN);
  assert.equal(core.sonarGateWord(0, 1), ExecGate.CLOSED);
  assert.equal(core.sonarGateWord(TrustCheck.RTT_HIGH, 0), ExecGate.RTT_ONLY);
  assert.equal(core.sonarGateWord(TrustCheck.RTT_HIGH, 1), ExecGate.CLOSED);
  assert.equal(core.sonarGateWord(TrustCheck.RTT_HIGH | TrustCheck.FEED_STALE, 0), ExecGate.CLOSED);
  assert.equal(core.sonarGateWord(TrustCheck.BOOK_CROSSED, 0), ExecGate.CLOSED);
});
