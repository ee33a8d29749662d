// Writes are batched per turn of the event loop: whoever produces frames (a session's reports, the
// market-data stream) marks itself dirty here, and the top of each input handler or timer flushes
// every dirty target once, after its work is done. A matching call that fills three sessions' orders
// thus costs one write per session, and nothing is written while a matching call is in progress.
export interface Flushable {
  /** Hands the frames collected so far to the connection's delay line (or socket). */
  flush(): void;
}

export class OutputCycle {
  private readonly dirty = new Set<Flushable>();

  touch(target: Flushable): void {
    this.dirty.add(target);
  }

  /** Flushes every dirty target; a flush that dirties others (a dropped slow consumer's cancels
   *  publish market data) is followed until nothing is dirty. */
  flush(): void {
    while (this.dirty.size > 0) {
      const targets = [...this.dirty];
      this.dirty.clear();
      for (const t of targets) t.flush();
    }
  }
}
