// Host side of the Sonar: config defaults and refusals naming the key, init helpers, state blocks in the
// memory map, and the three parts run together. The core parts have their own files:
// entropy.test.ts, regime.test.ts, trust-gate.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testCore } from '../testkit/core.js';
import { Side } from '../../host/model/vocabulary.js';
import { ConfigError } from '../../host/config/config-error.js';
import { planMemory } from '../../host/core/memory-map.js';
import {
  describeTrustFailures, initEntropy, initGate, initRegime, initSonar, msToNs, Regime, resolveSonarConfig,
  SONAR_DEFAULTS, SonarInitError, sonarStatePlans, sonarStates, TrustCheck, type SonarConfigInput,
} from '../../host/modules/sonar.js';

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;

function refused(input: SonarConfigInput, key: string, message?: string): void {
  assert.throws(() => resolveSonarConfig(input), (err: unknown) => {
    assert.ok(err instanceof ConfigError, `ConfigError, got ${String(err)}`);
    assert.equal(err.key, key);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

test('defaults resolve and validate', () => {
  assert.deepEqual(resolveSonarConfig(), SONAR_DEFAULTS);
  assert.deepEqual(resolveSonarConfig({}), SONAR_DEFAULTS);
  const c = resolveSonarConfig({ sonar: { order: 6, window: 7, source: 'shannon' }, regime: { minDwellMs: 0 } });
  assert.deepEqual(c.sonar, { window: 7, order: 6, source: 'shannon' });
  assert.deepEqual(c.regime, { ...SONAR_DEFAULTS.regime, minDwellMs: 0 });
  assert.equal(msToNs(0.5), 500_000n);
  assert.equal(msToNs(20), 20_000_000n);
});

test('each key is refused outside its range, naming the key', () => {
  refused({ sonar: { order: 2 } }, 'sonar.order', 'sonar.order must be an integer in [3, 6], got 2');
  refused({ sonar: { order: 7 } }, 'sonar.order');
  refused({ sonar: { order: 4.5 } }, 'sonar.order');
  refused({ sonar: { window: 4 } }, 'sonar.window', 'sonar.window must be an integer in [5, 4096] (at least sonar.order + 1), got 4');
  refused({ sonar: { window: 6, order: 6 } }, 'sonar.window');
  refused({ sonar: { window: 4097 } }, 'sonar.window');
  refused({ sonar: { window: 100.5 } }, 'sonar.window');
  refused({ sonar: { window: Number('x') } }, 'sonar.window');
  refused({ sonar: { source: 'renyi' as 'shannon' } }, 'sonar.source', 'sonar.source must be one of "shannon", "permutation", got "renyi"');
  refused({ regime: { enter: -0.01 } }, 'regime.enter', 'regime.enter must be a number in [0, 1], got -0.01');
  refused({ regime: { enter: 1.5, exit: 1 } }, 'regime.enter');
  refused({ regime: { exit: 1.01 } }, 'regime.exit');
  refused({ regime: { enter: NaN } }, 'regime.enter');
  refused({ regime: { minDwellMs: -1 } }, 'regime.minDwellMs', 'regime.minDwellMs must be a number in [0, 60000], got -1');
  refused({ regime: { minDwellMs: 60_001 } }, 'regime.minDwellMs');
  refused({ gate: { maxFeedAgeMs: 0 } }, 'gate.maxFeedAgeMs', 'gate.maxFeedAgeMs must be a number in (0, 60000], got 0');
  refused({ gate: { maxFeedAgeMs: Infinity } }, 'gate.maxFeedAgeMs');
});

test('exit must be above enter: a > b and a == b are refused naming regime.exit', () => {
  refused({ regime: { enter: 0.6, exit: 0.4 } }, 'regime.exit', 'regime.exit must be > regime.enter (0.6), got 0.4');
  refused({ regime: { enter: 0.6, exit: 0.6 } }, 'regime.exit', 'regime.exit must be > regime.enter (0.6), got 0.6');
  refused({ regime: { enter: 0.75 } }, 'regime.exit', 'regime.exit must be > regime.enter (0.75), got 0.7');
  assert.equal(resolveSonarConfig({ regime: { enter: 0, exit: 1 } }).regime.exit, 1);
});

test('state plans fit the memory map; init helpers write the config and turn core refusals into errors', async () => {
  const { core } = await testCore(4 << 20);
  const config = resolveSonarConfig({ sonar: { window: 4096, order: 6 } });
  const plans = sonarStatePlans(core, config, 'sonar.NIFTY');
  assert.deepEqual(plans.map((p) => p.name), ['sonar.NIFTY.entropy', 'sonar.NIFTY.regime', 'sonar.NIFTY.gate']);
  assert.equal(plans[0]!.bytes, core.entropyBytes(4096, 6));
  const map = planMemory({ books: [{ symbol: 'NIFTY', levels: 64 }], states: plans }, core);
  const states = sonarStates(map.states, 'sonar.NIFTY');
  assert.ok(map.totalBytes <= 4 << 20);
  for (const offset of Object.values(states)) assert.equal(offset % 64, 0);
  assert.throws(() => sonarStates(map.states, 'sonar.BANKNIFTY'), /no state block "sonar.BANKNIFTY.entropy"/);
  assert.throws(() => sonarStatePlans(core, { ...config, sonar: { ...config.sonar, window: 3 } }), ConfigError);

  initSonar(core, states, config);
  assert.equal(core.entropyScore(states.entropy), 1, 'empty window');
  assert.equal(core.regimeCurrent(states.regime), Regime.VETO);
  const book = map.books.NIFTY!.offset;
  // A book never initialised is all zeros: best bid index 0 = best ask index 0 reads as crossed, so the
  // gate stays closed on it too.
  assert.equal(core.gateEvaluate(states.gate, book, 1n), TrustCheck.FEED_STALE | TrustCheck.BOOK_CROSSED | TrustCheck.RTT_HIGH);
  core.bookInit(book, 64, 1000);
  assert.equal(core.gateEvaluate(states.gate, book, 2n), TrustCheck.FEED_STALE | TrustCheck.RTT_HIGH);

  // What the core refuses (here: misaligned blocks, a shape no config would pass) comes back as SonarInitError.
  const bad = (fn: () => void, call: string, reason: string): void => {
    assert.throws(fn, (err: unknown) => err instanceof SonarInitError && err.call === call && err.reason === reason && err.status < 0);
  };
  bad(() => initEntropy(core, states.entropy + 4, config.sonar), 'entropyInit', 'MISALIGNED');
  bad(() => initEntropy(core, states.entropy, { window: 3, order: 3, source: 'shannon' }), 'entropyInit', 'BAD_WINDOW');
  bad(() => initRegime(core, states.regime, { enter: 0.5, exit: 0.5, minDwellMs: 0 }), 'regimeInit', 'BAD_THRESHOLDS');
  bad(() => initRegime(core, states.regime, { enter: 0.1, exit: 0.5, minDwellMs: -1 }), 'regimeInit', 'BAD_DWELL');
  bad(() => initGate(core, states.gate, { maxFeedAgeMs: 1e-9 }), 'gateInit', 'BAD_LIMIT');
  assert.match(String((() => { try { initGate(core, states.gate + 1, config.gate); } catch (e) { return e; } })()),
    /gateInit refused: MISALIGNED \(status -2\)/);
});

test('the three together: a trending mid enters Attack, noise leaves it, the gate vetoes a gap', async () => {
  const { core } = await testCore(4 << 20);
  const config = resolveSonarConfig({
    sonar: { window: 32, order: 3, source: 'permutation' },
    regime: { enter: 0.5, exit: 0.8, minDwellMs: 1 },
    gate: { maxFeedAgeMs: 5 },
  });
  const map = planMemory({ books: [{ symbol: 'X', levels: 64 }], states: sonarStatePlans(core, config) }, core);
  const s = sonarStates(map.states);
  const book = map.books.X!.offset;
  initSonar(core, s, config);
  core.bookInit(book, 64, 1000);
  core.bookSet(book, BID, 1010, 1);
  core.bookSet(book, ASK, 1012, 1);
  core.gateOnRtt(s.gate, 1, 0n); // the execution core's RTT verdict: healthy

  let t = 0n;
  let seq = 0n;
  const step = (mid: number): { regime: number; mask: number } => {
    t += 100_000n; // 0.1 ms per event
    core.gateOnFeed(s.gate, t, ++seq);
    const regime = core.regimeUpdate(s.regime, core.entropyPush(s.entropy, mid), t);
    return { regime, mask: core.gateEvaluate(s.gate, book, t) };
  };
  // A steady climb: every window ascending, one pattern, entropy 0 → Attack once 32 mids are in.
  let last = { regime: -1, mask: -1 };
  for (let i = 0; i < 31; i++) assert.equal(step(1011 + i * 0.5).regime, Regime.VETO, `window not full at ${i}`);
  last = step(1030);
  assert.equal(core.entropyPermutation(s.entropy), 0);
  assert.deepEqual(last, { regime: Regime.ATTACK, mask: 0 });
  // Zig-zag noise over many values: entropy climbs past 0.8 → Veto (after the 1 ms dwell).
  const noise = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5];
  for (const n of noise) last = step(1000 + n);
  assert.ok(core.entropyPermutation(s.entropy) >= 0.8, `entropy ${core.entropyPermutation(s.entropy)}`);
  assert.equal(last.regime, Regime.VETO);
  assert.equal(core.regimeSwitches(s.regime), 2);
  // A sequence gap closes the gate whatever the regime says.
  seq += 5n;
  const after = step(1005);
  assert.deepEqual(describeTrustFailures(after.mask), ['SEQ_GAP']);
});
