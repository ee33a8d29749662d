// Telemetry to the cockpits over WebSocket: one frame per tick (10-20 Hz), serialised once and sent to every
// client. A client that cannot keep up (its socket still holds more than `maxBufferedBytes` unsent) skips
// frames instead of queueing them, so a slow or stalled browser costs the monitor a bounded amount of memory
// and never slows anyone else. Each frame is complete (the whole view, not a delta), which is what makes
// dropping one harmless; events are the exception, so a frame also says how many the client missed.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface StreamOptions {
  /** Frames per second, 1..60. */
  readonly hz: number;
  /** Unsent bytes a client may hold before frames are dropped for it. */
  readonly maxBufferedBytes: number;
  /** The URL path of the socket. */
  readonly path: string;
}

export interface StreamStats {
  readonly clients: number;
  readonly framesSent: number;
  readonly framesDropped: number;
}

interface Client {
  readonly ws: WebSocket;
  /** Frames this client skipped since its last delivered one (told in the next frame it gets). */
  skipped: number;
}

export class TelemetryStream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | null = null;
  /** A frame is going out, one client per turn (spreadTick). */
  private sending = false;
  private sent = 0;
  private dropped = 0;

  /** `frame()` gives the next frame for every client, as an object or its JSON text (null: none this tick);
   *  `hello()` the first frame a client gets. */
  constructor(
    private readonly o: StreamOptions,
    private readonly frame: () => Record<string, unknown> | string | null,
    private readonly hello: () => Record<string, unknown>,
  ) {
    if (!(Number.isFinite(o.hz) && o.hz >= 1 && o.hz <= 60)) throw new RangeError(`stream hz must be in [1, 60], got ${o.hz}`);
  }

  /** Takes over HTTP upgrades on `path` of `server`; others are refused with 404. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== this.o.path) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  /** Starts streaming to a connected socket (the upgrade handler's, or any WebSocket-like object). */
  accept(ws: WebSocket): void {
    const c: Client = { ws, skipped: 0 };
    this.clients.add(c);
    // Cockpits only listen; anything they send is ignored (maxPayload bounds it).
    ws.on('close', () => this.clients.delete(c));
    ws.on('error', () => this.clients.delete(c));
    ws.send(JSON.stringify(this.hello()));
    if (this.timer === null) this.start();
  }

  private start(): void {
    this.timer = setInterval(() => this.spreadTick(), Math.round(1000 / this.o.hz));
  }

  /** The next frame, with its text for clients that skipped nothing (made once, on first use); null: none. */
  private nextFrame(): { readonly withSkipped: (n: number) => string; shared: string | null } | null {
    if (this.clients.size === 0) return null;
    const body = this.frame();
    if (body === null) return null;
    // The count of skipped frames goes last in the object, whichever form it came in.
    const withSkipped = (n: number): string => (typeof body === 'string' ? `${body.slice(0, -1)},"skipped":${n}}` : JSON.stringify({ ...body, skipped: n }));
    return { withSkipped, shared: null };
  }

  /** Sends the frame to one client if it has room for it; else counts the skip. */
  private deliver(c: Client, f: { readonly withSkipped: (n: number) => string; shared: string | null }): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount > this.o.maxBufferedBytes) {
      c.skipped++;
      this.dropped++;
      return;
    }
    // Most clients share one text; one that skipped frames gets its own count.
    const out = c.skipped === 0 ? (f.shared ??= f.withSkipped(0)) : f.withSkipped(c.skipped);
    c.skipped = 0;
    c.ws.send(out);
    this.sent++;
  }

  /** Sends one frame to every client that has room for it, at once. */
  tick(): void {
    const f = this.nextFrame();
    if (f !== null) for (const c of this.clients) this.deliver(c, f);
  }

  /** The timer's tick: the same, one client per turn of the event loop. A send is a loopback write that does the
   *  receiving side's work too (~0.25 ms here for a frame); between two of them, a control request waiting on its
   *  socket is read and answered instead of waiting for every cockpit's frame. */
  private spreadTick(): void {
    if (this.sending) return; // the last frame is still going out (never seen: 10 sends take ~3 ms of 66)
    const f = this.nextFrame();
    if (f === null) return;
    const queue = [...this.clients];
    this.sending = true;
    const step = (): void => {
      const c = queue.shift();
      if (c === undefined || this.timer === null) {
        this.sending = false;
        return;
      }
      if (this.clients.has(c)) this.deliver(c, f);
      setImmediate(step);
    };
    step();
  }

  stats(): StreamStats {
    return { clients: this.clients.size, framesSent: this.sent, framesDropped: this.dropped };
  }

  /** Closes every client and stops the ticks. */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}
