// Test helper for the venue: runs it as a child process (host/venue/venue-process.ts: a temp config,
// `node dist/host/venue.js --config`, the ready line) and talks to it over raw sockets with the
// protocol codec; or runs it in this process on a manual clock over in-memory sockets. Not a test
// file itself (node --test runs *.test.js only).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import {
  FrameReader,
  MAX_FRAME_BYTES,
  MessageType,
  decodeFrame,
  encodeCancel,
  encodeHeartbeat,
  encodeTestRequest,
  encodeLogin,
  encodeLogout,
  encodeNewOrder,
  encodeReplace,
  encodeSnapshotRequest,
  validateFrame,
  type Message,
} from '../../host/protocol/index.js';
import { Exchange } from '../../host/venue/exchange.js';
import { VENUE_JS_URL, startVenue as startLocalVenue, type ReadyLine } from '../../host/venue/venue-process.js';
import type { OrderEntryPortOptions } from '../../host/venue/ports/order-entry-port.js';
import { loadVenueConfig } from '../../host/venue/venue-config.js';
import { VenueLog } from '../../host/venue/venue-log.js';
import { ManualClock } from './manual-clock.js';
import { NS_PER_MS } from '../../host/platform/clock.js';

const VENUE = fileURLToPath(VENUE_JS_URL);

export interface RunningVenue {
  readonly ready: ReadyLine;
  readonly child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function writeConfig(toml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'venue-test-'));
  const file = join(dir, 'venue.toml');
  await writeFile(file, toml);
  return file;
}

/** Starts the venue on `toml` and waits for its ready line; the child is killed after the test. */
export async function startVenue(t: TestContext, toml: string): Promise<RunningVenue> {
  const venue = await startLocalVenue(toml);
  t.after(async () => {
    if (venue.alive()) venue.proc.kill('SIGKILL');
    await venue.stop();
  });
  return {
    ready: venue.ready,
    child: venue.proc,
    stderr: () => venue.stderrText(),
    stop: (signal = 'SIGTERM') => {
      venue.proc.kill(signal);
      return venue.exited;
    },
  };
}

/** Runs the venue on `toml` expecting it to fail; resolves with exit code and output. */
export async function runVenueToExit(toml: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = await writeConfig(toml);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VENUE, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`venue did not exit; stdout ${stdout}; stderr ${stderr}`));
    }, 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export type Received = Message & { readonly atMs: number };

/** A raw protocol connection: every frame received is validated (venue output must be valid),
 *  decoded and queued in arrival order. */
