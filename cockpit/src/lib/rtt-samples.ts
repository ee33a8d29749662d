// The RttBlock holds the engine's last 16 round trips (newest first) and how many it has recorded in all.
// Frames arrive at 10-20 Hz, so a frame can repeat samples the cockpit already has or bring several new ones:
// the new ones are the first `samples − seen` entries (at most the 16 kept; more were lost between frames).

export interface RttBlockView {
  /** RTT samples recorded so far (u32 as published). */
  readonly rttSamples: number;
  /** The kept samples, newest first, ns. */
  readonly rttNs: readonly number[];
}

export class RttSamples {
  private seen: number | null = null;

  /** The samples new since the previous call, oldest first (empty on the first call: it only sets the base,
   *  unless `includeKept`). */
  take(view: RttBlockView, includeKept = true): number[] {
    const total = view.rttSamples;
    const fresh = this.seen === null ? (includeKept ? view.rttNs.length : 0) : total - this.seen;
    this.seen = total;
    // Fewer than before: the engine restarted; its kept samples are all new to us.
    const n = fresh < 0 ? view.rttNs.length : Math.min(fresh, view.rttNs.length);
    return view.rttNs.slice(0, n).reverse();
  }

  reset(): void {
    this.seen = null;
  }
}
