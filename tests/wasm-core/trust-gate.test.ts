// The zero-trust gate: every check on its own, combined masks, and 10 000 random event sequences
// against a reference written from the documented rules. RTT_HIGH is the execution core's RTT verdict
// passed in (gateOnRtt healthy 1/0): the gate has no RTT threshold of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { BookStatus, type CoreExports } from '../../host/core/core.js';
import { Side } from '../../host/model/vocabulary.js';
import { describeTrustFailures, GateStatus, TrustCheck } from '../../host/modules/sonar.js';

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;

const GATE = 65536;
const BOOK = 65536 + 4096;
const MAX_AGE = 1_000_000n; // 1 ms
const { FEED_STALE, SEQ_GAP, BOOK_CROSSED, RTT_HIGH, CLOCK_BACKWARDS } = TrustCheck;

async function openGate(): Promise<{ core: CoreExports; t: bigint }> {
  const { core } = await testCore();
  assert.equal(core.bookInit(BOOK, 64, 1000), BookStatus.OK);
  assert.equal(core.bookSet(BOOK, BID, 1010, 5), BookStatus.OK);
  assert.equal(core.bookSet(BOOK, ASK, 1011, 5), BookStatus.OK);
  assert.equal(core.gateInit(GATE, MAX_AGE), GateStatus.OK);
  const t = 1_000_000_000n;
  assert.equal(core.gateOnFeed(GATE, t, 1n), 0);
  assert.equal(core.gateOnRtt(GATE, 1, t), 0);
  assert.equal(core.gateEvaluate(GATE, BOOK, t), 0, 'fresh feed, healthy RTT verdict, uncrossed book: open');
  return { core, t };
}

test('a new gate is closed: no feed yet, no RTT yet', async () => {
  const { core } = await testCore();
  assert.equal(core.bookInit(BOOK, 64, 1000), BookStatus.OK);
  assert.equal(core.gateInit(GATE, MAX_AGE), GateStatus.OK);
  const mask = core.gateEvaluate(GATE, BOOK, 5n);
  assert.equal(mask, FEED_STALE | RTT_HIGH);
  assert.deepEqual(describeTrustFailures(mask), ['FEED_STALE', 'RTT_HIGH']);
  core.gateOnFeed(GATE, 6n, 1n);
  assert.equal(core.gateEvaluate(GATE, BOOK, 7n), RTT_HIGH, 'until the first verdict, the order path is unproven');
  core.gateOnRtt(GATE, 0, 8n);
  assert.equal(core.gateEvaluate(GATE, BOOK, 8n), RTT_HIGH, 'an unhealthy verdict (no sample yet) keeps it closed');
  core.gateOnRtt(GATE, 1, 8n);
  assert.equal(core.gateEvaluate(GATE, BOOK, 9n), 0);
});

test('FEED_STALE: age > maxFeedAgeNs, not ≥', async () => {
  const { core, t } = await openGate();
  assert.equal(core.gateEvaluate(GATE, BOOK, t + MAX_AGE), 0, 'age exactly the limit');
  assert.equal(core.gateEvaluate(GATE, BOOK, t + MAX_AGE + 1n), FEED_STALE);
  core.gateOnFeed(GATE, t + MAX_AGE + 2n, 2n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + MAX_AGE + 3n), 0, 'a new event freshens it');
});

