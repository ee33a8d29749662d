// The engine bench's spin runs (bench/engine.ts): the fused topology measured once per wait strategy, the spin
// run's engine config (the hot worker spinning alone on CPU 0, the cool worker on CPU 1, as the engine's own
// config reader reads it), the venue pinned away from the spinning core through its own --cpus flag, and the
// --waits argument checked before anything runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engineBench, SPIN_PINNING, waitOverrides } from '../../bench/engine.js';
import { ENGINE_TOML_URL, latencyOverrides, withOverrides } from '../../bench/engine-config.js';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { startVenue, venueConfigToml } from '../../host/venue/venue-process.js';
import { threadsOf } from '../testkit/process-threads.js';

const STUB = fileURLToPath(new URL('../testkit/workers/bench-engine-stub.js', import.meta.url));
const RUN = fileURLToPath(new URL('../../bench/run.js', import.meta.url));
const profiles = () => loadCostProfiles(readFileSync(new URL('../../../config/costs.toml', import.meta.url), 'utf8'));
const setup = {
  topology: 'fused', symbol: 'RELIANCE', segment: '/bench-x', journal: '/tmp/j', controlDir: '/tmp/c', userId: 1, token: 'alpha',
} as const;

test('a spin run\'s engine config: hot spins pinned to CPU 0, cool on CPU 1; an event run changes nothing', () => {
  const base = readFileSync(ENGINE_TOML_URL, 'utf8');
  const spin = loadEngineConfig(withOverrides(base, { ...latencyOverrides(setup), ...waitOverrides('spin') }), profiles());
  assert.equal(spin.workers.hot.wait, 'spin');
  assert.deepEqual(spin.workers.hot.cpus, [...SPIN_PINNING.hot]);
  assert.deepEqual(spin.workers.cool.cpus, [...SPIN_PINNING.cool]);
  assert.ok(!SPIN_PINNING.venue.some((c) => (SPIN_PINNING.hot as readonly number[]).includes(c)), 'the venue is off the spinning core');
  assert.ok(!SPIN_PINNING.cool.some((c) => (SPIN_PINNING.hot as readonly number[]).includes(c)), 'the cool worker is off the spinning core');
  const event = loadEngineConfig(withOverrides(base, { ...latencyOverrides(setup), ...waitOverrides('event') }), profiles());
  assert.equal(event.workers.hot.wait, 'event', 'the shipped hot worker waits on events');
  assert.deepEqual(waitOverrides('event'), {});
});

test('venue --cpus pins every venue thread, V8\'s included (what the spin runs use instead of taskset)', async () => {
  const v = await startVenue(venueConfigToml({ users: [{ id: 1, token: 'alpha' }], symbols: [{ name: 'AAA', refPrice: 10_000 }] }), { cpus: [1] });
  try {
    const status = readFileSync(`/proc/${v.pid}/task/${v.pid}/status`, 'utf8');
    assert.match(status, /^Cpus_allowed_list:\s*1$/m);
    const threads = threadsOf(v.pid);
    assert.ok(threads.length >= 3);
    for (const th of threads) assert.equal(th.cpus, '1', `venue thread ${th.tid} (${th.name}) on ${th.cpus}`);
  } finally {
    await v.stop();
  }
  const bad = spawnSync(process.execPath, [fileURLToPath(new URL('../../host/venue.js', import.meta.url)), '--config', 'x.toml', '--cpus', '1,a'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--cpus must list CPU numbers 0\.\.1023 \(e\.g\. 1 or 0,1\), got "1,a"/);
});

test('venue --priority: the main thread SCHED_FIFO at that priority (the cockpit-load venue stand-in); refused outside [0, 98]', async () => {
  const v = await startVenue(venueConfigToml({ users: [{ id: 1, token: 'alpha' }], symbols: [{ name: 'AAA', refPrice: 10_000 }] }), { priority: 3 });
  try {
    const main = threadsOf(v.pid).find((th) => th.tid === v.pid)!;
    if (process.getuid?.() === 0) assert.deepEqual([main.policy, main.rtPriority], [1, 3], 'as root: SCHED_FIFO 3');
  } finally {
    await v.stop();
  }
  const bad = spawnSync(process.execPath, [fileURLToPath(new URL('../../host/venue.js', import.meta.url)), '--config', 'x.toml', '--priority', '99'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--priority must be an integer in \[0, 98\], got "99"/);
});

test('fused measured both ways in one run: an event line and a spin line carrying its pinning', { timeout: 60_000 }, async () => {
  const lines: Record<string, unknown>[] = [];
  await engineBench({
    seconds: 1, sustainedSeconds: 1, warmupSeconds: 0.3, spacingUs: 1000, topologies: ['fused', 'modules'], waits: ['event', 'spin'],
    sustained: null, echoSamples: 50, engineJs: STUB,
  }, (l) => lines.push(l as Record<string, unknown>), () => {});
  assert.deepEqual(lines.map((l) => [l['bench'], l['topology'] ?? l['spacing_us'], l['wait']]), [
    ['echo_floor', 1000, undefined], ['echo_floor', 0, undefined],
    ['engine', 'fused', 'event'], ['engine', 'fused', 'spin'], ['engine', 'modules', 'event'],
  ]);
  assert.deepEqual(lines[3]!['pinning'], SPIN_PINNING);
  assert.equal(lines[2]!['pinning'], undefined, 'an event run pins nothing new');
  for (const l of lines.slice(2)) assert.deepEqual(l['echo_floor_rtt_us'], lines[2]!['echo_floor_rtt_us'], 'one floor for every line');
});

test('--waits is checked before anything runs', () => {
  const r = spawnSync(process.execPath, [RUN, 'engine', '--waits', 'event,poll'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--waits must list event and\/or spin, got event,poll/);
  assert.equal(r.stdout, '');
});
