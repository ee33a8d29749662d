// The latency histograms of the engine (docs/telemetry.md "Latency series"): one HdrHistogram per series,
// recorded by the cool worker from the stamps the hot path left in its sample ring, never on the hot path.
//
// A sample is one tick's stamps, monotonic ns on the one host clock (platform/clock.ts): T0 bytes read,
// T1 book updated, T2 signal, T3 decision and risk passed, T4 order written, Tv the venue's send stamp.
// A stamp of 0 means "did not happen" (no order from this tick: T3 and T4 are 0): a series is recorded only
// when both of its stamps are set and in order, so a tick without an order adds to T0→T1 and T1→T2 only.
// A value above the histogram's range is recorded as the range's top and counted in `clamped`.
//
// HdrHistogram with 3 significant digits: a percentile is exact to 0.1 % (the histogram reports the highest
// value equivalent to the sample at that rank), whatever the range, at a fixed size (about 100 KB a series).
import * as hdr from 'hdr-histogram-js';
import { LATENCY_BUCKET_BOUNDS_NS, LATENCY_SERIES_COUNT, LatencySeries } from './segment-layout.js';

/** The stamps of one sample, in this order, in a sample record (a Float64Array slice). */
export const LATENCY_SAMPLE_FIELDS = ['t0', 't1', 't2', 't3', 't4', 'tv'] as const;

/** One series as the segment's LatencyBlock carries it, ns (0 when empty). */
export interface LatencySummary {
  count: number;
  minNs: number;
  p50Ns: number;
  p90Ns: number;
  p95Ns: number;
  p99Ns: number;
  p999Ns: number;
  maxNs: number;
}

export function emptySummary(): LatencySummary {
  return { count: 0, minNs: 0, p50Ns: 0, p90Ns: 0, p95Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 };
}

export interface LatencyHistogramsOptions {
  /** Largest value kept exactly, ns (default 60 s); above it a sample counts as this. */
  readonly highestNs?: number;
}

export class LatencyHistograms {
  private readonly series: hdr.Histogram[] = [];
  private readonly highestNs: number;
  /** Samples above the range, recorded as its top. */
  clamped = 0;
  /** Per series: the sum of its samples, ns (for Prometheus' _sum). */
  private readonly sums = new Float64Array(LATENCY_SERIES_COUNT);
  /** Per series: samples in each LATENCY_BUCKET_BOUNDS_NS bucket (not cumulative), then above the last. */
  private readonly buckets = new Float64Array(LATENCY_SERIES_COUNT * (LATENCY_BUCKET_BOUNDS_NS.length + 1));
  private readonly cumulative = new Array<number>(LATENCY_BUCKET_BOUNDS_NS.length).fill(0);

  constructor(options: LatencyHistogramsOptions = {}) {
    this.highestNs = options.highestNs ?? 60e9;
    if (!Number.isSafeInteger(this.highestNs) || this.highestNs < 2) {
      throw new RangeError(`latency histograms: highestNs must be an integer ≥ 2, got ${this.highestNs}`);
    }
    for (let i = 0; i < LATENCY_SERIES_COUNT; i++) {
      this.series.push(hdr.build({
        lowestDiscernibleValue: 1, highestTrackableValue: this.highestNs, numberOfSignificantValueDigits: 3, autoResize: false,
      }));
    }
  }

  /** Record one interval of `series`, ns. Negative or non-finite intervals are ignored (returns false). */
  recordInterval(series: LatencySeries, ns: number): boolean {
    if (!(ns >= 0) || !Number.isFinite(ns)) return false;
    let v = Math.round(ns);
    if (v > this.highestNs) {
      v = this.highestNs;
      this.clamped++;
    }
    this.series[series]!.recordValue(v);
    this.sums[series] += v;
    let k = 0;
    while (k < LATENCY_BUCKET_BOUNDS_NS.length && v > LATENCY_BUCKET_BOUNDS_NS[k]!) k++;
    this.buckets[series * (LATENCY_BUCKET_BOUNDS_NS.length + 1) + k]!++;
    return true;
  }

  /** Sum of the samples of `series`, ns. */
  sumNs(series: LatencySeries): number {
    return this.sums[series]!;
  }

  /** Cumulative counts of `series`: samples ≤ each LATENCY_BUCKET_BOUNDS_NS (one array, reused by the next call). */
  bucketCounts(series: LatencySeries): readonly number[] {
    const width = LATENCY_BUCKET_BOUNDS_NS.length + 1;
    let n = 0;
    for (let k = 0; k < LATENCY_BUCKET_BOUNDS_NS.length; k++) {
      n += this.buckets[series * width + k]!;
      this.cumulative[k] = n;
    }
    return this.cumulative;
  }

  private between(series: LatencySeries, from: number, to: number): void {
    if (from > 0 && to > 0 && to >= from) this.recordInterval(series, to - from);
  }

  /** Record one tick's stamps (ns; 0: that point was not reached). */
  record(t0: number, t1: number, t2: number, t3: number, t4: number, tv: number): void {
    this.between(LatencySeries.T0_T1, t0, t1);
    this.between(LatencySeries.T1_T2, t1, t2);
    this.between(LatencySeries.T2_T3, t2, t3);
    this.between(LatencySeries.T3_T4, t3, t4);
    this.between(LatencySeries.TICK_TO_ORDER, t0, t4);
    this.between(LatencySeries.WIRE_TO_ORDER, tv, t4);
  }

  /** Record the sample whose stamps start at `samples[at]`, in LATENCY_SAMPLE_FIELDS order. */
  recordFrom(samples: Float64Array, at: number): void {
    this.record(samples[at]!, samples[at + 1]!, samples[at + 2]!, samples[at + 3]!, samples[at + 4]!, samples[at + 5]!);
  }

  /** Record a round trip: ack received (T5) − order written (T4), ns. */
  recordRtt(rttNs: number): void {
    this.recordInterval(LatencySeries.RTT, rttNs);
  }

  /** The summary of `series` into `out` (reused by the caller). */
  summary(series: LatencySeries, out: LatencySummary = emptySummary()): LatencySummary {
    const h = this.series[series];
    if (!h) throw new RangeError(`latency series ${series} outside [0, ${LATENCY_SERIES_COUNT})`);
    const n = h.totalCount;
    out.count = n;
    if (n === 0) {
      out.minNs = out.p50Ns = out.p90Ns = out.p95Ns = out.p99Ns = out.p999Ns = out.maxNs = 0;
      return out;
    }
    out.minNs = h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue;
    out.p50Ns = h.getValueAtPercentile(50);
    out.p90Ns = h.getValueAtPercentile(90);
    out.p95Ns = h.getValueAtPercentile(95);
    out.p99Ns = h.getValueAtPercentile(99);
    out.p999Ns = h.getValueAtPercentile(99.9);
    out.maxNs = h.maxValue;
    return out;
  }

  /** Forget every sample (a new measurement window). */
  reset(): void {
    for (const h of this.series) h.reset();
    this.clamped = 0;
    this.sums.fill(0);
    this.buckets.fill(0);
  }
}