test('SEQ_GAP: gaps, duplicates and regressions latch until resync; the next event re-baselines', async () => {
  const { core, t } = await openGate();
  assert.equal(core.gateOnFeed(GATE, t + 1n, 2n), 0);
  assert.equal(core.gateOnFeed(GATE, t + 2n, 4n), SEQ_GAP, '3 missing');
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 3n), SEQ_GAP);
  assert.equal(core.gateOnFeed(GATE, t + 4n, 5n), 0, 'in order again, but...');
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 5n), SEQ_GAP, '...still latched');
  core.gateResync(GATE, t + 6n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 7n), FEED_STALE, 'after resync: no gap, but no fresh feed either');
  assert.equal(core.gateOnFeed(GATE, t + 8n, 1000n), 0, 'any sequence is the new baseline');
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 9n), 0);
  assert.equal(core.gateOnFeed(GATE, t + 10n, 1000n), SEQ_GAP, 'duplicate');
  core.gateResync(GATE, t + 11n);
  core.gateOnFeed(GATE, t + 12n, 50n);
  assert.equal(core.gateOnFeed(GATE, t + 13n, 49n), SEQ_GAP, 'regression');
  assert.equal(core.gateGaps(GATE), 3);
  // i64 sequence numbers beyond 2^32 (venue update ids) are fine.
  core.gateResync(GATE, t + 14n);
  core.gateOnFeed(GATE, t + 15n, 2n ** 32n - 1n);
  assert.equal(core.gateOnFeed(GATE, t + 16n, 2n ** 32n), 0);
  assert.equal(core.gateOnFeed(GATE, t + 17n, 50_000_000_001n), SEQ_GAP);
});

test('BOOK_CROSSED follows the book, not latched', async () => {
  const { core, t } = await openGate();
  core.bookSet(BOOK, ASK, 1010, 3); // best ask 1010 = best bid 1010: crossed (locked counts)
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 1n), BOOK_CROSSED);
  core.bookSet(BOOK, ASK, 1010, 0);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 2n), 0);
  core.bookSet(BOOK, BID, 1020, 1); // bid above ask
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 3n), BOOK_CROSSED);
});

test('RTT_HIGH follows the last RTT verdict (healthy only when exactly 1); a healthy one clears it', async () => {
  const { core, t } = await openGate();
  core.gateOnRtt(GATE, 0, t + 1n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 2n), RTT_HIGH);
  core.gateOnRtt(GATE, 1, t + 3n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 4n), 0, 'not latched');
  core.gateOnRtt(GATE, 2, t + 5n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 6n), RTT_HIGH, 'anything but 1 is unhealthy');
  core.gateOnRtt(GATE, -1, t + 7n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 8n), RTT_HIGH);
  core.gateOnRtt(GATE, 1, t + 9n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 10n), 0);
});

test('CLOCK_BACKWARDS: each timestamp stream, latched until resync; pipelined feed stamps are not faults', async () => {
  const { core, t } = await openGate();
  // Equal timestamps are not backwards.
  assert.equal(core.gateEvaluate(GATE, BOOK, t), 0);
  // Evaluate clock going back (before the last evaluation and the last feed stamp: one fault, counted once).
  assert.equal(core.gateEvaluate(GATE, BOOK, t - 1n), CLOCK_BACKWARDS);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 100n), CLOCK_BACKWARDS, 'latched');
  core.gateResync(GATE, t + 101n);
  core.gateOnFeed(GATE, t + 102n, 7n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 103n), 0);
  // A feed event received before the last evaluation but handed over after it: ordinary pipelining.
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 200n), 0);
  assert.equal(core.gateOnFeed(GATE, t + 150n, 8n), 0);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 201n), 0);
  // Feed stamps going back among themselves.
  assert.equal(core.gateOnFeed(GATE, t + 149n, 9n), CLOCK_BACKWARDS);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 202n), CLOCK_BACKWARDS);
  core.gateResync(GATE, t + 203n);
  core.gateOnFeed(GATE, t + 204n, 1n);
  // An evaluation at a time before the last feed receive stamp.
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 205n), 0);
  core.gateOnFeed(GATE, t + 300n, 2n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 250n), CLOCK_BACKWARDS, 'the feed saw the future');
  core.gateResync(GATE, t + 400n);
  core.gateOnFeed(GATE, t + 401n, 1n);
  // RTT verdicts advance the caller clock too, and a backwards one is a fault; the verdict still counts.
  assert.equal(core.gateOnRtt(GATE, 1, t + 399n), CLOCK_BACKWARDS);
  core.gateResync(GATE, t + 402n);
  core.gateOnFeed(GATE, t + 403n, 1n);
  assert.equal(core.gateOnRtt(GATE, 1, t + 401n), CLOCK_BACKWARDS);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 405n), CLOCK_BACKWARDS, 'latched; the healthy verdict kept RTT_HIGH off');
  core.gateResync(GATE, t + 406n);
  core.gateOnFeed(GATE, t + 407n, 1n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 408n), 0);
  // Resync re-baselines the caller clock: a clock reset to an earlier epoch is accepted after it.
  core.gateResync(GATE, 5n);
  core.gateOnFeed(GATE, 6n, 1n);
  assert.equal(core.gateEvaluate(GATE, BOOK, 7n), 0);
  assert.equal(core.gateClockFaults(GATE), 5);
});

