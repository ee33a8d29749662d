// The playground's risk, broker and watchdog parameters (playground/playground-params.ts LIMIT_PARAMS) against the
// engine.toml loader: each bound is accepted by loadEngineConfig and the value just outside it (one unit, one
// paise, one nanosecond) is refused with a ConfigError naming the key; the fallback shown in an empty box is what
// the loader resolves when the key is left out; every group is drawn; the slider scale keeps 0 and the bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { ConfigError } from '../../host/config/config-error.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { resolveRiskConfig } from '../../host/modules/pre-trade-risk.js';
import { engineTomlWith } from '../../playground/engine-toml.js';
import { LIMIT_PARAMS, PARAM_GROUPS, boundText, inGroup, playgroundParams, rangeText, type NumberParam } from '../../playground/playground-params.js';
import { sliderScale } from '../../playground/slider-scale.js';

const ROOT = new URL('../../../', import.meta.url);
const BASE = readFileSync(new URL('config/engine.toml', ROOT), 'utf8');
const PROFILES = loadCostProfiles(readFileSync(new URL('config/costs.toml', ROOT), 'utf8'));

/** The value one step outside each bound: a unit for counts, a paise for rupees, a nanosecond for ms. */
function outside(p: NumberParam): [number, number] {
  const step = p.integer ? 1 : p.step;
  assert.ok(step !== undefined, `${p.key} has a step: a non-integer limit must say how finely the loader tells values apart`);
  return [p.min - step, p.max + step];
}

/** config/engine.toml with `key` = `value`; a lockdown threshold below the file's releaseMs brings releaseMs down with it. */
function load(key: string, value: number) {
  const extra: Record<string, number> = key === 'execution.rttWatchdog.lockdownMs' ? { 'execution.rttWatchdog.releaseMs': Math.min(10, value) } : {};
  return loadEngineConfig(engineTomlWith(BASE, { [key]: value, ...extra }), PROFILES);
}

test('every limit\'s bounds are accepted by loadEngineConfig and one step outside is refused naming the key', () => {
  assert.deepEqual(LIMIT_PARAMS.map((p) => p.key).sort(), [
    'execution.broker.perDay', 'execution.broker.perMinute', 'execution.broker.perSecond',
    'execution.risk.dailyLossRupees', 'execution.risk.maxGrossExposureRupees', 'execution.risk.maxNotionalRupees',
    'execution.risk.maxOpenOrders', 'execution.risk.maxOrderQty', 'execution.risk.maxPosition',
    'execution.rttWatchdog.lockdownMs',
  ]);
  for (const p of LIMIT_PARAMS) {
    for (const v of [p.min, p.max]) assert.doesNotThrow(() => load(p.key, v), `${p.key} = ${v} accepted`);
    for (const v of outside(p)) {
      assert.throws(() => load(p.key, v), (e: unknown) => e instanceof ConfigError && e.key === p.key && e.message.startsWith(`${p.key} must be`),
        `${p.key} = ${v} refused naming the key`);
    }
    if (!p.integer) {
      // Not a whole number and still accepted: the control must not round it away.
      const inside = p.min + 3 * p.step!;
      assert.doesNotThrow(() => load(p.key, inside), `${p.key} = ${inside} accepted`);
    } else {
      assert.throws(() => load(p.key, p.min + 0.5), (e: unknown) => e instanceof ConfigError && e.key === p.key, `${p.key}: only whole numbers`);
    }
  }
});

