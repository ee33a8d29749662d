// A one-way delay line: what is pushed comes out `fixed + jitter` later, in push order.
//
// Each item's delivery time is max(previous delivery time, now + fixed + U[0, jitter]) — jitter
// spreads the delays but never reorders a connection's frames (TCP does not either). With fixed and
// jitter both 0 an item is delivered inside push(), with no extra tick.
//
// Waiting without burning a core: a coarse timer brings us to about a millisecond before the head
// item is due (real timers fire late by up to ~1 ms), then setImmediate re-checks until it is. So
// the event loop only spins in the last millisecond before a delivery, and not at all when idle.
// Time is the injected clock's; a clock other than the live one (a test's manual clock) fires its
// timers on time, so there the line waits on the timer alone.
//
// The delay can change while the venue runs (setLatency, the venue's runtime control): items already
// waiting keep their delivery times, new ones get the new delay but never overtake them.
import { NS_PER_MS, liveClock, type Clock, type Timer } from '../../platform/clock.js';
import { SeededRandom } from '../../platform/seeded-random.js';
import type { LatencySpec } from '../venue-config.js';

/** Timers are only trusted this close (ms); the rest of the wait is setImmediate polling. */
const TIMER_SLACK_MS = 1.5;

export class LatencyLine<T> {
  private fixedMs: number;
  private jitterMs: number;
  private readonly items: T[] = [];
  private readonly due: number[] = [];
  private head = 0;
  private lastDue = 0;
  private timer: Timer | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;
  private readonly poll = (): void => this.run();
  private readonly slackMs: number;

  constructor(
    spec: LatencySpec,
    private readonly random: SeededRandom,
    private readonly deliver: (item: T) => void,
    private readonly clock: Clock = liveClock,
  ) {
    this.slackMs = clock === liveClock ? TIMER_SLACK_MS : 0;
    this.fixedMs = spec.fixedUs / 1000;
    this.jitterMs = spec.jitterUs / 1000;
  }

  /** True when the line adds no delay at all. */
  get instant(): boolean {
    return this.fixedMs === 0 && this.jitterMs === 0;
  }

  /** True when an item pushed now would be delivered inside push(): no delay and nothing waiting. */
  get idle(): boolean {
    return this.instant && this.items.length === this.head;
  }

  /** A new delay for items pushed from now on. */
  setLatency(spec: LatencySpec): void {
    this.fixedMs = spec.fixedUs / 1000;
    this.jitterMs = spec.jitterUs / 1000;
  }

  /** Items waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.idle) {
      this.deliver(item);
      return;
    }
    const now = this.nowMs();
    const jitter = this.jitterMs > 0 ? this.random.next() * this.jitterMs : 0;
    const at = Math.max(this.lastDue, now + this.fixedMs + jitter);
    this.lastDue = at;
    this.items.push(item);
    this.due.push(at);
    if (this.timer === null && this.immediate === null) this.arm(now);
  }

  /** Drops everything waiting and stops the timers. */
  close(): void {
    this.closed = true;
    this.clearTimers();
    this.items.length = 0;
    this.due.length = 0;
    this.head = 0;
  }

  /** Delivers everything waiting now, ignoring the delay (shutdown). */
  flushNow(): void {
    this.clearTimers();
    while (this.head < this.items.length && !this.closed) this.shift();
    this.compact();
  }

  private clearTimers(): void {
    if (this.timer !== null) this.timer.cancel();
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private arm(now: number): void {
    const wait = this.due[this.head]! - now;
    if (wait > this.slackMs) {
      // Whole milliseconds, rounded up on a clock that fires on time: never a timer due "now".
      const ms = this.slackMs > 0 ? Math.floor(wait - this.slackMs + 0.5) : Math.ceil(wait);
      this.timer = this.clock.setTimer(ms, this.poll);
    } else {
      this.immediate = setImmediate(this.poll);
    }
  }

  private run(): void {
    this.timer = null;
    this.immediate = null;
    const now = this.nowMs();
    while (this.head < this.items.length && this.due[this.head]! <= now && !this.closed) this.shift();
    this.compact();
    if (!this.closed && this.head < this.items.length && this.timer === null && this.immediate === null) {
      this.arm(this.nowMs());
    }
  }

  private nowMs(): number {
    return this.clock.nowNs() / NS_PER_MS;
  }

  private shift(): void {
    const item = this.items[this.head]!;
    (this.items as (T | undefined)[])[this.head] = undefined;
    this.head++;
    this.deliver(item);
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.due.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.due.splice(0, this.head);
      this.head = 0;
    }
  }
}
