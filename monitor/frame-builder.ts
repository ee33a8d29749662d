// The cockpits' telemetry frames, built off the main thread. Reading the whole segment into a view took ~0.6 ms at
// the median here (~1 ms a tick with its JSON, up to ~5 ms on a loaded machine), 15 times a second: on the main
// thread, a kill from a connected cockpit landed behind one in a few percent of tries. A worker thread (it
// inherits the main thread's CPUs) maps the segment itself and builds each frame's text; the main thread only
// passes it on. `next()` hands over the newest frame and asks for the one after, so a frame is at most one tick
// old; the first tick has none. If the worker dies, frames stop (the cockpit shows it) and control is untouched.
import { Worker } from 'node:worker_threads';

export interface FrameBuilderOptions {
  /** POSIX shared-memory name of the engine's segment. */
  readonly segment: string;
  readonly downAfterMs?: number;
}

export class FrameBuilder {
  private readonly worker: Worker;
  private latest: string | null = null;
  private asked = false;

  constructor(o: FrameBuilderOptions) {
    this.worker = new Worker(new URL('./frame-builder-worker.js', import.meta.url), { workerData: { segment: o.segment, downAfterMs: o.downAfterMs } });
    this.worker.on('message', (text: string) => {
      this.latest = text;
      this.asked = false;
    });
    this.worker.on('error', (err) => process.stderr.write(`monitor: the telemetry frame worker failed: ${err.message}\n`));
    this.worker.unref();
  }

  /** The newest frame's JSON text not handed out yet (null: none), and a request for the next one. */
  next(): string | null {
    const text = this.latest;
    this.latest = null;
    if (!this.asked) {
      this.asked = true;
      this.worker.postMessage('build');
    }
    return text;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
