// A log line sink for error paths that a misbehaving peer can trigger at line rate (bad frames,
// rejects): at most `maxLines` lines per `windowMs`, then one line saying how many were suppressed.
// Never on the per-frame path of good input: only called when something is already wrong.

import { NS_PER_MS, liveClock, type Clock } from './clock.js';

export type LogSink = (line: string) => void;

export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

export class RateLimitedLog {
  private windowStart = 0;
  private lines = 0;
  private suppressed = 0;

  constructor(
    private readonly prefix: string,
    private readonly sink: LogSink = stderrSink,
    private readonly maxLines = 10,
    private readonly windowMs = 1000,
    private readonly clock: Clock = liveClock,
  ) {}

  /** Lines suppressed since construction (the sum over every window). */
  totalSuppressed = 0;

  log(line: string): void {
    const now = this.clock.nowNs() / NS_PER_MS;
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) this.sink(`${this.prefix}: ${this.suppressed} similar line(s) suppressed`);
      this.windowStart = now;
      this.lines = 0;
      this.suppressed = 0;
    }
    if (this.lines < this.maxLines) {
      this.lines++;
      this.sink(`${this.prefix}: ${line}`);
    } else {
      this.suppressed++;
      this.totalSuppressed++;
    }
  }
}
