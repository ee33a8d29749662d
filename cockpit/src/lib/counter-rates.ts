// Orders/s, fills/s, cancels/s and rejects/s from the engine's cumulative counters, which arrive in every frame.
// A rate is the counter's growth over the frames of the last `windowMs` divided by their wall-clock span:
// one frame's delta (66 ms at 15 Hz) would jump between 0 and 15× the truth. The counters are u32 and wrap,
// so growth is taken modulo 2^32; a restarted engine (another pid) starts them again at 0, which must not read
// as a burst, so the history starts over.

export interface CounterSample {
  readonly wallMs: number;
  /** The engine that published the counters (a change means the counters restarted). */
  readonly pid: number;
  readonly counters: Readonly<Record<string, number>>;
}

export class CounterRates {
  private readonly samples: CounterSample[] = [];

  constructor(private readonly windowMs = 1000) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
  }

  push(s: CounterSample): void {
    const last = this.samples[this.samples.length - 1];
    if (last && (last.pid !== s.pid || s.wallMs <= last.wallMs)) this.samples.length = 0;
    this.samples.push(s);
    // Keep the newest sample that is at least a window old, as the base of the rate.
    while (this.samples.length > 2 && s.wallMs - this.samples[1]!.wallMs >= this.windowMs) this.samples.shift();
  }

  /** Per-second growth of `name` over the window, or null before two samples. */
  rate(name: string): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || first === last) return null;
    const grew = ((last.counters[name] ?? 0) - (first.counters[name] ?? 0)) >>> 0;
    return (grew * 1000) / (last.wallMs - first.wallMs);
  }

  clear(): void {
    this.samples.length = 0;
  }
}
