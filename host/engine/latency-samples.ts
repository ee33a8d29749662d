// The engine's latency figures, recorded on the cool side from the execution thread's LATENCY records (the
// hot path only stamps; it never records into a histogram): per decision that sent orders, T0→T1 (book),
// T1→T2 (signal), T2→T3 (decision and risk), T3→T4 (encode and write), tick-to-order T0→T4 and
// wire-to-order Tv→T4; and the order path's round trips. HDR histograms (hdr-histogram-js, 3 significant
// digits, 1 ns .. 100 s), published to the segment's latency blocks and summarised at exit.
import * as hdr from 'hdr-histogram-js';
import { SegmentBlock } from '../telemetry/segment-block.js';
import type { EngineSegment } from '../telemetry/segment-writer.js';
import { LatencySeries, LATENCY_SERIES_COUNT } from '../telemetry/segment-layout.js';

const HIGHEST_NS = 100e9;

export interface Percentiles { readonly count: number; readonly p50: number; readonly p99: number; readonly p999: number; readonly max: number }

export class LatencySamples {
  private readonly series: hdr.Histogram[] = [];
  private blocks: SegmentBlock[] | null = null;

  constructor() {
    for (let i = 0; i < LATENCY_SERIES_COUNT; i++) {
      this.series.push(hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_NS, numberOfSignificantValueDigits: 3 }));
    }
  }

  private record(series: number, ns: number): void {
    if (ns >= 0 && ns < HIGHEST_NS) this.series[series]!.recordValue(Math.max(1, Math.round(ns)));
  }

  decision(t0: number, tv: number, t1: number, t2: number, t3: number, t4: number): void {
    this.record(LatencySeries.T0_T1, t1 - t0);
    this.record(LatencySeries.T1_T2, t2 - t1);
    this.record(LatencySeries.T2_T3, t3 - t2);
    this.record(LatencySeries.T3_T4, t4 - t3);
    this.record(LatencySeries.TICK_TO_ORDER, t4 - t0);
    if (tv > 0) this.record(LatencySeries.WIRE_TO_ORDER, t4 - tv);
  }

  rtt(ns: number): void {
    this.record(LatencySeries.RTT, ns);
  }

  percentiles(series: number): Percentiles {
    const h = this.series[series]!;
    const count = h.totalCount;
    return {
      count, p50: count ? h.getValueAtPercentile(50) : 0, p99: count ? h.getValueAtPercentile(99) : 0,
      p999: count ? h.getValueAtPercentile(99.9) : 0, max: count ? h.maxValue : 0,
    };
  }

  /** Every series into the segment's latency blocks. */
  publish(segment: EngineSegment): void {
    if (this.blocks === null) {
      this.blocks = [];
      for (let i = 0; i < LATENCY_SERIES_COUNT; i++) this.blocks.push(new SegmentBlock(segment.sab, 'latency', i));
    }
    for (let i = 0; i < LATENCY_SERIES_COUNT; i++) {
      const h = this.series[i]!;
      const n = h.totalCount;
      this.blocks[i]!.publish({
        series: i, count: n, minNs: n ? h.minNonZeroValue : 0, p50Ns: n ? h.getValueAtPercentile(50) : 0,
        p90Ns: n ? h.getValueAtPercentile(90) : 0, p99Ns: n ? h.getValueAtPercentile(99) : 0,
        p999Ns: n ? h.getValueAtPercentile(99.9) : 0, maxNs: n ? h.maxValue : 0,
      });
    }
  }
}
