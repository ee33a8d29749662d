// Human log of the venue, on stderr (stdout carries only the machine-readable ready line).
//
// Bad frames and disconnects can arrive at wire speed from a broken client, so those lines go
// through a budget: at most `burst` lines per `windowMs` per category; what is left out is counted
// and reported in one line when the window rolls over. Counters are kept for every event either way.
import { NS_PER_MS, liveClock, type Clock } from '../platform/clock.js';

export class VenueLog {
  /** Events per category since start (logged or not). */
  readonly counts = new Map<string, number>();
  private readonly window = new Map<string, { start: number; logged: number; suppressed: number }>();

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly burst = 20,
    private readonly windowMs = 1000,
    private readonly clock: Clock = liveClock,
  ) {}

  info(message: string): void {
    this.write(`venue: ${message}\n`);
  }

  /** Counts an event without logging it. */
  count(category: string): void {
    this.counts.set(category, (this.counts.get(category) ?? 0) + 1);
  }

  /** A rate-limited line of `category` (e.g. 'bad-frame', 'disconnect'). */
  event(category: string, message: string): void {
    this.counts.set(category, (this.counts.get(category) ?? 0) + 1);
    const now = Math.floor(this.clock.nowNs() / NS_PER_MS);
    let w = this.window.get(category);
    if (w === undefined) {
      w = { start: now, logged: 0, suppressed: 0 };
      this.window.set(category, w);
    }
    if (now - w.start >= this.windowMs) {
      if (w.suppressed > 0) this.write(`venue: ${category}: ${w.suppressed} more not logged in the last ${now - w.start} ms\n`);
      w.start = now;
      w.logged = 0;
      w.suppressed = 0;
    }
    if (w.logged < this.burst) {
      w.logged++;
      this.write(`venue: ${category}: ${message}\n`);
    } else {
      w.suppressed++;
    }
  }
}
