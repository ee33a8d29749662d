// A Clock that moves only when a test says so: advance(ms) runs every timer that falls due, in due
// order (ties in the order they were set), with nowNs() reading each timer's own due time while it
// runs. Time-driven behaviour (heartbeats, timeouts, backoff, delay lines) is tested with it
// instead of sleeping.
import type { Clock, Timer } from '../../host/platform/clock.js';
import { NS_PER_MS } from '../../host/platform/clock.js';

interface Pending {
  dueNs: number;
  readonly seq: number;
  readonly periodNs: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private now: number;
  private wall: number;
  private seq = 0;
  private readonly pending: Pending[] = [];
  private readonly startNs: number;

  constructor(startNs = 1_000_000_000_000, startWallMs = Date.UTC(2026, 0, 5, 4, 0, 0)) {
    this.now = this.startNs = startNs;
    this.wall = startWallMs;
  }

  nowNs(): number {
    return this.now;
  }

  wallMs(): number {
    return this.wall + Math.floor((this.now - this.startNs) / NS_PER_MS);
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    return this.add(Math.max(0, delayMs) * NS_PER_MS, 0, fn);
  }

  setInterval(periodMs: number, fn: () => void): Timer {
    if (!(periodMs > 0)) throw new RangeError(`setInterval period must be > 0 ms, got ${periodMs}`);
    return this.add(periodMs * NS_PER_MS, periodMs * NS_PER_MS, fn);
  }

  /** Timers not yet fired or cancelled. */
  get pendingCount(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }

  /** Moves time forward by `ms`, running each timer that falls due on the way. */
  advance(ms: number): void {
    this.advanceNs(ms * NS_PER_MS);
  }

  advanceNs(ns: number): void {
    if (!(ns >= 0)) throw new RangeError(`advance must be >= 0, got ${ns}`);
    const target = this.now + ns;
    for (;;) {
      const next = this.nextDue();
      if (next === undefined || next.dueNs > target) break;
      this.now = Math.max(this.now, next.dueNs);
      if (next.periodNs > 0) next.dueNs += next.periodNs;
      else next.cancelled = true;
      next.fn();
    }
    this.now = target;
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i]!.cancelled) this.pending.splice(i, 1);
  }

  /** Runs timers due now (delay 0) without moving time. */
  runDue(): void {
    this.advanceNs(0);
  }

  private add(delayNs: number, periodNs: number, fn: () => void): Timer {
    const p: Pending = { dueNs: this.now + delayNs, seq: this.seq++, periodNs, fn, cancelled: false };
    this.pending.push(p);
    return { cancel: () => { p.cancelled = true; } };
  }

  private nextDue(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) {
      if (p.cancelled) continue;
      if (!best || p.dueNs < best.dueNs || (p.dueNs === best.dueNs && p.seq < best.seq)) best = p;
    }
    return best;
  }
}