test('a value set is the value the engine runs with; an empty box is the shown fallback', () => {
  const symbols = ['RELIANCE'];
  const set = loadEngineConfig(engineTomlWith(BASE, {
    'execution.risk.maxPosition': 7, 'execution.risk.maxOrderQty': 3, 'execution.risk.maxNotionalRupees': 12_345.67,
    'execution.risk.maxOpenOrders': 2, 'execution.risk.maxGrossExposureRupees': 99_999.99, 'execution.risk.dailyLossRupees': 250.5,
    'execution.broker.perSecond': 4, 'execution.broker.perMinute': 90, 'execution.broker.perDay': 1234,
    'execution.rttWatchdog.lockdownMs': 35.5,
  }), PROFILES).execution;
  const risk = resolveRiskConfig(set.risk, symbols, 'execution.risk');
  assert.deepEqual(risk, {
    maxOrderQty: 3, maxNotionalPaise: 1_234_567n, maxOpenOrders: 2, maxGrossExposurePaise: 9_999_999n, dailyLossPaise: 25_050n, maxPositions: [7],
  });
  assert.deepEqual([set.broker.perSecond, set.broker.perMinute, set.broker.perDay], [4, 90, 1234]);
  assert.equal(set.rttWatchdog.lockdownMs, 35.5);

  // Left out: the loader's defaults, which the boxes show. config/engine.toml sets the broker and watchdog keys,
  // so they are removed from it first.
  const bare = BASE.replace(/\[execution\.broker\][\s\S]*?(?=\n\[)/, '').replace(/^lockdownMs = .*$/m, '');
  const d = loadEngineConfig(bare, PROFILES).execution;
  const dRisk = resolveRiskConfig(d.risk, symbols, 'execution.risk');
  const resolved: Record<string, number> = {
    'execution.risk.maxPosition': dRisk.maxPositions[0]!, 'execution.risk.maxOrderQty': dRisk.maxOrderQty,
    'execution.risk.maxNotionalRupees': Number(dRisk.maxNotionalPaise) / 100, 'execution.risk.maxOpenOrders': dRisk.maxOpenOrders,
    'execution.risk.maxGrossExposureRupees': Number(dRisk.maxGrossExposurePaise) / 100, 'execution.risk.dailyLossRupees': Number(dRisk.dailyLossPaise) / 100,
    'execution.broker.perSecond': d.broker.perSecond, 'execution.broker.perMinute': d.broker.perMinute, 'execution.broker.perDay': d.broker.perDay,
    'execution.rttWatchdog.lockdownMs': d.rttWatchdog.lockdownMs,
  };
  for (const p of LIMIT_PARAMS) assert.equal(p.fallback, resolved[p.key], `${p.key}: the fallback shown is the loader's default`);
});

test('the groups: every parameter in one, each group drawn, the limits where they belong', () => {
  const params = playgroundParams([...PROFILES.keys()]);
  assert.equal(new Set(params.map((p) => p.key)).size, params.length, 'no key twice');
  for (const g of PARAM_GROUPS) assert.ok(inGroup(params, g).length > 0, `${g} has parameters`);
  assert.equal(PARAM_GROUPS.reduce((n, g) => n + inGroup(params, g).length, 0), params.length);
  const groupOf = (key: string) => params.find((p) => p.key === key)?.group;
  assert.equal(groupOf('execution.risk.maxPosition'), 'Risk');
  assert.equal(groupOf('execution.broker.perSecond'), 'Broker');
  assert.equal(groupOf('execution.rttWatchdog.lockdownMs'), 'Watchdog');
  assert.equal(groupOf('execution.costProfile'), 'Costs');
  assert.equal(groupOf('execution.strategy.threshold'), 'Strategy');
});

test('slider scale: linear on a narrow range, logarithmic across decades with 0 at the left end; ends map to the bounds', () => {
  const narrow = sliderScale({ min: 0, max: 1, integer: false });
  assert.equal(narrow.log, false);
  assert.equal(narrow.fromSlider(narrow.toSlider(0.25)), 0.25);
  assert.equal(narrow.fromSlider(narrow.max), 1);
  for (const p of [...LIMIT_PARAMS, { min: 0.001, max: 1_000_000, integer: false }]) {
    const s = sliderScale(p);
    assert.equal(s.log, true, `${JSON.stringify(p)} spans decades`);
    assert.equal(s.fromSlider(s.min), p.min, 'left end: the minimum');
    assert.equal(s.fromSlider(s.max), p.max, 'right end: the maximum');
    assert.ok(s.toSlider(p.min) >= s.min && s.toSlider(p.max) <= s.max);
    for (let x = s.min; x <= s.max; x += (s.max - s.min) / 37) {
      const v = s.fromSlider(x);
      assert.ok(v >= p.min && v <= p.max, `${v} inside [${p.min}, ${p.max}]`);
      if (p.integer) assert.ok(Number.isInteger(v));
    }
    // A value in the log part comes back within the slider's resolution (10^step).
    const mid = Math.sqrt(Math.max(p.min, 1) * p.max);
    const back = s.fromSlider(s.toSlider(mid));
    assert.ok(Math.abs(Math.log10(back / mid)) <= s.step + 1e-9, `${mid} → ${back}`);
  }
  const qty = sliderScale({ min: 0, max: 1_000_000, integer: true });
  assert.equal(qty.fromSlider(qty.toSlider(0)), 0);
  assert.equal(qty.fromSlider(qty.toSlider(1)), 1);
});

test('bounds written for a person: plain in [0.001, 100000), else in e-notation that reads back close', () => {
  assert.equal(rangeText({ min: 0, max: 1 }), '[0 … 1]');
  assert.equal(rangeText({ min: 0.001, max: 3_600_000 }), '[0.001 … 3.60e6]');
  assert.equal(boundText(1e13), '1e13');
  assert.equal(boundText(1e-6), '1e-6');
  assert.equal(boundText(99_999), '99999');
  assert.equal(boundText(2 ** 31 - 1), '2.15e9');
  for (const p of LIMIT_PARAMS) {
    for (const x of [p.min, p.max]) {
      const back = Number(boundText(x));
      assert.ok(Math.abs(back - x) <= Math.abs(x) * 0.005, `${x} written ${boundText(x)}`);
    }
  }
});
