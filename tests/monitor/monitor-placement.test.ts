// Where the monitor's main thread runs (monitor/monitor-placement.ts), from engine configs as the engine reads
// them: off the hot path by default; looking for control answers only when off the kill watcher's CPUs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadEngineConfig, type EngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { CONTROL_SPIN_MS, planPlacement } from '../../monitor/monitor-placement.js';
import { hotPathCpus, killWatcherCpus } from '../../host/config/hot-path-cpus.js';
import { parseMonitorArgs } from '../../monitor/server.js';

const read = (name: string): Promise<string> => readFile(new URL(`../../../config/${name}`, import.meta.url), 'utf8');
const config = async (toml: string): Promise<EngineConfig> => loadEngineConfig(toml, loadCostProfiles(await read('costs.toml')));

test('fused, the shipped split (hot on CPU 0, cool on CPU 1): home on CPU 1, asleep while the engine answers', async () => {
  const c = await config(await read('engine.toml'));
  assert.deepEqual(hotPathCpus(c), c.workers.hot.cpus);
  assert.deepEqual(killWatcherCpus(c), c.workers.cool.cpus);
  const online = [0, 1];
  const p = planPlacement(c, online);
  // Independent of the function: every online CPU the hot worker does not use.
  assert.deepEqual(p.home, online.filter((x) => !c.workers.hot.cpus.includes(x)));
  assert.equal(p.spinMs, 0, 'home is the kill watcher\'s CPU: looking there would hold the core the answer needs');
  assert.equal(p.priority, c.engine.killWatcherPriority - 1, 'it runs real-time, just below the watcher');
  const away = planPlacement(c, online, [0]);
  assert.deepEqual(away.home, [0], '--cpus overrides home');
  assert.equal(away.spinMs, CONTROL_SPIN_MS, 'off the watcher\'s CPU a control wait looks before it sleeps');
  assert.equal(away.priority, 0, 'a thread that looks (maybe on the hot path\'s core) stays ordinary');
  assert.equal(planPlacement(c, online, [0, 1]).spinMs, 0, 'a thread that may run on the watcher\'s CPU does not look');
});

test('modules: the hot path is Oracle and Execution, the watcher Sentinel; more cores leave more room', async () => {
  const c = await config(`[engine]\ntopology = "modules"\n[workers.oracle]\ncpus = [0]\n[workers.execution]\ncpus = [1]\n`
    + `[workers.sonar]\ncpus = [2]\n[workers.sentinel]\ncpus = [3]\n`);
  assert.deepEqual(hotPathCpus(c), [0, 1]);
  assert.deepEqual(killWatcherCpus(c), [3]);
  assert.deepEqual(planPlacement(c, [0, 1, 2, 3]), { home: [2, 3], spinMs: 0, priority: 9 });
  assert.deepEqual(planPlacement(c, [0, 1, 2, 3], [2]), { home: [2], spinMs: CONTROL_SPIN_MS, priority: 0 });
});

test('not pinned when the hot path is not pinned or takes every CPU; the watcher unpinned means never look', async () => {
  const unpinned = await config(`[workers.hot]\ncpus = []\n[workers.cool]\ncpus = []\n`);
  assert.deepEqual(planPlacement(unpinned, [0, 1]), { home: null, spinMs: 0, priority: 9 });
  assert.deepEqual(planPlacement(unpinned, [0, 1], [0]), { home: [0], spinMs: 0, priority: 9 }, 'a watcher that may run anywhere may run beside us');
  const oneCore = await config(`[workers.hot]\ncpus = [0]\n[workers.cool]\ncpus = [0]\n`);
  assert.deepEqual(planPlacement(oneCore, [0]), { home: null, spinMs: 0, priority: 9 });
  const ordinaryWatcher = await config(`[engine]\nkillWatcherPriority = 0\n`);
  assert.equal(planPlacement(ordinaryWatcher, [0, 1]).priority, 0, 'never above an ordinary watcher');
});

test('--cpus is parsed and refused naming the flag', () => {
  assert.deepEqual(parseMonitorArgs(['--cpus', '0,1']).cpus, [0, 1]);
  assert.equal(parseMonitorArgs([]).cpus, undefined);
  assert.throws(() => parseMonitorArgs(['--cpus', '1,x']), /--cpus must list CPU numbers 0\.\.1023/);
});

test('--priority is parsed, refused outside [0, 98] naming the flag, and overrides the placement\'s', async () => {
  assert.equal(parseMonitorArgs(['--priority', '0']).priority, 0);
  assert.equal(parseMonitorArgs([]).priority, undefined);
  assert.throws(() => parseMonitorArgs(['--priority', '99']), /--priority must be an integer in \[0, 98\], got "99"/);
  const c = await config(await read('engine.toml'));
  assert.equal(planPlacement(c, [0, 1], undefined, 0).priority, 0);
  assert.equal(planPlacement(c, [0, 1], [0], 4).priority, 4);
});
