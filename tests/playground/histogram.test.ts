// The NEV histogram's bins against a brute-force count of each bin's half-open interval (the last one closed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogram } from '../../playground/histogram.js';

test('bins count what falls in them, and every value once', () => {
  let x = 12345;
  const values = Array.from({ length: 997 }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648) * 400 - 150;
  });
  const h = histogram([...values, NaN, Infinity], 17)!;
  assert.equal(h.counts.reduce((a, b) => a + b, 0), values.length, 'NaN and ±∞ are left out, the rest counted once');
  assert.equal(h.lo, Math.min(...values));
  assert.equal(h.hi, Math.max(...values));
  h.counts.forEach((c, i) => {
    const a = h.lo + i * h.width;
    const b = i === 16 ? Infinity : h.lo + (i + 1) * h.width;
    const ref = values.filter((v) => v >= a - 1e-9 && v < b - 1e-9).length;
    assert.ok(Math.abs(c - ref) <= 1, `bin ${i}: ${c} vs ${ref}`);
  });
});

test('equal values share one bin; nothing gives null; bad bins refused', () => {
  const h = histogram([5, 5, 5], 4)!;
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 3);
  assert.equal(Math.max(...h.counts), 3);
  assert.equal(histogram([], 4), null);
  assert.throws(() => histogram([1], 0), /bins must be a positive integer/);
});
