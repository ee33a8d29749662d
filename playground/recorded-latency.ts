// The playground's recorded-latency model input: an engine journal's bytes → the order round trips the simulator
// draws from (SimOptions.roundTripsNs, SimLatency.TABLE), read exactly as `npm run sim -- --latency-from <journal>`
// reads the file (host/journal/round-trips.ts), so the same journal and seed give the same run; with the table's
// size and its median and 99th percentile for the page.
import { journalBytesRoundTrips } from '../host/journal/round-trips.js';
import { MAX_ROUND_TRIPS } from '../host/sim/sim-options.js';

export interface RecordedLatency {
  /** The journal's name, as the page was given it. */
  readonly source: string;
  /** Round trips, ns, in the journal's ack order (the table's order: the draws index it). */
  readonly roundTripsNs: readonly number[];
  readonly p50Ns: number;
  readonly p99Ns: number;
}

/** A journal that gives no usable table; the message names the file. */
export class RecordedLatencyError extends Error {
  override readonly name = 'RecordedLatencyError';
}

/** The nearest-rank percentile (the smallest value with at least q of the values at or below it), q in (0, 1]. */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

export function recordedLatency(bytes: Uint8Array, source: string): RecordedLatency {
  let trips: number[];
  try {
    trips = journalBytesRoundTrips(bytes, source);
  } catch (err) {
    // JournalFormatError (a bad header) already names the file.
    throw new RecordedLatencyError((err as Error).message);
  }
  if (trips.length === 0) throw new RecordedLatencyError(`${source}: the journal has no acknowledged order (no round trip to draw from)`);
  if (trips.length > MAX_ROUND_TRIPS) throw new RecordedLatencyError(`${source}: ${trips.length} round trips, at most ${MAX_ROUND_TRIPS}`);
  const sorted = [...trips].sort((a, b) => a - b);
  return { source, roundTripsNs: trips, p50Ns: nearestRank(sorted, 0.5), p99Ns: nearestRank(sorted, 0.99) };
}
