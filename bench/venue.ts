// `npm run bench -- venue [--seconds 10] [--window 256] [--warmup-seconds 1]`: order → ack round trips
// over loopback TCP against a real venue process (dist/host/venue.js, one symbol, no synthetic flow).
//
// The client is the engine's OrderGateway in this process; the venue is a child process; on a
// 2-core machine each gets a core. Three runs, each `--seconds` long after a warm-up:
//   ioc         pipelined, `window` orders awaiting their Ack at any time: IOC buys where no one sells
//               (Ack, then Canceled IOC_REMAINDER: the book stays empty); a new order goes out on each Ack.
//   rest-cancel pipelined, `window` requests in flight: GTC buys resting far below the band's middle,
//               each cancelled on its Ack, a new order on each Canceled (at most `window` resting).
//   ioc         window 1: ping-pong, the unloaded round trip.
// Then a baseline: the same ping-pong of 40-byte frames against a bare Node echo server in a child
// process (impl "tcp-echo"), i.e. what loopback TCP and two event loops cost on this machine with no
// venue work at all; the venue's ping-pong figure minus this is the venue's own share.
// acks_per_s counts NewOrder Acks. rtt_us is T5 − T4 per Ack (T4: bytes handed to the socket, T5: the
// socket read that brought the Ack), nearest-rank percentiles over every Ack in the timed part.
import net from 'node:net';
import { startEchoServer } from './echo-floor.js';
import { percentiles } from './stats.js';
import { OrderGateway, NullExecutionEvents } from '../host/adapters/gateway/order-gateway.js';
import { startVenue, venueConfigToml, type LocalVenue } from '../host/venue/venue-process.js';
import { CancelReason, OrderKind, Side, TimeInForce } from '../host/protocol/index.js';

export interface VenueBenchOptions {
  readonly seconds: number;
  readonly window: number;
  readonly warmupSeconds: number;
}

type Mode = 'ioc' | 'rest-cancel';

const SYMBOL = 1;
const REF = 100_000;
const BID_PRICE = REF - 1000; // far below anything that could trade

class Driver extends NullExecutionEvents {
  gw!: OrderGateway;
  running = false;
  recording = false;
  acks = 0;
  rejects = 0;
  samples: Float64Array;
  n = 0;
  outstanding = 0;

  constructor(private readonly mode: Mode, capacity: number) {
    super();
    this.samples = new Float64Array(capacity);
  }

  send(): void {
    this.outstanding++;
    this.gw.newOrder(SYMBOL, Side.BUY, OrderKind.LIMIT, this.mode === 'ioc' ? TimeInForce.IOC : TimeInForce.GTC, BID_PRICE, 1);
  }

  override onAck(clOrdId: number, _exch: number, _symbol: number, _side: number, _price: number, _qty: number, rttNs: number): void {
    if (this.recording) {
      this.acks++;
      if (this.n < this.samples.length && rttNs > 0) this.samples[this.n++] = rttNs;
    }
    if (this.mode === 'ioc') {
      this.outstanding--;
      if (this.running) this.send();
    } else {
      this.gw.cancel(clOrdId); // the same slot of the window: the cancel is now what is outstanding
    }
  }

  override onCanceled(_clOrdId: number, _orig: number, _exch: number, _symbol: number, _side: number, _qty: number,
    reason: number): void {
    if (this.mode === 'rest-cancel' && reason === CancelReason.REQUESTED) {
      this.outstanding--;
      if (this.running) this.send();
    }
  }

  override onReject(_clOrdId: number, reason: number): void {
    this.rejects++;
    this.outstanding--;
    if (this.rejects <= 5) process.stderr.write(`bench venue: reject reason ${reason}\n`);
    if (this.running) this.send();
  }
}

