// Reconnect delays: exponential from `initialMs`, doubling per failed attempt up to `maxMs`, each
// delay shortened by a random fraction of at most `jitter` (0..1) so that many clients dropped by one
// venue restart do not reconnect in lock-step. reset() after a connection proved good.

export interface BackoffConfig {
  /** First delay, ms (> 0). */
  readonly initialMs: number;
  /** Largest delay, ms (≥ initialMs). */
  readonly maxMs: number;
  /** Fraction of each delay that is randomised away, 0..1 (0: exact doubling). */
  readonly jitter: number;
}

export class Backoff {
  /** Delays handed out since the last reset(). */
  attempt = 0;

  constructor(readonly config: BackoffConfig, private readonly random: () => number = Math.random) {
    const { initialMs, maxMs, jitter } = config;
    if (!(initialMs > 0)) throw new RangeError(`backoff initialMs must be > 0, got ${initialMs}`);
    if (!(maxMs >= initialMs)) throw new RangeError(`backoff maxMs must be >= initialMs (${initialMs}), got ${maxMs}`);
    if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`backoff jitter must be in 0..1, got ${jitter}`);
  }

  /** The next delay in ms: min(maxMs, initialMs · 2^attempt) · (1 − jitter · U[0,1)). */
  next(): number {
    const { initialMs, maxMs, jitter } = this.config;
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt, 40));
    this.attempt++;
    return base * (1 - jitter * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
