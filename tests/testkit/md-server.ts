// Test helpers for the feed handler: core memory with one book per symbol and a scratch area, a tiny
// scripted MD server speaking docs/protocol.md, and frame builders. Not a test file itself.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import net from 'node:net';
import { once } from 'node:events';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { compileCore, coreSizes } from '../../host/core/core-loader.js';
import { createSharedMemory, instantiateCore, type CoreExports } from '../../host/core/core.js';
import { planMemory } from '../../host/core/memory-map.js';
import type { FeedMemory } from '../../host/adapters/feed/book-sync.js';
import {
  FrameReader,
  MAX_FRAME_BYTES,
  decodeFrame,
  encodeHeartbeat,
  encodeL2Delta,
  encodeSnapshot,
  encodeSymbolDefinition,
  encodeTrade,
  type Message,
} from '../../host/protocol/index.js';

export interface TestBooks extends FeedMemory {
  readonly core: CoreExports;
}

/** A core over fresh shared memory with a book of `levels` per name and a 4 KiB scratch for the feed. */
export async function feedMemory(books: readonly { symbol: string; levels: number }[]): Promise<TestBooks> {
  const module = await compileCore();
  const map = planMemory({ books, scratch: [{ worker: 'feed', bytes: 4096 }] }, coreSizes(module));
  const core = instantiateCore(module, createSharedMemory(map.totalBytes));
  return { core, books: map.books, scratch: map.scratch['feed']! };
}

function frame(write: (v: DataView) => number): Buffer {
  const b = Buffer.alloc(MAX_FRAME_BYTES);
  const n = write(new DataView(b.buffer, b.byteOffset, b.byteLength));
  return b.subarray(0, n);
}

export interface DefSpec { id: number; count: number; name: string; bandLow: number; bandHigh: number; refPrice: number }

export const md = {
  def: (d: DefSpec): Buffer =>
    frame((v) => encodeSymbolDefinition(v, 0, 0, 0n, d.id, d.count, 5, d.name, 1, d.bandLow, d.bandHigh, d.refPrice)),
  snapshot: (symbol: number, lastSeq: number, bids: [number, number][], asks: [number, number][]): Buffer =>
    frame((v) => encodeSnapshot(v, 0, 0, 0n, symbol, lastSeq,
      bids.map((l) => l[0]), bids.map((l) => l[1]), bids.length, asks.map((l) => l[0]), asks.map((l) => l[1]), asks.length)),
  delta: (symbol: number, seq: number, side: number, price: number, qty: number): Buffer =>
    frame((v) => encodeL2Delta(v, 0, seq, 0n, symbol, side, price, qty)),
  trade: (symbol: number, seq: number, side: number, price: number, qty: number, id: number): Buffer =>
    frame((v) => encodeTrade(v, 0, seq, 0n, symbol, side, price, qty, id)),
  heartbeat: (): Buffer => frame((v) => encodeHeartbeat(v, 0, 0, 0n)),
};

/** A scripted MD server: each connection is handed to `onConnection`; client frames are decoded into `received`. */
export class FakeMdServer {
  readonly server: net.Server;
  readonly sockets: net.Socket[] = [];
  readonly received: Message[][] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly onConnection: (socket: net.Socket, index: number) => void) {
    this.server = net.createServer((socket) => {
      const index = this.sockets.length;
      this.sockets.push(socket);
      const got: Message[] = [];
      this.received.push(got);
      const reader = new FrameReader();
      socket.on('data', (chunk) => {
        reader.feed(chunk, (view, at) => {
          got.push(decodeFrame(view, at));
          this.notify();
        });
      });
      socket.on('error', () => {});
      this.onConnection(socket, index);
      this.notify();
    });
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resolves when `cond()` holds (re-checked on every connection and received frame). */
  until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('FakeMdServer.until: timed out')), timeoutMs);
      const check = (): void => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      this.waiters.push(check);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Resolves when `cond()` holds, polling every 5 ms. */
export async function until(cond: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs `run` synchronously; how many garbage collections started during it and how much the heap grew. */
export async function gcDuring(run: () => void): Promise<{ gcs: number; heapGrowth: number }> {
  // A full collection first, so a collection during `run` can only be paid for by what `run` allocated, not by
  // garbage the test made while preparing it.
  fullGc();
  const entries: PerformanceEntry[] = [];
  const obs = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  obs.observe({ entryTypes: ['gc'] });
  await new Promise((r) => setTimeout(r, 20));
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  run();
  const t1 = performance.now();
  const heap1 = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return { gcs: entries.filter((e) => e.startTime >= t0 && e.startTime <= t1).length, heapGrowth: heap1 - heap0 };
}


/** A full, synchronous garbage collection without starting node with --expose-gc: the flag is set at run time
 *  and `gc` taken from a fresh context, which gets it at creation. */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
