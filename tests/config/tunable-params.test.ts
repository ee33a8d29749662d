// The live-tunable parameters (host/config/tunable-params.ts) against the engine.toml loader: every value the
// monitor would send live, the loader accepts at start, and every value just outside the table's range the
// loader refuses naming the same key; so the cockpit's controls and the config file can never disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TUNABLES, TunableError, paramChange } from '../../host/config/tunable-params.js';
import { ConfigError } from '../../host/config/config-error.js';
import { ExecParam, resolveExecutionConfig } from '../../host/modules/execution.js';

/** 'execution.strategy.threshold' = v as the [execution] table. */
function table(key: string, value: unknown): Record<string, unknown> {
  const path = key.split('.').slice(1);
  const out: Record<string, unknown> = {};
  let at = out;
  path.forEach((p, i) => {
    if (i === path.length - 1) at[p] = value;
    else at = (at[p] = {}) as Record<string, unknown>;
  });
  return out;
}

function step(t: (typeof TUNABLES)[number]): number {
  return t.integer ? 1 : Math.max(1e-9, Math.abs(t.max - t.min) * 1e-6);
}

test('every tunable\'s range is the config loader\'s range for the same key', () => {
  for (const t of TUNABLES) {
    for (const v of [t.min, t.max]) {
      assert.doesNotThrow(() => resolveExecutionConfig(table(t.key, v)), `${t.key} = ${v} accepted by the loader`);
      assert.doesNotThrow(() => paramChange(t.key, v), `${t.key} = ${v} accepted live`);
    }
    for (const v of [t.min - step(t), t.max + step(t)]) {
      assert.throws(() => resolveExecutionConfig(table(t.key, v)), (e: unknown) => e instanceof ConfigError && e.message.includes(t.key),
        `${t.key} = ${v} refused by the loader`);
      assert.throws(() => paramChange(t.key, v), (e: unknown) => e instanceof TunableError && (e as Error).message.includes(t.key),
        `${t.key} = ${v} refused live`);
    }
  }
});

test('values become the core\'s integers; words and unknown keys', () => {
  assert.deepEqual(paramChange('execution.strategy.threshold', 0.25), { key: 'execution.strategy.threshold', param: ExecParam.THRESHOLD_MILLI, value: 250 });
  assert.deepEqual(paramChange('execution.ttlMs', 150), { key: 'execution.ttlMs', param: ExecParam.TTL_NS, value: 150_000_000 });
  assert.equal(paramChange('execution.ttlAction', 'cancel').param, ExecParam.TTL_ACTION);
  assert.throws(() => paramChange('execution.ttlAction', 'sell'), /execution\.ttlAction must be one of "cancel", "reprice", got "sell"/);
  // A word that is a property of every object is not an option.
  assert.throws(() => paramChange('execution.ttlAction', 'toString'), /must be one of/);
  assert.throws(() => paramChange('execution.ttlAction', 1), /must be one of/);
  assert.throws(() => paramChange('execution.strategy.qty', '5'), /execution\.strategy\.qty must be an integer in \[1, 1000000000\] units, got "5"/);
  assert.throws(() => paramChange('risk.maxPosition', 5), /unknown parameter "risk\.maxPosition"/);
});
