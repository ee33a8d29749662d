// Venue-reaction pairing (bench/reaction-pairing.ts): by hand on small audits, against a brute-force
// reference on seeded random ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairReactions } from '../../bench/reaction-pairing.js';
import type { AuditLine } from '../../host/venue/venue-audit.js';
import { rng as seeded } from '../testkit/core.js';

const md = (ns: number, symbol: number, seq: number, conn = 1): AuditLine => ({ ns, dir: 'md', conn, type: 'delta', symbol, seq });
const order = (ns: number, sentNs: number, symbol: number, clOrdId: number, user = 1, type: AuditLine['type'] = 'new'): AuditLine =>
  ({ ns, dir: 'in', user, session: 1, type, clOrdId, origClOrdId: 0, symbol, side: 0, price: 100, qty: 1, sentNs });

test('each order pairs with the last write of its symbol at or before its own stamp', () => {
  const lines: AuditLine[] = [
    md(1_000_000, 1, 1), md(1_000_000, 1, 2), // one write, two frames: one Tv
    md(2_000_000, 2, 1),
    order(2_060_000, 2_040_000, 1, 1), // symbol 1: last write 1 000 000 → reaction 1 060 µs... ambiguous? no earlier write
    md(3_000_000, 1, 3),
    order(3_050_000, 3_030_000, 1, 2), // write at 3 000 000; the one before (1 000 000) is outside 1 ms → clean
    order(3_080_000, 3_070_000, 2, 3), // symbol 2: 2 000 000
    order(3_090_000, 3_085_000, 1, 4, 2), // another user: ignored
    order(3_095_000, 3_090_000, 1, 5, 1, 'cancel'), // not a NewOrder: ignored by default
    md(3_500_000, 1, 4),
    order(3_520_000, 3_510_000, 1, 6), // write at 3 500 000, another at 3 000 000 inside (3 510 000 − 1 ms): ambiguous
    order(100, 50, 3, 7), // symbol 3 has no market data: unpaired
    md(9_000_000, 1, 5), // after everything: never a trigger
  ];
  const p = pairReactions(lines, { user: 1 });
  assert.deepEqual([...p.reactionNs], [1_060_000, 50_000, 1_080_000, 20_000]);
  assert.deepEqual([...p.wireInNs], [20_000, 20_000, 10_000, 10_000]);
  assert.equal(p.unpaired, 1);
  assert.equal(p.ambiguous, 1);
  assert.equal(p.conn, 1);
  assert.equal(p.meanWriteSpacingNs, (9_000_000 - 1_000_000) / 4, 'five distinct writes over 8 ms');
  // Cancels too when asked; a minimum reaction skips writes too recent to be the cause.
  assert.deepEqual([...pairReactions(lines, { user: 1, types: ['new', 'cancel'] }).reactionNs], [1_060_000, 50_000, 1_080_000, 95_000, 20_000]);
  assert.deepEqual([...pairReactions(lines, { user: 1, minReactionNs: 15_000 }).reactionNs], [1_060_000, 50_000, 1_080_000, 520_000]);
});

test('the busiest market-data connection is the engine\'s unless named', () => {
  const lines: AuditLine[] = [
    md(10, 1, 1, 7), md(20, 1, 2, 7), md(30, 1, 3, 7),
    md(25, 1, 1, 3),
    order(40, 28, 1, 1),
  ];
  assert.deepEqual([...pairReactions(lines, { user: 1 }).reactionNs], [20]); // conn 7: write at 20
  assert.deepEqual([...pairReactions(lines, { user: 1, conn: 3 }).reactionNs], [15]); // conn 3: write at 25
});

test('seeded audits: the binary-search pairing equals a linear scan', () => {
  const next = seeded(20_261_201);
  const rng = { next, int: (n: number): number => Math.floor(next() * n) };
  for (let round = 0; round < 200; round++) {
    const lines: AuditLine[] = [];
    let t = 0;
    const n = 5 + rng.int(200);
    for (let i = 0; i < n; i++) {
      t += rng.int(2_000_000);
      if (rng.next() < 0.6) lines.push(md(t, 1 + rng.int(3), i, 1 + rng.int(2)));
      else {
        const sent = t - rng.int(100_000);
        lines.push(order(t, sent, 1 + rng.int(3), i, 1 + rng.int(2)));
      }
    }
    const user = 1 + rng.int(2);
    const windowNs = 1 + rng.int(3_000_000);
    const minReactionNs = rng.int(50_000);
    const got = pairReactions(lines, { user, windowNs, minReactionNs, conn: 1 });
    // Reference: for each order, scan every write.
    const want: number[] = [];
    let unpaired = 0;
    let ambiguous = 0;
    for (const o of lines) {
      if (o.dir !== 'in' || o.user !== user) continue;
      const writes = lines.filter((l) => l.dir === 'md' && l.conn === 1 && l.symbol === o.symbol && l.ns <= o.sentNs! - minReactionNs).map((l) => l.ns);
      if (writes.length === 0) {
        unpaired++;
        continue;
      }
      const tv = Math.max(...writes);
      if (writes.some((w) => w < tv && w > o.sentNs! - windowNs)) ambiguous++;
      want.push(o.ns - tv);
    }
    assert.deepEqual([...got.reactionNs], want, `round ${round}`);
    assert.deepEqual([got.unpaired, got.ambiguous], [unpaired, ambiguous], `round ${round}`);
  }
});