async function run(venue: LocalVenue, userId: number, mode: Mode, window: number, o: VenueBenchOptions) {
  const driver = new Driver(mode, Math.ceil(o.seconds * 400_000));
  const gw = new OrderGateway({
    port: venue.oePort, userId, token: `bench-${userId}`, heartbeatMs: 1000, requestTimeoutMs: 5000,
    maxInFlight: 65536, sendBufferBytes: 1 << 20,
  }, driver);
  driver.gw = gw;
  await gw.connect();
  driver.running = true;
  gw.cork();
  for (let i = 0; i < window; i++) driver.send();
  gw.uncork();
  await sleep(o.warmupSeconds * 1000);
  driver.recording = true;
  const t0 = process.hrtime.bigint();
  await sleep(o.seconds * 1000);
  driver.recording = false;
  const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
  driver.running = false;
  const drainEnd = Date.now() + 5000;
  while (driver.outstanding > 0 && Date.now() < drainEnd) await sleep(10);
  await gw.close();
  const rtt = percentiles(driver.samples.subarray(0, driver.n), 1e-3);
  return {
    bench: 'venue', impl: 'tcp-loopback', mode, orders_acked: driver.acks, seconds: Math.round(elapsedS * 1000) / 1000,
    acks_per_s: Math.round(driver.acks / elapsedS), rtt_us: { p50: rtt.p50, p99: rtt.p99, p999: rtt.p999, max: rtt.max },
    in_flight: window, rejects: driver.rejects, timeouts: gw.counters.timeouts, writes: gw.counters.writes,
  };
}

/** Ping-pong of 40-byte frames with a bare echo server for `seconds` after `warmupSeconds`. */
async function echoBaseline(o: VenueBenchOptions) {
  const server = await startEchoServer();
  try {
    const port = server.port;
    const socket = net.createConnection({ port, host: '127.0.0.1', noDelay: true });
    await new Promise((r) => socket.once('connect', r));
    const frame = Buffer.alloc(40);
    const samples = new Float64Array(Math.ceil(o.seconds * 400_000));
    let n = 0;
    let recording = false;
    let t4 = 0;
    const warmEnd = Date.now() + o.warmupSeconds * 1000;
    let endAt = 0;
    const elapsed = await new Promise<number>((resolve) => {
      let start = 0;
      socket.on('data', () => {
        const t5 = Number(process.hrtime.bigint());
        if (recording && n < samples.length) samples[n++] = t5 - t4;
        if (!recording && Date.now() >= warmEnd) {
          recording = true;
          start = t5;
          endAt = Date.now() + o.seconds * 1000;
        } else if (recording && Date.now() >= endAt) {
          resolve((t5 - start) / 1e9);
          return;
        }
        socket.write(frame);
        t4 = Number(process.hrtime.bigint());
      });
      socket.write(frame);
      t4 = Number(process.hrtime.bigint());
    });
    socket.destroy();
    const rtt = percentiles(samples.subarray(0, n), 1e-3);
    return {
      bench: 'venue', impl: 'tcp-echo', mode: 'baseline', round_trips: n, seconds: Math.round(elapsed * 1000) / 1000,
      rtt_us: { p50: rtt.p50, p99: rtt.p99, p999: rtt.p999, max: rtt.max }, in_flight: 1,
    };
  } finally {
    await server.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function venueBench(o: VenueBenchOptions, emit: (line: object) => void, progress: (s: string) => void): Promise<void> {
  const venue = await startVenue(venueConfigToml({
    users: [1, 2, 3].map((id) => ({ id, token: `bench-${id}` })),
    symbols: [{ name: 'BENCH', refPrice: REF, capacity: 65536 }],
    ordersPerSecond: 0,
    inboundQueueFrames: 1 << 20,
    sendBufferBytes: 64 << 20,
  }));
  try {
    progress(`venue bench: venue pid ${venue.pid} on oe ${venue.oePort}; ${o.seconds} s per run after ${o.warmupSeconds} s warm-up`);
    progress(`  ioc, window ${o.window}`);
    emit(await run(venue, 1, 'ioc', o.window, o));
    progress(`  rest-cancel, window ${o.window}`);
    emit(await run(venue, 2, 'rest-cancel', o.window, o));
    progress('  ioc, window 1 (ping-pong)');
    emit(await run(venue, 3, 'ioc', 1, o));
  } finally {
    await venue.stop();
  }
  progress('  baseline: ping-pong with a bare echo server');
  emit(await echoBaseline(o));
}
