// The sweep scheduler with fake runners: every cell runs exactly once, results land at their cell's index
// whatever order they finish in, no runner holds two cells at once, all runners work in parallel, progress is
// reported per cell, and a runner's error rejects the sweep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepGrid } from '../../playground/sweep-grid.js';
import { runSweep, type CellRunner } from '../../playground/sweep-scheduler.js';

const grid = sweepGrid(
  { key: 'a', from: 1, to: 4, steps: 4, integer: true, min: 0, max: 10 },
  { key: 'b', from: 1, to: 3, steps: 3, integer: true, min: 0, max: 10 },
);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('each cell once, results by index, runners in parallel but one cell each', async () => {
  const runs = new Map<number, number>();
  const busy = new Set<number>();
  let concurrent = 0;
  let peak = 0;
  const progress: string[] = [];
  const runners: CellRunner<number>[] = [0, 1, 2].map((r) => async (cell, onProgress) => {
    assert.ok(!busy.has(r), `runner ${r} given a second cell while busy`);
    busy.add(r);
    peak = Math.max(peak, ++concurrent);
    runs.set(cell.index, (runs.get(cell.index) ?? 0) + 1);
    onProgress(0.5);
    // Uneven durations so cells finish out of order.
    await sleep(((cell.index * 7) % 5) + 1);
    concurrent--;
    busy.delete(r);
    return cell.values['a']! * 100 + cell.values['b']!;
  });
  const done: number[] = [];
  const results = await runSweep(grid.cells, runners, {
    onProgress: (cell, f) => progress.push(`${cell.index}:${f}`),
    onDone: (cell) => done.push(cell.index),
  });
  assert.equal(results.length, 12);
  grid.cells.forEach((c) => {
    assert.equal(runs.get(c.index), 1, `cell ${c.index} ran ${runs.get(c.index)} times`);
    assert.equal(results[c.index], c.values['a']! * 100 + c.values['b']!);
  });
  assert.equal(peak, 3, 'all three runners worked at once');
  assert.deepEqual([...done].sort((x, y) => x - y), grid.cells.map((c) => c.index));
  assert.equal(progress.length, 12);
});

test('a runner error rejects the sweep; an abort stops handing out cells', async () => {
  await assert.rejects(runSweep(grid.cells, [async (cell) => {
    if (cell.index === 5) throw new Error('engine.toml: bad');
    return 0;
  }]), /engine\.toml: bad/);
  const ac = new AbortController();
  let ran = 0;
  await runSweep(grid.cells, [async () => {
    if (++ran === 3) ac.abort();
    return 0;
  }], {}, ac.signal);
  assert.equal(ran, 3);
  await assert.rejects(runSweep(grid.cells, []), /at least one runner/);
});
