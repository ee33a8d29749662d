// The playground's TOML export and import: an export is loaded by loadEngineConfig with each chosen value in
// the resolved config and every other key as the base file had it; export → import gives back the values; a
// bad file is refused with the loader's own ConfigError naming the key; the parameter list's ranges are the
// config schema's (TUNABLES); the risk, broker and watchdog limits go out and come back the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { ConfigError } from '../../host/config/config-error.js';
import { TUNABLES } from '../../host/config/tunable-params.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { engineTomlWith, importEngineToml, valuesIn } from '../../playground/engine-toml.js';
import { LIMIT_PARAMS, playgroundParams, sweepable } from '../../playground/playground-params.js';
import { resolveRiskConfig } from '../../host/modules/pre-trade-risk.js';

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
  // Every numeric parameter is sweepable: the tunables and the risk, broker and watchdog limits.
  assert.equal(sweepable(PARAMS).length, TUNABLES.length + LIMIT_PARAMS.length);
  const kind = PARAMS.find((p) => p.key === 'execution.strategy.kind');
  assert.ok(kind?.kind === 'choice' && kind.choices.length >= 2);
  for (const k of kind.choices) {
    // Each offered kind loads (stress reads window as its working orders, 1..8: the loader says so otherwise).
    const extra: Record<string, number> = k === 'stress' ? { 'execution.strategy.window': 4 } : {};
    assert.equal(loadEngineConfig(engineTomlWith(BASE, { 'execution.strategy.kind': k, ...extra }), PROFILES).execution.strategy.kind, k);
  }
  assert.throws(() => loadEngineConfig(engineTomlWith(BASE, { 'execution.strategy.kind': 'martingale' }), PROFILES), /execution\.strategy\.kind/);
});

const LIMITS = {
  'execution.risk.maxPosition': 5, 'execution.risk.maxOrderQty': 2, 'execution.risk.maxNotionalRupees': 75_000.25,
  'execution.risk.maxOpenOrders': 3, 'execution.risk.maxGrossExposureRupees': 400_000, 'execution.risk.dailyLossRupees': 1500.5,
  'execution.broker.perSecond': 6, 'execution.broker.perMinute': 120, 'execution.broker.perDay': 900,
  'execution.rttWatchdog.lockdownMs': 12.5,
};

test('the risk, broker and watchdog limits: an export loads with them, the rest of the base file kept', () => {
  const text = engineTomlWith(BASE, LIMITS);
  const got = loadEngineConfig(text, PROFILES);
  const base = loadEngineConfig(BASE, PROFILES);
  const risk = resolveRiskConfig(got.execution.risk, got.engine.symbols, 'execution.risk');
  assert.equal(risk.maxOrderQty, 2);
  assert.equal(risk.maxNotionalPaise, 7_500_025n);
  assert.equal(risk.maxOpenOrders, 3);
  assert.equal(risk.maxGrossExposurePaise, 40_000_000n);
  assert.equal(risk.dailyLossPaise, 150_050n);
  assert.deepEqual(risk.maxPositions, got.engine.symbols.map(() => 5));
  assert.deepEqual(got.execution.broker, { ...base.execution.broker, perSecond: 6, perMinute: 120, perDay: 900 });
  assert.deepEqual(got.execution.rttWatchdog, { ...base.execution.rttWatchdog, lockdownMs: 12.5 });
  assert.deepEqual(got.execution.strategy, base.execution.strategy);
  assert.deepEqual(got.execution.rttProbe, base.execution.rttProbe, 'the probe keys beside lockdownMs are kept');
});

test('importing a file with the limits sets their controls; a limit out of range is refused naming it', () => {
  const file = `${BASE}\n[execution.risk]\nmaxPosition = 5\nmaxOrderQty = 2\nmaxNotionalRupees = "75000.25"\nmaxOpenOrders = 3\n` +
    'maxGrossExposureRupees = 400000\ndailyLossRupees = 1500.5\n';
  const edited = file.replace(/^perSecond = 10$/m, 'perSecond = 6').replace(/^perMinute = 400$/m, 'perMinute = 120')
    .replace(/^perDay = 5000$/m, 'perDay = 900').replace(/^lockdownMs = 20 /m, 'lockdownMs = 12.5 ');
  const { values } = importEngineToml(edited, PROFILES, KEYS);
  for (const [k, v] of Object.entries(LIMITS)) {
    // A rupee limit written as a decimal string (the loader's exact form) comes back as the string.
    if (k === 'execution.risk.maxNotionalRupees') assert.equal(values[k], '75000.25');
    else assert.equal(values[k], v, k);
  }
  // The export of what was imported loads to the same limits.
  const again = loadEngineConfig(engineTomlWith(edited, values), PROFILES);
  assert.deepEqual(again.execution.broker, loadEngineConfig(edited, PROFILES).execution.broker);
  assert.throws(() => importEngineToml(engineTomlWith(BASE, { 'execution.broker.perSecond': 100_001 }), PROFILES, KEYS),
    (e: Error) => e instanceof ConfigError && /^execution\.broker\.perSecond must be an integer in \[0, 100000\]/.test(e.message));
  assert.throws(() => importEngineToml(engineTomlWith(BASE, { 'execution.risk.maxOpenOrders': -1 }), PROFILES, KEYS),
    (e: Error) => e instanceof ConfigError && /^execution\.risk\.maxOpenOrders must be/.test(e.message));
});
