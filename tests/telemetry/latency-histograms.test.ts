// The latency histograms against exact percentiles of the same samples (sorted arrays): every percentile
// within the HdrHistogram's 3 significant digits (0.1 %), per series, on seeded log-uniform samples from
// 1 µs to 50 ms; stamps not reached (0) or out of order add nothing; values above the range are clamped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LATENCY_BUCKET_BOUNDS_NS, LatencyHistograms, LatencySeries, emptySummary } from '../../host/telemetry/index.js';
import { rng } from '../testkit/core.js';

/** The exact value at percentile q (nearest rank, as HdrHistogram defines it); rank in integers, q × 1000 given. */
function exact(sorted: readonly number[], qMilli: number): number {
  const rank = Math.max(1, Math.ceil((qMilli * sorted.length) / 100_000));
  return sorted[rank - 1]!;
}

test('every series\' percentiles are the exact ones to 0.1 %', () => {
  const h = new LatencyHistograms();
  const r = rng(21);
  const logUniform = (): number => Math.round(Math.exp(Math.log(1000) + r() * (Math.log(50e6) - Math.log(1000))));
  const ref: Record<string, number[]> = { T0_T1: [], T1_T2: [], T2_T3: [], T3_T4: [], TICK_TO_ORDER: [], WIRE_TO_ORDER: [], RTT: [] };
  for (let i = 0; i < 20_000; i++) {
    const tv = 1e12 + i * 1e6;
    const t0 = tv + logUniform();
    const t1 = t0 + logUniform();
    const t2 = t1 + logUniform();
    const ordered = r() < 0.6; // 40 % of ticks place no order: T3 and T4 are 0
    const t3 = ordered ? t2 + logUniform() : 0;
    const t4 = ordered ? t3 + logUniform() : 0;
    h.record(t0, t1, t2, t3, t4, tv);
    ref.T0_T1!.push(t1 - t0);
    ref.T1_T2!.push(t2 - t1);
    if (ordered) {
      ref.T2_T3!.push(t3 - t2);
      ref.T3_T4!.push(t4 - t3);
      ref.TICK_TO_ORDER!.push(t4 - t0);
      ref.WIRE_TO_ORDER!.push(t4 - tv);
    }
    if (i % 3 === 0) {
      const rtt = logUniform();
      h.recordRtt(rtt);
      ref.RTT!.push(rtt);
    }
  }
  for (const [name, code] of Object.entries(LatencySeries)) {
    const sorted = ref[name]!.sort((a, b) => a - b);
    const s = h.summary(code, emptySummary());
    assert.equal(s.count, sorted.length, `${name} count`);
    const close = (got: number, want: number, what: string): void =>
      assert.ok(Math.abs(got - want) <= want * 0.001 + 1, `${name} ${what}: ${got} vs exact ${want}`);
    close(s.minNs, sorted[0]!, 'min');
    close(s.maxNs, sorted.at(-1)!, 'max');
    close(s.p50Ns, exact(sorted, 50_000), 'p50');
    close(s.p90Ns, exact(sorted, 90_000), 'p90');
    close(s.p95Ns, exact(sorted, 95_000), 'p95');
    close(s.p99Ns, exact(sorted, 99_000), 'p99');
    close(s.p999Ns, exact(sorted, 99_900), 'p99.9');
  }
});

test('unreached or reversed stamps add nothing; the sample record form is the same as the arguments', () => {
  const h = new LatencyHistograms();
  h.record(100, 0, 0, 0, 0, 0);
  h.record(100, 90, 0, 0, 0, 0);
  assert.equal(h.summary(LatencySeries.T0_T1).count, 0);
  const rec = new Float64Array([0, 0, 1000, 1100, 1300, 1700, 2000, 900]);
  h.recordFrom(rec, 2);
  const s = h.summary(LatencySeries.TICK_TO_ORDER);
  assert.deepEqual([s.count, s.minNs, s.maxNs], [1, 1000, 1000]);
  assert.equal(h.summary(LatencySeries.WIRE_TO_ORDER).maxNs, 1100, 'T4 − Tv');
  assert.equal(h.recordInterval(LatencySeries.RTT, -5), false);
  assert.equal(h.recordInterval(LatencySeries.RTT, Number.NaN), false);
  h.reset();
  assert.equal(h.summary(LatencySeries.TICK_TO_ORDER).count, 0);
  assert.throws(() => h.summary(9 as LatencySeries), /latency series 9 outside/);
});

test('a value above the range is kept as the range\'s top and counted', () => {
  const h = new LatencyHistograms({ highestNs: 1_000_000 });
  h.recordRtt(5_000_000);
  h.recordRtt(10);
  assert.equal(h.clamped, 1);
  const s = h.summary(LatencySeries.RTT);
  assert.ok(s.maxNs >= 1_000_000 && s.maxNs <= 1_001_000, `max ${s.maxNs}`);
  assert.throws(() => new LatencyHistograms({ highestNs: 1.5 }), /highestNs must be an integer ≥ 2/);
});

test('bucket counts and sums are exact: every sample counted under every bound at or above it', () => {
  const h = new LatencyHistograms();
  const r = rng(5);
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const ns = Math.round(Math.exp(Math.log(1000) + r() * (Math.log(3e9) - Math.log(1000)))); // 1 µs .. 3 s
    samples.push(ns);
    h.recordInterval(LatencySeries.TICK_TO_ORDER, ns);
  }
  for (const bound of LATENCY_BUCKET_BOUNDS_NS) h.recordInterval(LatencySeries.TICK_TO_ORDER, bound); // on the bound: counted ≤
  samples.push(...LATENCY_BUCKET_BOUNDS_NS);
  const want = LATENCY_BUCKET_BOUNDS_NS.map((b) => samples.filter((s) => s <= b).length);
  assert.deepEqual([...h.bucketCounts(LatencySeries.TICK_TO_ORDER)], want);
  assert.equal(h.sumNs(LatencySeries.TICK_TO_ORDER), samples.reduce((a, b) => a + b, 0));
  assert.deepEqual([...h.bucketCounts(LatencySeries.RTT)], LATENCY_BUCKET_BOUNDS_NS.map(() => 0), 'other series untouched');
  h.reset();
  assert.equal(h.sumNs(LatencySeries.TICK_TO_ORDER), 0);
  assert.deepEqual([...h.bucketCounts(LatencySeries.TICK_TO_ORDER)], LATENCY_BUCKET_BOUNDS_NS.map(() => 0));
});
