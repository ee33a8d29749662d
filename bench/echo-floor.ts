// The echo floor: what one loopback TCP round trip between two Node event loops costs on this machine,
// at a given message spacing, with no work on either side. The venue's reaction to the engine and the
// engine's tick-to-order both ride on this; quoted in the same run as the engine figures, it tells how
// much of them is the platform (idle cores wake slowly: at 1 ms spacing a round trip costs several
// times what it does back to back).
//
// Two processes: a child running a bare echo server (setNoDelay, write back what arrives) and this one
// sending a 40-byte frame (a NewOrder's size), timing the reply (hrtime before the write, hrtime in the
// 'data' handler), then waiting until `spacingUs` after the previous send for the next. Spacing 0 is
// back to back: the next send goes out from the reply's handler. Waits are timers, never a spin.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { percentiles } from './stats.js';

export interface EchoFloorOptions {
  /** Time from one send to the next, µs; 0 = back to back. */
  readonly spacingUs: number;
  /** Round trips recorded. */
  readonly samples: number;
  /** Round trips before recording starts. */
  readonly warmup: number;
  /** Bytes per message (default 40). */
  readonly bytes?: number;
}

export interface EchoFloor {
  readonly spacing_us: number;
  /** The spacing timers achieved (they fire late, never early): mean time between sends, µs. */
  readonly mean_spacing_us: number;
  readonly samples: number;
  readonly rtt_us: { p50: number; p99: number; p999: number; max: number };
}

const ECHO_SERVER = `const net = require('node:net');
net.createServer((s) => { s.setNoDelay(true); s.on('data', (d) => s.write(d)); })
  .listen(0, '127.0.0.1', function () { process.stdout.write(this.address().port + '\\n'); });
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

/** A bare HTTP server (node:http, no framework) answering every request with a small JSON body: the floor
 *  under any HTTP control request on this machine (monitor.ts quotes it beside `POST /api/kill`). */
const HTTP_SERVER = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => {
  s.setHeader('content-type', 'application/json'); s.end('{"state":3}'); }); })
  .listen(0, '127.0.0.1', function () { process.stdout.write(this.address().port + '\\n'); });
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

/** A bare echo server in a child process (it exits when our end of its stdin closes, so it never
 *  outlives this process). */
export interface EchoServer {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startEchoServer(kind: 'tcp' | 'http' = 'tcp'): Promise<EchoServer> {
  const child = spawn(process.execPath, ['-e', kind === 'tcp' ? ECHO_SERVER : HTTP_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`echo server exited (code ${code}) before listening`)));
    child.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
  });
  return {
    port,
    child,
    async stop(): Promise<void> {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const nowNs = (): number => Number(process.hrtime.bigint());

export interface RoundTrips {
  /** Recorded round trips, ns. */
  readonly samples: Float64Array;
  /** Mean time between recorded sends, ns. */
  readonly meanSpacingNs: number;
}

/** Round trips against `port` (an echo server) at the given spacing. */
export async function echoRoundTrips(port: number, o: EchoFloorOptions): Promise<RoundTrips> {
  const socket = net.createConnection({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const frame = Buffer.alloc(o.bytes ?? 40, 7);
  const samples = new Float64Array(o.samples);
  const total = o.warmup + o.samples;
  const spacingNs = o.spacingUs * 1000;
  let firstSend = 0;
  let lastSend = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      let got = 0;
      let sentAt = 0;
      const send = (): void => {
        got = 0;
        sentAt = nowNs();
        if (done === o.warmup) firstSend = sentAt;
        lastSend = sentAt;
        socket.write(frame);
      };
      // Timers may fire a little early against the hrtime clock (libuv rounds to whole ms from a
      // cached loop time): re-arm until the spacing has really passed.
      const sendAt = (dueNs: number): void => {
        const leftMs = (dueNs - nowNs()) / 1e6;
        if (leftMs <= 0) send();
        else setTimeout(() => sendAt(dueNs), Math.ceil(leftMs));
      };
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        const t = nowNs();
        got += chunk.length;
        if (got < frame.length) return; // the reply came in pieces: time the last one
        if (done >= o.warmup) samples[done - o.warmup] = t - sentAt;
        if (++done === total) {
          resolve();
          return;
        }
        if (spacingNs === 0) send();
        else sendAt(sentAt + spacingNs);
      });
      send();
    });
  } finally {
    socket.destroy();
  }
  return { samples, meanSpacingNs: o.samples > 1 ? (lastSend - firstSend) / (o.samples - 1) : 0 };
}

/** The echo floor at one spacing: a fresh echo server, `warmup` then `samples` round trips. */
export async function echoFloor(o: EchoFloorOptions): Promise<EchoFloor> {
  const server = await startEchoServer();
  try {
    const { samples, meanSpacingNs } = await echoRoundTrips(server.port, o);
    const p = percentiles(samples, 1e-3);
    return {
      spacing_us: o.spacingUs, mean_spacing_us: Math.round(meanSpacingNs / 10) / 100, samples: samples.length,
      rtt_us: { p50: p.p50, p99: p.p99, p999: p.p999, max: p.max },
    };
  } finally {
    await server.stop();
  }
}
