// withOverrides (host/config/config-overrides.ts): dotted keys replaced or added in a TOML text, the rest kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import { withOverrides } from '../../host/config/config-overrides.js';

test('withOverrides replaces a nested key, adds missing tables, keeps every other key', () => {
  const base = '[engine]\ntopology = "fused"\nsymbols = ["A", "B"]\n\n[execution.strategy]\nkind = "wobi"\nqty = 1\n';
  const out = JSON.parse(JSON.stringify(parse(withOverrides(base, { 'engine.topology': 'modules', 'execution.strategy.qty': 5, 'execution.broker.perSecond': 0 })))) as unknown;
  assert.deepEqual(out, {
    engine: { topology: 'modules', symbols: ['A', 'B'] },
    execution: { strategy: { kind: 'wobi', qty: 5 }, broker: { perSecond: 0 } },
  });
  assert.equal(withOverrides(base, {}), withOverrides(withOverrides(base, {}), {}), 'stable once rewritten');
});

test('withOverrides refuses a path through a value that is not a table', () => {
  assert.throws(() => withOverrides('[engine]\ntopology = "fused"\n', { 'engine.topology.x': 1 }), /override engine\.topology\.x: topology is not a table/);
});