test('combined masks', async () => {
  const { core, t } = await openGate();
  core.gateOnFeed(GATE, t + 1n, 3n); // gap (2 missing)
  core.bookSet(BOOK, BID, 1011, 1); // locked
  core.gateOnRtt(GATE, 0, t + 2n);
  let mask = core.gateEvaluate(GATE, BOOK, t + 1n + MAX_AGE);
  assert.equal(mask, SEQ_GAP | BOOK_CROSSED | RTT_HIGH, 'age exactly the limit: fresh');
  mask = core.gateEvaluate(GATE, BOOK, t + 1n); // backwards
  assert.equal(mask, SEQ_GAP | BOOK_CROSSED | RTT_HIGH | CLOCK_BACKWARDS);
  mask = core.gateEvaluate(GATE, BOOK, t + 2n + MAX_AGE);
  assert.equal(mask, FEED_STALE | SEQ_GAP | BOOK_CROSSED | RTT_HIGH | CLOCK_BACKWARDS, 'every check failing: 31');
  assert.equal(mask, 31);
  assert.deepEqual(describeTrustFailures(mask), ['FEED_STALE', 'SEQ_GAP', 'BOOK_CROSSED', 'RTT_HIGH', 'CLOCK_BACKWARDS']);
  core.gateResync(GATE, t + 3n + MAX_AGE);
  core.gateOnFeed(GATE, t + 4n + MAX_AGE, 1n);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 5n + MAX_AGE), BOOK_CROSSED | RTT_HIGH, 'resync clears only the latches');
  core.bookSet(BOOK, BID, 1011, 0);
  core.gateOnRtt(GATE, 1, t + 6n + MAX_AGE);
  assert.equal(core.gateEvaluate(GATE, BOOK, t + 7n + MAX_AGE), 0);
});

/** The documented rules, restated. */
class ReferenceGate {
  feed: bigint | null = null;
  seq: bigint | null = null;
  rttHealthy: boolean | null = null;
  now: bigint | null = null;
  gapLatched = false;
  clockLatched = false;
  gaps = 0;
  clockFaults = 0;
  constructor(readonly maxAge: bigint) {}
  private callerClock(now: bigint): number {
    const back = this.now !== null && now < this.now;
    this.now = now;
    return back ? CLOCK_BACKWARDS : 0;
  }
  onFeed(recv: bigint, seq: bigint): number {
    let bits = 0;
    if (this.feed !== null && recv < this.feed) bits |= CLOCK_BACKWARDS;
    if (this.seq !== null && seq !== this.seq + 1n) bits |= SEQ_GAP;
    this.feed = recv;
    this.seq = seq;
    this.latch(bits);
    return bits;
  }
  onRtt(healthy: number, now: bigint): number {
    const bits = this.callerClock(now);
    this.rttHealthy = healthy === 1;
    this.latch(bits);
    return bits;
  }
  resync(now: bigint): void {
    this.gapLatched = this.clockLatched = false;
    this.now = now;
    this.feed = this.seq = null;
  }
  evaluate(crossed: boolean, now: bigint): number {
    let bits = this.callerClock(now);
    if (this.feed !== null && now < this.feed) bits |= CLOCK_BACKWARDS;
    this.latch(bits);
    let mask = (this.gapLatched ? SEQ_GAP : 0) | (this.clockLatched ? CLOCK_BACKWARDS : 0);
    if (this.feed === null || now - this.feed > this.maxAge) mask |= FEED_STALE;
    if (crossed) mask |= BOOK_CROSSED;
    if (this.rttHealthy !== true) mask |= RTT_HIGH;
    return mask;
  }
  /** One call counts once per kind of fault. */
  private latch(bits: number): void {
    if (bits & SEQ_GAP) { this.gapLatched = true; this.gaps++; }
    if (bits & CLOCK_BACKWARDS) { this.clockLatched = true; this.clockFaults++; }
  }
}