export class FrameClient {
  readonly received: Received[] = [];
  /** Frames the client's own validation refused, as "type: reason". */
  readonly invalid: string[] = [];
  private taken = 0;
  private waiters: (() => void)[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  private readonly reader = new FrameReader();
  protected readonly out = new DataView(new ArrayBuffer(MAX_FRAME_BYTES));

  /** `nowMs` stamps each frame's arrival (atMs): real time, or a manual clock's. */
  protected constructor(readonly socket: Socket, private readonly maxSymbol: number,
    private readonly nowMs: () => number = () => performance.now()) {
    socket.setNoDelay(true);
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.isClosed = true;
      this.wake();
      resolve();
    }));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      for (let n = this.reader.next(); n > 0; n = this.reader.next()) {
        const bad = validateFrame(this.reader.view, this.reader.at, n, this.maxSymbol);
        if (bad !== 0) this.invalid.push(`${this.reader.view.getUint8(this.reader.at + 2)}: ${bad}`);
        else this.received.push({ ...decodeFrame(this.reader.view, this.reader.at), atMs: this.nowMs() });
      }
      if (this.reader.error !== 0) this.invalid.push(`bad length ${this.reader.errorDetail}`);
      this.wake();
    });
  }

  protected static open(port: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  protected sendFrame(length: number): void {
    this.socket.write(new Uint8Array(this.out.buffer.slice(0, length)));
  }

  /** The next not-yet-taken frame matching `pred` (earlier non-matching frames are skipped). */
  async next<T extends Received = Received>(pred: (m: Received) => boolean = () => true, timeoutMs = 5000, what = 'frame'): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      while (this.taken < this.received.length) {
        const m = this.received[this.taken++]!;
        if (pred(m)) return m as T;
      }
      if (this.isClosed) throw new Error(`connection closed while waiting for ${what}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await this.frameOrTimeout(left);
    }
  }

  /** Resolves when the next frame arrives or after `ms`, whichever is first. */
  private frameOrTimeout(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Marks every frame received so far as taken: next() waits for new ones. */
  skipReceived(): void {
    this.taken = this.received.length;
  }

  /** The next frame of `type`. */
  nextOf<T extends Received = Received>(type: number, timeoutMs = 5000): Promise<T> {
    return this.next<T>((m) => m.type === type, timeoutMs, `type 0x${type.toString(16)}`);
  }

  /** Waits until `pred` holds for the frames received so far. */
  async until(pred: (all: readonly Received[]) => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!pred(this.received)) {
      if (this.isClosed) throw new Error(`connection closed while waiting for ${what}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await this.frameOrTimeout(left);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export const NS = (): bigint => process.hrtime.bigint();

export class OeClient extends FrameClient {
  seq = 1;
  sessionId = 0;

  static async connect(port: number, maxSymbol = 16): Promise<OeClient> {
    return new OeClient(await FrameClient.open(port), maxSymbol);
  }

  /** A client over a socket that is already connected (e.g. one end of socketPair()). */
  static over(socket: Socket, nowMs?: () => number, maxSymbol = 16): OeClient {
    return new OeClient(socket, maxSymbol, nowMs);
  }

  /** Login and wait for LoginAck. */
  async login(userId: number, token: string, heartbeatMs = 30_000): Promise<void> {
    this.sendFrame(encodeLogin(this.out, 0, this.seq++, NS(), userId, heartbeatMs, token));
    const ack = await this.next((m) => m.type === MessageType.LoginAck || m.type === MessageType.Logout, 5000, 'LoginAck');
    if (ack.type !== MessageType.LoginAck) throw new Error(`login refused: ${JSON.stringify(ack, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    this.sessionId = ack.sessionId;
  }

  newOrder(clOrdId: number, symbol: number, side: number, price: number, qty: number, kind = 0, tif = 0): void {
    this.sendFrame(encodeNewOrder(this.out, 0, this.seq++, NS(), clOrdId, symbol, side, kind, tif, price, qty));
  }

  cancel(clOrdId: number, origClOrdId: number): void {
    this.sendFrame(encodeCancel(this.out, 0, this.seq++, NS(), clOrdId, origClOrdId));
  }

  replace(clOrdId: number, origClOrdId: number, price: number, qty: number): void {
    this.sendFrame(encodeReplace(this.out, 0, this.seq++, NS(), clOrdId, origClOrdId, price, qty));
  }

  heartbeat(): void {
    this.sendFrame(encodeHeartbeat(this.out, 0, this.seq++, NS()));
  }

  testRequest(testId: number): void {
    this.sendFrame(encodeTestRequest(this.out, 0, this.seq++, NS(), testId));
  }

  logout(): void {
    this.sendFrame(encodeLogout(this.out, 0, this.seq++, NS(), 0, 0));
  }
}

export class MdClient extends FrameClient {
  static async connect(port: number, maxSymbol = 16): Promise<MdClient> {
    return new MdClient(await FrameClient.open(port), maxSymbol);
  }

  /** A client over a socket that is already connected (e.g. one end of socketPair()). */
  static over(socket: Socket, nowMs?: () => number, maxSymbol = 16): MdClient {
    return new MdClient(socket, maxSymbol, nowMs);
  }

  snapshotRequest(symbol: number): void {
    this.sendFrame(encodeSnapshotRequest(this.out, 0, 0, NS(), symbol));
  }
}

/** A config with ports 0 and the given extra TOML appended; no flow unless asked. */
export function baseConfig(extra = '', venue = ''): string {
  return `[venue]
oe_port = 0
md_port = 0
${venue}

[[users]]
id = 1
token = "alpha"

[[users]]
id = 2
token = "beta"

[[symbols]]
name = "RELIANCE"
tick_paise = 5
lot_size = 1
ref_price = 58000
band_pct = 10
capacity = 1024

[[symbols]]
name = "NIFTY-FUT"
tick_paise = 5
lot_size = 75
ref_price = 490000
band_pct = 10
capacity = 1024
${extra}
`;
}

/** One end of an in-memory connection: what is written to it arrives at once (synchronously, so a
 *  test knows it has arrived before it moves the clock), as 'data', at its peer; ending it ends the
 *  peer's input, and the peer then ends too (no half-open, as with TCP sockets); destroying it closes both. */
class SocketEnd extends Duplex {
  peer!: SocketEnd;
  readonly remoteAddress = 'memory';
  readonly remotePort = 0;

  constructor() {
    super({ allowHalfOpen: false });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.emit('data', chunk);
    done();
  }

  override _final(done: (err?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    done();
  }

  override _read(): void {}

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    done(err);
    if (!this.peer.destroyed) this.peer.destroy();
  }

  setNoDelay(): this {
    return this;
  }
}

/** Two connected in-memory sockets: [venue side, client side]. */
export function socketPair(): [Socket, Socket] {
  const a = new SocketEnd();
  const b = new SocketEnd();
  a.peer = b;
  b.peer = a;
  return [a as unknown as Socket, b as unknown as Socket];
}

/** A venue in this process on a manual clock: time moves only by `clock.advance`, so login and
 *  heartbeat timeouts, rate windows, latency lines and sequence limits are tested without sleeping.
 *  Clients stamp arrivals with the same clock, and frames arrive synchronously: a frame due at T
 *  arrives (and is stamped T) inside the advance that passes T. */
export interface ManualVenue {
  readonly exchange: Exchange;
  readonly clock: ManualClock;
  /** The venue's log lines so far. */
  readonly log: string[];
  /** The manual clock's time, ms (what clients stamp frames' arrival with). */
  nowMs(): number;
  /** A new order-entry connection over an in-memory socket pair. */
  connectOe(): OeClient;
  /** A new market-data connection over an in-memory socket pair. */
  connectMd(): MdClient;
}

export async function startManualVenue(t: TestContext, toml: string, oeOptions: OrderEntryPortOptions = {}): Promise<ManualVenue> {
  const clock = new ManualClock();
  const log: string[] = [];
  const exchange = await Exchange.create(loadVenueConfig(toml, 'test.toml'), new VenueLog((line) => log.push(line), 20, 1000, clock), clock, oeOptions);
  await exchange.start();
  t.after(() => exchange.stop());
  const nowMs = (): number => clock.nowNs() / NS_PER_MS;
  return {
    nowMs,
    exchange,
    clock,
    log,
    connectOe(): OeClient {
      const [venueSide, clientSide] = socketPair();
      const client = OeClient.over(clientSide, nowMs); // listening before the venue writes
      exchange.oe.accept(venueSide);
      return client;
    },
    connectMd(): MdClient {
      const [venueSide, clientSide] = socketPair();
      const client = MdClient.over(clientSide, nowMs); // the directory is written inside accept()
      exchange.md.accept(venueSide);
      return client;
    },
  };
}
