// A user's order rate limit: at most `limit` order frames (NewOrder, Cancel, Replace) in any
// sliding one-second window. Exact, O(1) per check: a ring of the last `limit` accepted times; a new
// order is allowed when the oldest of them is at least a second old.
const WINDOW_MS = 1000;

export class OrderRateWindow {
  private readonly times: Float64Array;
  private next = 0;

  /** `limit` 0 = unlimited. */
  constructor(readonly limit: number) {
    this.times = new Float64Array(limit).fill(-Infinity);
  }

  /** Counts an order at `nowMs` if the window has room; false (and not counted) when it has not. */
  allow(nowMs: number): boolean {
    if (this.limit === 0) return true;
    if (nowMs - this.times[this.next]! < WINDOW_MS) return false;
    this.times[this.next] = nowMs;
    this.next = this.next + 1 === this.limit ? 0 : this.next + 1;
    return true;
  }
}
