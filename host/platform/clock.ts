// The clock of the latency points (ARCHITECTURE.md): T0 market-data bytes read, T4 order bytes written,
// T5 venue ack received. CLOCK_MONOTONIC via process.hrtime.bigint(), the venue's `sendNs` clock too,
// so on one machine the two are comparable.
//
// Returned as a `number` of nanoseconds: stored in a Float64Array and passed to callbacks without a
// BigInt per read. A double holds every integer nanosecond up to 2^53 ns (104 days of monotonic time,
// i.e. machine uptime); past that stamps round to 2 ns, which no latency figure here can see.
// One call per socket read or write, never per frame.

export function monoNs(): number {
  return Number(process.hrtime.bigint());
}
