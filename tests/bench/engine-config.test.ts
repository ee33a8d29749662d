// The benchmark's engine configs (bench/engine-config.ts): the shipped config/engine.toml with only the
// overridden keys changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import {
  ENGINE_TOML_URL, PACE_WINDOW_MS, STRESS_WINDOW, SUSTAINED_CAPS, SUSTAINED_FLOOD_PER_SECOND, latencyOverrides, pacedOverrides, sustainedOverrides, withOverrides,
} from '../../bench/engine-config.js';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';

const setup = {
  topology: 'modules', symbol: 'RELIANCE', segment: '/bench-x', journal: '/tmp/j', controlDir: '/tmp/c', userId: 4, token: 'tok',
} as const;

test('overrides replace their keys, create missing tables, and leave every other key as shipped', () => {
  const base = readFileSync(ENGINE_TOML_URL, 'utf8');
  const shipped = parse(base) as Record<string, Record<string, unknown>>;
  const out = parse(withOverrides(base, sustainedOverrides(setup))) as Record<string, Record<string, unknown>>;
  assert.equal((out['engine'] as Record<string, unknown>)['topology'], 'modules');
  assert.deepEqual((out['engine'] as Record<string, unknown>)['symbols'], ['RELIANCE']);
  assert.equal((out['venue'] as Record<string, unknown>)['userId'], 4);
  const execution = out['execution']!;
  assert.equal((execution['strategy'] as Record<string, unknown>)['kind'], 'stress');
  assert.equal((execution['strategy'] as Record<string, unknown>)['window'], STRESS_WINDOW);
  assert.equal((execution['broker'] as Record<string, unknown>)['perSecond'], SUSTAINED_CAPS.perSecond);
  assert.equal(out['flood']!['ordersPerSecond'], SUSTAINED_FLOOD_PER_SECOND);
  // Untouched keys keep their shipped values.
  for (const [section, table] of Object.entries(shipped)) {
    for (const [key, value] of Object.entries(table)) {
      const path = `${section}.${key}`;
      if (path in sustainedOverrides(setup) || typeof value === 'object') continue;
      assert.deepEqual(out[section]![key], value, path);
    }
  }
  assert.deepEqual(Object.keys(latencyOverrides(setup)).filter((k) => k.startsWith('execution.strategy')), [], 'latency runs keep the shipped strategy');
  assert.equal(latencyOverrides({ ...setup, latencyStrategy: 'mean-reversion' })['execution.strategy.kind'], 'mean-reversion');
  assert.equal(sustainedOverrides({ ...setup, latencyStrategy: 'mean-reversion' })['execution.strategy.kind'], 'stress');
});

test('an override through a key that is not a table is refused, naming it', () => {
  assert.throws(() => withOverrides('a = 1\n', { 'a.b': 2 }), /override a\.b: a is not a table/);
  assert.equal(JSON.stringify(parse(withOverrides('', { 'x.y.z': 'v' }))), '{"x":{"y":{"z":"v"}}}');
});

test('the latency runs lift the broker caps, the OTR budget and the RTT lockdown, as the sustained run does', () => {
  const base = readFileSync(ENGINE_TOML_URL, 'utf8');
  for (const overrides of [latencyOverrides(setup), sustainedOverrides(setup)]) {
    const out = parse(withOverrides(base, overrides)) as Record<string, Record<string, unknown>>;
    const broker = out['execution']!['broker'] as Record<string, unknown>;
    assert.equal(broker['perSecond'], 0);
    assert.equal(broker['perMinute'], 0);
    assert.equal(broker['perDay'], 0);
    assert.equal(out['execution']!['targetOtr'], false);
    assert.equal((out['execution']!['rttWatchdog'] as Record<string, unknown>)['lockdownMs'], 10_000);
  }
});

test('a paced run: the engine\'s own loader takes the pace as a broker window of PACE_WINDOW_MS; 0 leaves the caps lifted', () => {
  const base = readFileSync(ENGINE_TOML_URL, 'utf8');
  const profiles = loadCostProfiles(readFileSync(new URL('../../../config/costs.toml', import.meta.url), 'utf8'));
  const paced = loadEngineConfig(withOverrides(base, { ...latencyOverrides({ ...setup, latencyStrategy: 'stress' }), ...pacedOverrides(10_000) }), profiles);
  assert.equal(paced.execution.broker.perSecond, 20, '10 000 messages/s = 20 per 2 ms');
  assert.equal(paced.execution.broker.secondWindowMs, PACE_WINDOW_MS);
  assert.equal(paced.execution.broker.perMinute, 0, 'the longer windows stay lifted');
  assert.equal(pacedOverrides(5_000)['execution.broker.perSecond'], STRESS_WINDOW + 2, 'the least pace leaves room for the working orders\' cancels');
  assert.deepEqual(pacedOverrides(0), {});
  assert.throws(() => pacedOverrides(4_500), /--message-rate must be 0 \(unpaced\) or a multiple of 500 from 5000/);
});
