// `npm run bench` refuses what it does not know before running anything: an unknown option (a typo
// must not silently run a default for minutes) and a bad topology list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUN = fileURLToPath(new URL('../../bench/run.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [RUN, ...args], { encoding: 'utf8', timeout: 20_000 });

test('bench arguments: unknown options and bad topologies exit 2 naming them, with nothing run', () => {
  const bogus = run('engine', '--seconds', '1', '--secnds', '2');
  assert.equal(bogus.status, 2);
  assert.match(bogus.stderr, /unknown option --secnds for engine \(known: --seconds,/);
  assert.equal(bogus.stdout, '', 'no result line');
  const topo = run('engine', '--topologies', 'fused,hybrid');
  assert.equal(topo.status, 2);
  assert.match(topo.stderr, /--topologies must list fused and\/or modules, got fused,hybrid/);
  const sustained = run('engine', '--sustained', 'all');
  assert.equal(sustained.status, 2);
  assert.match(sustained.stderr, /--sustained must be fused, modules or none, got all/);
  assert.match(run('venue', '--window', '-3').stderr, /--window must be a positive integer/);
  const standIns = run('cockpit-load', '--stand-ins', 'elsewhere');
  assert.equal(standIns.status, 2);
  assert.match(standIns.stderr, /--stand-ins must be one of apart, clients, shared, got elsewhere/);
});

test('cockpit-load --message-rate: 0 or a pace the stress strategy can keep, else exit 2 naming the rule', () => {
  for (const bad of ['4500', '10100', '-1', 'fast']) {
    const r = run('cockpit-load', '--message-rate', bad);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /--message-rate must be 0 \(unpaced\) or a multiple of 500 from 5000/, bad);
    assert.equal(r.stdout, '', 'no result line');
  }
});