test('10 000 random event sequences agree with the reference gate', async () => {
  const { core } = await testCore();
  assert.equal(core.bookInit(BOOK, 64, 1000), BookStatus.OK);
  const r = rng(31337);
  const seen = new Set<number>();
  for (let run = 0; run < 10_000; run++) {
    const maxAge = BigInt(1 + Math.floor(r() * 1000));
    assert.equal(core.gateInit(GATE, maxAge), GateStatus.OK);
    const ref = new ReferenceGate(maxAge);
    core.bookClear(BOOK);
    core.bookSet(BOOK, BID, 1010, 1);
    core.bookSet(BOOK, ASK, 1011, 1);
    let crossed = false;
    let clock = BigInt(Math.floor(r() * 1e6));
    let seq = BigInt(Math.floor(r() * 1e6));
    // A jittery clock: mostly forward, sometimes back a little.
    const tick = (): bigint => (clock += BigInt(Math.floor(r() * 600) - (r() < 0.03 ? 700 : 0)));
    const steps = 10 + Math.floor(r() * 30);
    for (let i = 0; i < steps; i++) {
      const u = r();
      const where = `run ${run} step ${i}`;
      if (u < 0.4) {
        const v = r();
        seq += v < 0.9 ? 1n : v < 0.95 ? 2n : v < 0.98 ? 0n : -1n;
        assert.equal(core.gateOnFeed(GATE, tick(), seq), ref.onFeed(clock, seq), `feed, ${where}`);
      } else if (u < 0.55) {
        const healthy = r() < 0.6 ? 1 : r() < 0.8 ? 0 : Math.floor(r() * 7) - 3;
        assert.equal(core.gateOnRtt(GATE, healthy, tick()), ref.onRtt(healthy, clock), `rtt, ${where}`);
      } else if (u < 0.6) {
        core.gateResync(GATE, tick());
        ref.resync(clock);
      } else if (u < 0.65) {
        crossed = !crossed;
        core.bookSet(BOOK, ASK, 1010, crossed ? 1 : 0);
      } else {
        const mask = core.gateEvaluate(GATE, BOOK, tick());
        assert.equal(mask, ref.evaluate(crossed, clock), `evaluate, ${where}`);
        seen.add(mask);
      }
    }
    assert.equal(core.gateGaps(GATE), ref.gaps);
    assert.equal(core.gateClockFaults(GATE), ref.clockFaults);
  }
  assert.ok(seen.size >= 24, `${seen.size} distinct masks seen`);
});

test('init refuses non-positive limits and misalignment', async () => {
  const { core } = await testCore();
  assert.equal(core.gateInit(GATE, 0n), GateStatus.BAD_LIMIT);
  assert.equal(core.gateInit(GATE, -5n), GateStatus.BAD_LIMIT);
  assert.equal(core.gateInit(GATE + 4, 1n), GateStatus.MISALIGNED);
  assert.ok(core.gateBytes() >= 64 && core.gateBytes() % 8 === 0);
  assert.deepEqual(describeTrustFailures(0), []);
  assert.deepEqual(describeTrustFailures(64 | TrustCheck.SEQ_GAP), ['SEQ_GAP', 'UNKNOWN(0x40)']);
});
