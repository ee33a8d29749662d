// Questions asked of the venue's audit (host/venue/audit-queries.ts): the busiest window's request
// count against a brute-force count, cancel delays after the Ack or Replaced, requests after a moment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelDelays, maxRequestsInWindow, requestsAfter } from '../../host/venue/audit-queries.js';
import type { AuditLine } from '../../host/venue/venue-audit.js';
import { rng } from '../testkit/core.js';

const req = (ns: number, type: 'new' | 'cancel' | 'replace', clOrdId: number, origClOrdId = 0, user = 1, session = 1): AuditLine =>
  ({ ns, dir: 'in', user, session, type, clOrdId, origClOrdId, symbol: 1, side: 0, price: 100, qty: 1, sentNs: ns - 10 });
const rep = (ns: number, type: 'ack' | 'replaced' | 'canceled', clOrdId: number, user = 1, session = 1): AuditLine =>
  ({ ns, dir: 'out', user, session, type, clOrdId, exchOrderId: 1000 + clOrdId });

test('busiest window: by hand, a window is [t, t + w), and every request type counts', () => {
  const lines = [req(0, 'new', 1), req(400, 'cancel', 2, 1), req(999, 'new', 3), req(1000, 'replace', 4, 3), req(1500, 'new', 5),
    req(1600, 'new', 6, 0, 2)];
  assert.deepEqual(maxRequestsInWindow(lines, 1, 1000), { count: 3, fromNs: 0 });
  assert.deepEqual(maxRequestsInWindow(lines, 1, 1001), { count: 4, fromNs: 0 });
  assert.deepEqual(maxRequestsInWindow(lines, 1, 1000, ['new']), { count: 2, fromNs: 0 });
  assert.deepEqual(maxRequestsInWindow(lines, 2, 1000), { count: 1, fromNs: 1600 });
  assert.deepEqual(maxRequestsInWindow([], 1, 1000), { count: 0, fromNs: 0 });
});

test('busiest window equals a brute-force count on seeded arrivals', () => {
  const next = rng(8);
  for (let round = 0; round < 300; round++) {
    const lines: AuditLine[] = [];
    let t = 0;
    const n = 1 + Math.floor(next() * 120);
    for (let i = 0; i < n; i++) {
      t += Math.floor(next() * 300);
      lines.push(req(t, next() < 0.7 ? 'new' : 'cancel', i));
    }
    const w = 1 + Math.floor(next() * 2000);
    let want = 0;
    for (const a of lines) want = Math.max(want, lines.filter((b) => b.ns >= a.ns && b.ns < a.ns + w).length);
    assert.equal(maxRequestsInWindow(lines, 1, w).count, want, `round ${round}`);
  }
});

test('cancel delays from the Ack, or from the Replaced after a replace; per session; unknown orders left out', () => {
  const lines = [
    req(0, 'new', 1), rep(100, 'ack', 1),
    req(10, 'new', 1, 0, 1, 2), rep(150, 'ack', 1, 1, 2), // the same id in another session
    req(200_000_000, 'cancel', 2, 1), rep(200_000_100, 'canceled', 2),
    req(300, 'new', 3), rep(400, 'ack', 3), req(500, 'replace', 4, 3), rep(600, 'replaced', 4),
    req(200_000_700, 'cancel', 5, 4),
    req(201_000_000, 'cancel', 6, 77),
    req(210_000_150, 'cancel', 2, 1, 1, 2),
  ];
  assert.deepEqual(cancelDelays(lines, 1), [
    { clOrdId: 2, origClOrdId: 1, delayNs: 199_999_900 },
    { clOrdId: 5, origClOrdId: 4, delayNs: 200_000_100 },
    { clOrdId: 2, origClOrdId: 1, delayNs: 210_000_000 },
  ]);
  assert.deepEqual(requestsAfter(lines, 1, 200_000_000).map((l) => l.clOrdId), [5, 6, 2]);
  assert.deepEqual(requestsAfter(lines, 1, 200_000_000, ['new']), []);
});
