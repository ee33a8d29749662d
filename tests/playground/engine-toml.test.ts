// The playground's TOML export and import: an export is loaded by loadEngineConfig with each chosen value in
// the resolved config and every other key as the base file had it; export → import gives back the values; a
// bad file is refused with the loader's own ConfigError naming the key; the parameter list's ranges are the
// config schema's (TUNABLES).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { ConfigError } from '../../host/config/config-error.js';
import { TUNABLES } from '../../host/config/tunable-params.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { engineTomlWith, importEngineToml, valuesIn } from '../../playground/engine-toml.js';
import { playgroundParams, sweepable } from '../../playground/playground-params.js';

const ROOT = new URL('../../../', import.meta.url);
const BASE = readFileSync(new URL('config/engine.toml', ROOT), 'utf8');
const PROFILES = loadCostProfiles(readFileSync(new URL('config/costs.toml', ROOT), 'utf8'));
const PARAMS = playgroundParams([...PROFILES.keys()]);
const KEYS = PARAMS.map((p) => p.key);

test('an export loads with the chosen values and the rest of the base file', () => {
  const values = { 'execution.strategy.threshold': 0.17, 'execution.strategy.qty': 3, 'execution.signalGain': 42.5,
    'execution.strategy.window': 64, 'execution.ttlAction': 'reprice', 'execution.costProfile': 'cash_delivery' };
  const text = engineTomlWith(BASE, values);
  const got = loadEngineConfig(text, PROFILES);
  const base = loadEngineConfig(BASE, PROFILES);
  assert.equal(got.execution.strategy.threshold, 0.17);
  assert.equal(got.execution.strategy.qty, 3);
  assert.equal(got.execution.strategy.window, 64);
  assert.deepEqual(got.engine, base.engine);
  assert.deepEqual(got.oracle, base.oracle);
  assert.deepEqual(got.sonar, base.sonar);
  assert.deepEqual(got.execution.broker, base.execution.broker);
  assert.notDeepEqual(got.execution, base.execution);
});

test('export → import gives the values back', () => {
  const values = { 'execution.strategy.threshold': 0.23, 'execution.strategy.qty': 2, 'execution.ttlMs': 150,
    'execution.targetOtr': 20, 'execution.tradeRateFloor': 0, 'execution.strategy.k': 1.5, 'execution.ttlAction': 'cancel' };
  const { values: back } = importEngineToml(engineTomlWith(BASE, values), PROFILES, KEYS);
  for (const [k, v] of Object.entries(values)) assert.equal(back[k], v, k);
  // The base file's own values come back too (signalGain 100 in config/engine.toml).
  assert.equal(back['execution.signalGain'], valuesIn(BASE, KEYS)['execution.signalGain']);
  assert.equal(back['execution.signalGain'], 100);
});

test('a bad file is refused with the loader\'s error, naming the key', () => {
  const bad = engineTomlWith(BASE, { 'execution.strategy.threshold': 5 });
  let expected = '';
  try {
    loadEngineConfig(bad, PROFILES, 'imported engine.toml');
  } catch (e) {
    expected = (e as Error).message;
  }
  assert.match(expected, /execution\.strategy\.threshold/);
  assert.throws(() => importEngineToml(bad, PROFILES, KEYS), (e: Error) => e instanceof ConfigError && e.message === expected);
  assert.throws(() => importEngineToml('[execution\nqty = 1', PROFILES, KEYS), (e: Error) => e instanceof ConfigError && /line 1/.test(e.message));
  assert.throws(() => importEngineToml('[execution]\nnoSuchKey = 1\n', PROFILES, KEYS), /execution\.noSuchKey/);
});

test('the parameters are the schema\'s: every tunable with its range, the TTL words, the cost profiles', () => {
  for (const t of TUNABLES) {
    const p = PARAMS.find((x) => x.key === t.key);
    assert.ok(p && p.kind === 'number', t.key);
    assert.equal(p.min, t.min);
    assert.equal(p.max, t.max);
    assert.equal(p.integer, t.integer);
  }
  const ttl = PARAMS.find((p) => p.key === 'execution.ttlAction');
  assert.ok(ttl?.kind === 'choice');
  assert.deepEqual([...ttl.choices].sort(), ['cancel', 'reprice']);
  const cost = PARAMS.find((p) => p.key === 'execution.costProfile');
  assert.ok(cost?.kind === 'choice' && cost.choices.includes('cash_intraday'));
  assert.equal(sweepable(PARAMS).length, TUNABLES.length);
  const kind = PARAMS.find((p) => p.key === 'execution.strategy.kind');
  assert.ok(kind?.kind === 'choice' && kind.choices.length >= 2);
  for (const k of kind.choices) {
    // Each offered kind loads (stress reads window as its working orders, 1..8: the loader says so otherwise).
    const extra: Record<string, number> = k === 'stress' ? { 'execution.strategy.window': 4 } : {};
    assert.equal(loadEngineConfig(engineTomlWith(BASE, { 'execution.strategy.kind': k, ...extra }), PROFILES).execution.strategy.kind, k);
  }
  assert.throws(() => loadEngineConfig(engineTomlWith(BASE, { 'execution.strategy.kind': 'martingale' }), PROFILES), /execution\.strategy\.kind/);
});
