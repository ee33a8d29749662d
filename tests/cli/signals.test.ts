// `npm run signals -- --lobster …` on the recorded AAPL sample: one line per message, finite numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fixturesDir } from '../testkit/fixtures.js';
import { runCli } from '../testkit/cli.js';



const lobster = () => ['message', 'orderbook'].map((kind) =>
  fileURLToPath(new URL(`lobster/AAPL_2012-06-21_34200000_57600000_${kind}_10.csv`, fixturesDir())));

test('prints 999 lines of finite signals on the AAPL sample', async () => {
  const { code, stdout, stderr } = await runCli('signals', ['--lobster', ...lobster(), '--levels', '10', '--lambda', '0.3']);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines.length, 999);
  const regimes = new Set<string>();
  lines.forEach((line, i) => {
    const o = JSON.parse(line) as Record<string, unknown>;
    assert.equal(o['row'], i + 1);
    for (const key of ['wobi', 'imbalance_pct', 'weighted_mid', 'ofi', 'signal', 'entropy']) {
      assert.ok(typeof o[key] === 'number' && Number.isFinite(o[key]), `row ${i + 1} ${key} = ${o[key]}`);
    }
    assert.ok(Math.abs(o['wobi'] as number) <= 1 && Math.abs(o['signal'] as number) <= 1);
    assert.ok((o['entropy'] as number) >= 0 && (o['entropy'] as number) <= 1);
    regimes.add(o['regime'] as string);
  });
  assert.ok([...regimes].every((r) => r === 'attack' || r === 'veto'));
});

test('refuses bad config naming the key, and a missing format flag', async () => {
  const lambda = await runCli('signals', ['--lobster', ...lobster(), '--lambda=-1']);
  assert.equal(lambda.code, 2);
  assert.match(lambda.stderr, /oracle\.lambda must be a number ≥ 0, got -1/);
  const hysteresis = await runCli('signals', ['--lobster', ...lobster(), '--enter', '0.8', '--exit', '0.5']);
  assert.equal(hysteresis.code, 2);
  assert.match(hysteresis.stderr, /regime\.exit must be > regime\.enter \(0\.8\), got 0\.5/);
  const noFormat = await runCli('signals', lobster());
  assert.equal(noFormat.code, 2);
  assert.match(noFormat.stderr, /--lobster/);
});
