// config/engine.toml loads; bad values are refused at load with the key named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { ConfigError } from '../../host/config/config-error.js';

const read = (name: string) => readFile(new URL(`../../../config/${name}`, import.meta.url), 'utf8');

test('the shipped engine.toml loads with the shipped cost profiles', async () => {
  const profiles = loadCostProfiles(await read('costs.toml'));
  const c = loadEngineConfig(await read('engine.toml'), profiles);
  assert.equal(c.oracle.levels, 5);
  assert.equal(c.oracle.lambda, 0.5);
  assert.equal(c.sonar.regime.enter, 0.6);
  assert.equal(c.sonar.regime.exit, 0.7);
  assert.equal(c.otr.segment, 'cash');
  assert.equal(c.flood.ordersPerSecond, 10);
  assert.equal(c.execution.costProfile, 'cash_intraday');
  // The shipped file tunes three keys so the engine trades on the simulated venue (its comment says why);
  // every other execution key is the code's default.
  const d = loadEngineConfig('', profiles).execution as unknown as Record<string, unknown>;
  const shipped = c.execution as unknown as Record<string, unknown>;
  assert.equal(d['signalGain'], 1);
  assert.equal(shipped['signalGain'], 100);
  assert.equal(d['tradeRateFloor'], 0);
  assert.equal(shipped['tradeRateFloor'], 1000);
  const strategyOf = (x: Record<string, unknown>) => x['strategy'] as Record<string, unknown>;
  assert.equal(strategyOf(d)['threshold'], 0.3);
  assert.equal(strategyOf(shipped)['threshold'], 0.1);
  // and the broker windows carry a 20 ms guard over the broker's own second and minute.
  const brokerOf = (x: Record<string, unknown>) => x['broker'] as Record<string, unknown>;
  assert.deepEqual([brokerOf(d)['secondWindowMs'], brokerOf(d)['minuteWindowMs']], [1000, 60_000]);
  assert.deepEqual([brokerOf(shipped)['secondWindowMs'], brokerOf(shipped)['minuteWindowMs']], [1020, 60_020]);
  assert.deepEqual(
    { ...shipped, signalGain: 1, tradeRateFloor: 0, strategy: { ...strategyOf(shipped), threshold: 0.3 },
      broker: { ...brokerOf(shipped), secondWindowMs: 1000, minuteWindowMs: 60_000 } }, d,
    'an empty file means the defaults, but for the demo-tuned keys and the broker guard');
});

test('bad values are refused naming the key', async () => {
  const profiles = loadCostProfiles(await read('costs.toml'));
  const refused = (toml: string, key: string, message?: RegExp) => assert.throws(() => loadEngineConfig(toml, profiles), (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.key, key);
    if (message) assert.match(e.message, message);
    return true;
  });
  refused('[oracle]\nlambda = -0.1', 'oracle.lambda', /oracle\.lambda must be a number ≥ 0, got -0\.1/);
  refused('[regime]\nenter = 0.7\nexit = 0.6', 'regime.exit', /regime\.exit must be > regime\.enter \(0\.7\), got 0\.6/);
  refused('[execution]\ncostProfile = "cash_margin"', 'execution.costProfile', /one of cash_intraday, cash_delivery, futures, options, got "cash_margin"/);
  refused('[flood]\nordersPerSecond = -5', 'flood.ordersPerSecond');
  refused('[otr]\nsegment = "commodity"', 'otr.segment');
  refused('[oracle]\nlevel = 5', 'oracle.level');
  refused('[sonar]\norder = 7', 'sonar.order');
  refused('[execution]\nttlMs = 0', 'execution.ttlMs');
  refused('[risk]\nmaxPosition = 5', 'risk');
  refused('[oracle\nlevels = 5', 'engine.toml');
});

test('a negative rate in the cost profiles is refused naming the profile key', async () => {
  const text = (await read('costs.toml')).replace('stt_sell_pct = 0.025', 'stt_sell_pct = -0.025');
  assert.throws(() => loadCostProfiles(text), (e: unknown) =>
    e instanceof ConfigError && /^profiles\.cash_intraday\[0\]\.stt_sell_pct/.test(e.key) && /-0\.025/.test(e.message));
});

test('the process sections: shipped values, defaults, and refusals naming the key', async () => {
  const profiles = loadCostProfiles(await read('costs.toml'));
  const c = loadEngineConfig(await read('engine.toml'), profiles);
  assert.equal(c.engine.topology, 'fused');
  assert.deepEqual(c.engine.symbols, ['RELIANCE', 'INFY', 'NIFTY-FUT']);
  assert.equal(c.engine.segment, '/tradecore-engine');
  assert.equal(c.venue.oePort, 9101);
  assert.equal(c.venue.mdPort, 9102);
  assert.deepEqual(c.workers.hot.cpus, [0]);
  assert.deepEqual(c.workers.cool, { cpus: [1], wait: 'park' });
  const d = loadEngineConfig('', profiles);
  assert.deepEqual(d.engine, c.engine, 'an empty file means the shipped process defaults');
  assert.deepEqual(d.workers, c.workers);
  const m = loadEngineConfig('[engine]\ntopology = "modules"\n[workers.sonar]\ncpus = [0, 1]\nwait = "spin-then-park"', profiles);
  assert.equal(m.engine.topology, 'modules');
  assert.deepEqual(m.workers.sonar, { cpus: [0, 1], wait: 'spin-then-park' });

  const refused = (toml: string, key: string, message?: RegExp) => assert.throws(() => loadEngineConfig(toml, profiles), (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.key, key);
    if (message) assert.match(e.message, message);
    return true;
  });
  refused('[engine]\ntopology = "pipeline"', 'engine.topology', /engine\.topology must be one of fused, modules, got "pipeline"/);
  refused('[engine]\nsymbols = []', 'engine.symbols', /a list of 1 to 16 symbol names/);
  refused('[engine]\nsymbols = ["A", "A"]', 'engine.symbols[1]', /not listed before, got "A"/);
  refused('[engine]\nsegment = "no-slash"', 'engine.segment');
  refused('[engine]\nbookLevels = 1000', 'engine.bookLevels', /power of two/);
  refused('[engine]\nkillPollUs = 100', 'engine.killPollUs', /removed: the kill word wakes the engine through the segment's doorbell/);
  refused('[engine]\ntopolgy = "fused"', 'engine.topolgy');
  refused('[venue]\noePort = 70000', 'venue.oePort', /an integer in \[0, 65535\], got 70000/);
  refused('[venue]\ntoken = "a-token-far-too-long"', 'venue.token');
  refused('[workers.hot]\ncpus = [-1]', 'workers.hot.cpus[0]', /got -1/);
  refused('[workers.hot]\nwait = "park"', 'workers.hot.wait', /one of event, spin, got "park"/);
  refused('[workers.cool]\nwait = "spin"', 'workers.cool.wait', /one of busy-spin, spin-then-park, park, got "spin"/);
  assert.equal(c.workers.hot.wait, 'event', 'the shipped socket workers wait in their event loop');
  assert.equal(loadEngineConfig('[workers.hot]\nwait = "spin"', profiles).workers.hot.wait, 'spin');
  refused('[workers.cool]\nwait = "yield"', 'workers.cool.wait', /one of busy-spin, spin-then-park, park, got "yield"/);
  refused('[workers.gpu]\ncpus = [0]', 'workers.gpu');
});
