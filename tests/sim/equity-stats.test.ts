// Sharpe, Sortino and drawdown of an equity curve, against hand-worked figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equityStats } from '../../host/sim/equity-stats.js';

test('equityStats: a hand-worked curve', () => {
  // Equity 10, 5, 20, 15 from 0: changes 10, −5, 15, −5; mean 15/4 = 3.75.
  // Sample variance: (6.25² + 8.75² + 11.25² + 8.75²)/3 = (39.0625 + 76.5625 + 126.5625 + 76.5625)/3 = 106.25.
  // Downside: √((25 + 25)/4) = √12.5. Drawdown: peak 10 → 5 (5), peak 20 → 15 (5): 5.
  const s = equityStats([10, 5, 20, 15]);
  assert.ok(Math.abs(s.sharpe! - 3.75 / Math.sqrt(106.25)) < 1e-12);
  assert.ok(Math.abs(s.sortino! - 3.75 / Math.sqrt(12.5)) < 1e-12);
  assert.equal(s.maxDrawdownPaise, 5);
});

test('equityStats: nothing to measure gives null, a fall from the start counts', () => {
  assert.deepEqual(equityStats([]), { sharpe: null, sortino: null, maxDrawdownPaise: 0 });
  const flat = equityStats([0, 0, 0]);
  assert.equal(flat.sharpe, null);
  assert.equal(flat.sortino, null);
  assert.equal(equityStats([-4, -1]).maxDrawdownPaise, 4);
});
