// The sweep grid: axis values evenly spaced from..to (checked against the formula a + (b − a)·i/(n − 1)), whole
// and de-duplicated for integer parameters, one cell per pair in row-major order, and bad axes refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisValues, sweepGrid, SweepError, type SweepAxis } from '../../playground/sweep-grid.js';

const axis = (over: Partial<SweepAxis>): SweepAxis => ({ key: 'k', from: 0, to: 1, steps: 5, integer: false, min: 0, max: 100, ...over });

test('axis values are evenly spaced from..to', () => {
  for (const [from, to, steps] of [[0, 1, 5], [0.05, 0.3, 6], [10, 2, 3], [1, 99, 20]] as const) {
    const got = axisValues(axis({ from, to, steps }));
    assert.equal(got.length, steps);
    got.forEach((v, i) => assert.ok(Math.abs(v - (from + ((to - from) * i) / (steps - 1))) <= 1e-11 * Math.max(1, Math.abs(v)), `${from}..${to}/${steps}: value ${i} = ${v}`));
  }
  assert.deepEqual(axisValues(axis({ from: 0.1, to: 0.3, steps: 3 })), [0.1, 0.2, 0.3], 'no floating-point noise reaches the TOML');
  assert.deepEqual(axisValues(axis({ from: 7, to: 9, steps: 1 })), [7]);
});

test('integer parameters get whole, distinct values', () => {
  assert.deepEqual(axisValues(axis({ from: 1, to: 10, steps: 4, integer: true })), [1, 4, 7, 10]);
  assert.deepEqual(axisValues(axis({ from: 1, to: 3, steps: 5, integer: true })), [1, 2, 3]);
});

test('one cell per pair, row-major, each with both values', () => {
  const g = sweepGrid(axis({ key: 'a', from: 1, to: 2, steps: 2 }), axis({ key: 'b', from: 10, to: 30, steps: 3 }));
  assert.deepEqual(g.xs, [1, 2]);
  assert.deepEqual(g.ys, [10, 20, 30]);
  assert.equal(g.cells.length, 6);
  g.cells.forEach((c, n) => {
    assert.equal(c.index, n);
    assert.equal(c.index, c.y * g.xs.length + c.x);
    assert.deepEqual(c.values, { a: g.xs[c.x], b: g.ys[c.y] });
  });
});

test('bad axes are refused naming the parameter', () => {
  assert.throws(() => sweepGrid(axis({ key: 'a' }), axis({ key: 'a' })), (e: Error) => e instanceof SweepError && /different parameters/.test(e.message));
  assert.throws(() => axisValues(axis({ key: 'execution.ttlMs', steps: 0 })), /execution\.ttlMs: steps must be an integer in \[1, 20\], got 0/);
  assert.throws(() => axisValues(axis({ key: 'q', from: -1 })), /q: from must be in \[0, 100\], got -1/);
  assert.throws(() => axisValues(axis({ key: 'q', to: 101 })), /q: to must be in \[0, 100\], got 101/);
});
