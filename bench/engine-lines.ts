// The result lines of `npm run bench -- engine` (issue 8, point 7), built from plain numbers so their
// shape is tested without an engine:
//   {"bench":"engine","topology":"fused"|"modules","tick_to_order_us":{"p50","p99","p999"},
//    "wire_to_order_us":{…},"venue_reaction_us":{…},"echo_floor_rtt_us":{…},"samples":N, …}
//   {"bench":"engine_sustained","topology":…,"orders_acked_per_s":…,"seconds":60,"rss_mb_start":…,
//    "rss_mb_end":…,"gc":{"<worker>":{"scavenges":…,"mark_sweeps":…}}, …}
// tick-to-order (T4 − T0) and wire-to-order (T4 − Tv) are the engine's own histograms (its stopped
// line, ns); venue reaction (order arrival − Tv) comes from the venue's audit; the echo floor is a bare
// Node round trip at the market data's spacing, measured in the same run. µs, 3 decimals.
import { percentiles } from './stats.js';
import type { GcCounts } from '../host/platform/engine-process.js';

/** A latency summary in ns, as the engine's stopped line carries it. */
export interface NsSummary {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly count?: number;
  readonly max?: number;
}

export interface UsSummary {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
}

const us = (ns: number): number => Math.round(ns) / 1000;

/** ns → µs, 3 decimals; null for a figure the engine did not report or measured no sample of. */
export function toUs(s: NsSummary | null | undefined): UsSummary | null {
  if (s === null || s === undefined || s.count === 0) return null;
  return { p50: us(s.p50), p99: us(s.p99), p999: us(s.p999) };
}

/** Nearest-rank percentiles of ns samples, in µs; null for no samples. */
export function summaryUs(samplesNs: Float64Array): UsSummary | null {
  if (samplesNs.length === 0) return null;
  const p = percentiles(samplesNs, 1e-3);
  return { p50: p.p50, p99: p.p99, p999: p.p999 };
}

export interface EngineRunFigures {
  readonly topology: string;
  readonly tickToOrderNs: NsSummary | null;
  readonly wireToOrderNs: NsSummary | null;
  /** Order arrival − Tv per paired order, ns (reaction-pairing.ts). */
  readonly venueReactionNs: Float64Array;
  /** Order arrival − the order's own header stamp, ns. */
  readonly orderWireInNs: Float64Array;
  readonly unpaired: number;
  readonly ambiguous: number;
  readonly echoFloorRttUs: UsSummary;
  readonly echoSpacingUs: number;
  /** The echo floor's achieved spacing and the market data's, µs: the floor is fair when they are close. */
  readonly echoMeanSpacingUs: number;
  readonly mdMeanSpacingUs: number;
  readonly seconds: number;
  /** Orders the venue counted from the engine's user during the run. */
  readonly venueOrders: number;
}

export interface EngineLine {
  readonly bench: 'engine';
  readonly topology: string;
  readonly tick_to_order_us: UsSummary | null;
  readonly wire_to_order_us: UsSummary | null;
  readonly venue_reaction_us: UsSummary | null;
  readonly echo_floor_rtt_us: UsSummary;
  /** Tick-to-order samples (the engine's histogram count). */
  readonly samples: number;
  readonly venue_reaction_samples: number;
  readonly venue_reaction_unpaired: number;
  readonly venue_reaction_ambiguous: number;
  /** The acceptance ratio: venue reaction p50 over the echo floor's round trip p50 (≤ 1.5 wanted). */
  readonly venue_reaction_over_floor_p50: number | null;
  readonly order_wire_in_us: UsSummary | null;
  readonly echo_floor_spacing_us: number;
  readonly echo_floor_mean_spacing_us: number;
  readonly md_mean_spacing_us: number;
  readonly seconds: number;
  readonly venue_orders: number;
}

export function engineLine(f: EngineRunFigures): EngineLine {
  const reaction = summaryUs(f.venueReactionNs);
  return {
    bench: 'engine',
    topology: f.topology,
    tick_to_order_us: toUs(f.tickToOrderNs),
    wire_to_order_us: toUs(f.wireToOrderNs),
    venue_reaction_us: reaction,
    echo_floor_rtt_us: f.echoFloorRttUs,
    samples: f.tickToOrderNs?.count ?? 0,
    venue_reaction_samples: f.venueReactionNs.length,
    venue_reaction_unpaired: f.unpaired,
    venue_reaction_ambiguous: f.ambiguous,
    venue_reaction_over_floor_p50: reaction === null || f.echoFloorRttUs.p50 <= 0 ? null
      : Math.round((reaction.p50 / f.echoFloorRttUs.p50) * 100) / 100,
    order_wire_in_us: summaryUs(f.orderWireInNs),
    echo_floor_spacing_us: f.echoSpacingUs,
    echo_floor_mean_spacing_us: f.echoMeanSpacingUs,
    md_mean_spacing_us: Math.round(f.mdMeanSpacingUs * 100) / 100,
    seconds: f.seconds,
    venue_orders: f.venueOrders,
  };
}

export type { GcCounts };

export interface SustainedFigures {
  readonly topology: string;
  /** Acks the venue sent the engine's user during the timed part. */
  readonly acks: number;
  readonly seconds: number;
  readonly rssBytesStart: number;
  readonly rssBytesEnd: number;
  /** Per worker (or isolate), over the timed part; null when nobody could count. */
  readonly gc: Record<string, GcCounts> | null;
  readonly rejects: number;
}

export interface SustainedLine {
  readonly bench: 'engine_sustained';
  readonly topology: string;
  readonly orders_acked_per_s: number;
  readonly seconds: number;
  readonly rss_mb_start: number;
  readonly rss_mb_end: number;
  /** (end − start) / start, % (< 5 wanted). */
  readonly rss_growth_pct: number;
  readonly gc: Record<string, GcCounts> | null;
  readonly rejects: number;
}

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

export function sustainedLine(f: SustainedFigures): SustainedLine {
  return {
    bench: 'engine_sustained',
    topology: f.topology,
    orders_acked_per_s: f.seconds > 0 ? Math.round(f.acks / f.seconds) : 0,
    seconds: f.seconds,
    rss_mb_start: mb(f.rssBytesStart),
    rss_mb_end: mb(f.rssBytesEnd),
    rss_growth_pct: f.rssBytesStart > 0 ? Math.round(((f.rssBytesEnd - f.rssBytesStart) / f.rssBytesStart) * 1000) / 10 : 0,
    gc: f.gc,
    rejects: f.rejects,
  };
}
