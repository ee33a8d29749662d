// The cockpit's number formatting: every figure with its unit, money exact from integer paise.
// Rupee grouping is checked against the platform's own en-IN formatting (ICU), an independent reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NONE, count, duration, lots, milli, millis, percentBp, percentRatio, perSecond, rupees, share, signedRupees, ticks,
} from '../../cockpit/src/lib/format.js';

test('durations pick the unit that keeps them readable', () => {
  assert.equal(duration(0), '0 ns');
  assert.equal(duration(999), '999 ns');
  assert.equal(duration(1_000), '1.00 µs');
  assert.equal(duration(12_345), '12.3 µs');
  assert.equal(duration(999_400), '999 µs');
  assert.equal(duration(4_560_000), '4.56 ms');
  assert.equal(duration(20_000_000), '20.0 ms');
  assert.equal(duration(1_200_000_000), '1.20 s');
  assert.equal(millis(0.25), '250 µs');
  assert.equal(millis(3), '3.00 ms');
  for (const bad of [NaN, Infinity, null, undefined]) assert.equal(duration(bad as number), NONE);
});

test('rupees from paise: two decimals, Indian grouping, exact, the sign outside', () => {
  assert.equal(rupees(0), '₹0.00');
  assert.equal(rupees(5), '₹0.05');
  assert.equal(rupees(-5), '−₹0.05');
  assert.equal(rupees(123456), '₹1,234.56');
  assert.equal(rupees(12345678901), '₹12,34,56,789.01');
  assert.equal(rupees(100.6), '₹1.01', 'a fraction of a paisa rounds to the paisa');
  assert.equal(signedRupees(250), '+₹2.50');
  assert.equal(signedRupees(-250), '−₹2.50');
  assert.equal(signedRupees(0), '₹0.00');
  const icu = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  let x = 12345;
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const paise = (x % 2 === 0 ? 1 : -1) * (x % 10 ** (1 + (i % 14)));
    const abs = icu.format(Math.abs(paise) / 100);
    assert.equal(rupees(paise), `${paise < 0 ? '−' : ''}₹${abs}`, `${paise} paise`);
  }
});

test('percentages, counts, lots, rates, ticks and milli-scaled figures carry their unit', () => {
  assert.equal(percentBp(1234), '12.34 %');
  assert.equal(percentBp(-50), '−0.50 %');
  assert.equal(percentBp(10000), '100.00 %');
  assert.equal(percentRatio(0.4567), '45.7 %');
  assert.equal(count(1234567), '1,234,567');
  assert.equal(count(-1000), '−1,000');
  assert.equal(lots(1), '1 lot');
  assert.equal(lots(-1), '−1 lot');
  assert.equal(lots(20), '20 lots');
  assert.equal(lots(0), '0 lots');
  assert.equal(perSecond(12.34), '12.3 /s');
  assert.equal(ticks(250005), '250,005 ticks');
  assert.equal(milli(734), '0.734');
  assert.equal(milli(52_500, 'orders/trade'), '52.500 orders/trade');
  for (const f of [percentBp, percentRatio, count, lots, perSecond, ticks, rupees, signedRupees]) assert.equal(f(undefined), NONE);
});

test('share is used / limit held to [0, 1], 0 without a limit', () => {
  assert.equal(share(5, 10), 0.5);
  assert.equal(share(15, 10), 1);
  assert.equal(share(-1, 10), 0);
  assert.equal(share(5, 0), 0);
  assert.equal(share(undefined, 10), 0);
});
