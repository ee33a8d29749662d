// The `spin` wait strategy of a socket worker ([workers.<name>] wait = "spin"): instead of sleeping in its
// event loop until libuv wakes it, the worker polls its own sockets (PolledSocket) in a loop. Waking an
// idle core through epoll costs tens of µs on this machine; a thread that never sleeps sees market data
// as it lands. It takes a whole core: pin the worker where nothing else has to run.
//
// One slice: take over each socket that is ready and not yet polled (fused: MD once connected, OE once
// logged in), then turns until the slice's time is up: poll each socket (its frames are handled inside
// the poll, stamped at the recv that brought them), then the worker's own turn (the execution stage's
// due deadline, the kill word and control requests, a ring to drain). After the slice (~1 ms) the loop
// yields to its event loop with setImmediate, so libuv polls with a zero timeout: heartbeats, the line
// watch, reconnects, timers and messages (stop) still run. A socket that fails is given back to libuv in
// the poll and the slice ends at once, so the connection's ordinary lost → reconnect / halt path runs.
//
// stop() gives every socket back to libuv (logout and the last cancels then go the ordinary way); the
// loop ends at its next slice, leaving no thread spinning.
import type { Clock } from '../platform/clock.js';
import type { PolledSocket } from '../adapters/polled-socket.js';

export interface PolledSource {
  readonly poller: PolledSocket;
  /** The socket may be taken over now (connected; for the gateway, logged in). */
  ready(): boolean;
}

export interface SpinLoopOptions {
  readonly clock: Clock;
  /** Polled in this order every turn (fused: market data first, then order entry). */
  readonly sources: readonly PolledSource[];
  /** The worker's own work after the sockets, every turn, at `now` (clock ns). */
  readonly turn: (now: number) => void;
  /** Time spun before each yield to the event loop, ns (default 1 ms). */
  readonly sliceNs?: number;
}

/** SpinLoop.counts indexes. */
export const SpinCount = { SLICES: 0, TURNS: 1, READS: 2 } as const;

export class SpinLoop {
  /** Slices, turns, socket reads that brought bytes (doubles: a counter never becomes a heap number). */
  readonly counts = new Float64Array(3);
  private running = false;
  /** The sources' pollers, in polling order. */
  readonly pollers: readonly PolledSocket[];
  private readonly sliceNs: number;
  private readonly sliceFn = (): void => this.slice();

  constructor(private readonly o: SpinLoopOptions) {
    this.pollers = o.sources.map((s) => s.poller);
    this.sliceNs = o.sliceNs ?? 1e6;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(this.sliceFn);
  }

  /** No more slices; every socket back to libuv. */
  stop(): void {
    this.running = false;
    for (const p of this.pollers) p.detach();
  }

  private slice(): void {
    if (!this.running) return;
    const o = this.o;
    const counts = this.counts;
    counts[SpinCount.SLICES]!++;
    const sources = o.sources;
    for (let k = 0; k < sources.length; k++) {
      const s = sources[k]!;
      if (!s.poller.attached && s.ready()) s.poller.attach();
    }
    const pollers = this.pollers;
    const n = pollers.length;
    const clock = o.clock;
    const turn = o.turn;
    const end = clock.nowNs() + this.sliceNs;
    let now = 0;
    let failed = false;
    do {
      for (let k = 0; k < n; k++) {
        const got = pollers[k]!.poll();
        if (got > 0) counts[SpinCount.READS]!++;
        else if (got < 0) failed = true;
      }
      now = clock.nowNs();
      turn(now);
      counts[SpinCount.TURNS]!++;
    } while (now < end && !failed && this.running);
    if (this.running) setImmediate(this.sliceFn);
  }
}
