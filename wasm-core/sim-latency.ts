// The simulator's recorded-latency model (SimLatency.TABLE): round trips recorded by the live engine (its
// journal: an order's send → its ack) drawn at random, with replacement, from the table, on the core's seeded
// generator, so a run stays a pure function of its seed. An order's round trip is drawn when it is sent and
// split evenly between its two legs (order → venue, report → us); a report that answers no order of ours
// (a fill of a resting order) travels half of its own draw. The execution core then sees, on each ack, the
// round trip that order really had in the simulation.
//
// Layout at `l` (8-byte aligned), simLatencyBytes(count):
//   +0 count u32 · +4 reserved · +8 generator (16 bytes, seeded-random.ts) · +24 reserved · +32 round trips i64[count]
import { randomBelow, randomSeed } from "./seeded-random";

const COUNT: usize = 0;
const RNG: usize = 8;
const TABLE: usize = 32;

export namespace SimLatencyStatus {
  export const BAD_ARGUMENT: i32 = -1;
}

/** Bytes of a table of `count` round trips (0 when count is out of [1, 16 777 216]). */
export function simLatencyBytes(count: i32): usize {
  if (count < 1 || count > (1 << 24)) return 0;
  return TABLE + (<usize>count << 3);
}

/** An empty table of `count` round trips (all 0 until set), its generator seeded with `seed`. 0 or BAD_ARGUMENT. */
export function simLatencyInit(l: usize, count: i32, seed: u32): i32 {
  if (simLatencyBytes(count) == 0 || (l & 7) != 0) return SimLatencyStatus.BAD_ARGUMENT;
  store<u32>(l + COUNT, <u32>count);
  randomSeed(l + RNG, seed);
  memory.fill(l + TABLE, 0, <usize>count << 3);
  return 0;
}

/** Round trip `k` (ns, > 0). 0 or BAD_ARGUMENT. */
export function simLatencySet(l: usize, k: i32, roundTripNs: i64): i32 {
  if (k < 0 || <u32>k >= load<u32>(l + COUNT) || roundTripNs <= 0) return SimLatencyStatus.BAD_ARGUMENT;
  store<i64>(l + TABLE + (<usize>k << 3), roundTripNs);
  return 0;
}

/** One round trip drawn uniformly from the table (ns). */
export function simLatencyDraw(l: usize): i64 {
  const k = randomBelow(l + RNG, load<u32>(l + COUNT));
  return load<i64>(l + TABLE + (<usize>k << 3));
}
