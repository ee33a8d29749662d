// The one clock of the host: monotonic nanoseconds for every stamp and interval, and timers in the
// same time base. Everything that reads time or waits for it (feed handler, gateway, venue, CLIs)
// receives a Clock; only `liveClock` touches the real one, so tests drive time with a manual clock
// (tests/testkit/manual-clock.ts) instead of sleeping.
//
// Time base: CLOCK_MONOTONIC via process.hrtime.bigint(), the latency points' clock (T0 socket read,
// T4 order written, T5 ack) and the venue's send stamps alike, so on one machine the two compare.
// Returned as a `number` of nanoseconds: stored in a Float64Array and passed on without a BigInt per
// read. A double holds every integer nanosecond up to 2^53 ns (104 days of machine uptime); past that
// stamps round to 2 ns, which no latency figure here can see. One read per socket read or write,
// never per frame.

/** A pending timer; cancel() is idempotent and safe after it fired. */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Monotonic time, ns. */
  nowNs(): number;
  /** Wall-clock time, ms since the Unix epoch: for dates and log lines only, never for intervals. */
  wallMs(): number;
  /** Calls `fn` once, `delayMs` from now (0: on a later turn of the event loop, never synchronously). */
  setTimer(delayMs: number, fn: () => void): Timer;
  /** Calls `fn` every `periodMs` until cancelled. */
  setInterval(periodMs: number, fn: () => void): Timer;
}

export const NS_PER_MS = 1_000_000;

/** The real clock: hrtime, Date.now, setTimeout/setInterval. */
export const liveClock: Clock = {
  nowNs: () => Number(process.hrtime.bigint()),
  wallMs: () => Date.now(),
  setTimer(delayMs, fn) {
    const t = setTimeout(fn, delayMs);
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(periodMs, fn) {
    const t = setInterval(fn, periodMs);
    return { cancel: () => clearInterval(t) };
  },
};
