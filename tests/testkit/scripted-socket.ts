// A socket a test plays by hand, for the adapters' `dial` option: the adapter dials it, the test
// opens it, hands it bytes as if read from the venue, closes it, and reads back what the adapter
// wrote. No network and no timing: with a ManualClock the whole exchange is synchronous.
import type { Dialer, VenueSocket } from '../../host/adapters/connection.js';
import { FrameReader, decodeFrame, encodeLoginAck, type Message } from '../../host/protocol/index.js';

export class ScriptedSocket implements VenueSocket {
  writableLength = 0;
  /** Copies of every write, unless `onWrite` is set (then it gets the bytes and nothing is kept). */
  readonly writes: Buffer[] = [];
  onWrite: ((bytes: Uint8Array) => void) | null = null;
  ended = false;
  destroyed = false;
  private readonly onConnect: (() => void)[] = [];
  private readonly onData: ((chunk: Buffer) => void)[] = [];
  private readonly onError: ((err: Error) => void)[] = [];
  private readonly onClose: (() => void)[] = [];

  constructor(readonly host: string, readonly port: number) {}

  on(event: 'connect', listener: () => void): this;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: string, listener: (arg: never) => void): this {
    const lists: Record<string, unknown[]> = { connect: this.onConnect, data: this.onData, error: this.onError, close: this.onClose };
    lists[event]!.push(listener);
    return this;
  }

  write(bytes: Uint8Array): boolean {
    if (this.onWrite !== null) this.onWrite(bytes);
    else this.writes.push(Buffer.from(bytes));
    return true;
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  // ── the venue's side ───────────────────────────────────────────────────────────────────────────

  /** The connection is up ('connect'). */
  open(): void {
    for (const l of [...this.onConnect]) l();
  }

  /** The connection is up and the venue accepts the login (LoginAck, session 7, heartbeat 60 s). */
  acceptLogin(): void {
    this.open();
    const login = Buffer.alloc(64);
    this.receive(login.subarray(0, encodeLoginAck(new DataView(login.buffer, login.byteOffset, 64), 0, 1, 0n, 7, 60_000)));
  }

  /** One socket read of `chunk`. */
  receive(chunk: Buffer): void {
    const data = this.onData;
    for (let i = 0; i < data.length; i++) data[i]!(chunk);
  }

  /** The venue closes the connection. */
  close(): void {
    for (const l of [...this.onClose]) l();
  }

  /** Connecting failed or the socket broke. */
  fail(message = 'connect ECONNREFUSED'): void {
    const err = new Error(message);
    for (const l of [...this.onError]) l(err);
    this.close();
  }

  /** Every frame written so far, decoded. */
  sent(): Message[] {
    const out: Message[] = [];
    const reader = new FrameReader();
    for (const w of this.writes) reader.feed(w, (view, at) => out.push(decodeFrame(view, at)));
    return out;
  }
}

/** A dialer that hands out ScriptedSockets and keeps them, in dial order. */
export function scriptedDialer(): { dial: Dialer; sockets: ScriptedSocket[]; last(): ScriptedSocket } {
  const sockets: ScriptedSocket[] = [];
  return {
    sockets,
    dial: (host, port) => {
      const s = new ScriptedSocket(host, port);
      sockets.push(s);
      return s;
    },
    last: () => {
      const s = sockets.at(-1);
      if (!s) throw new Error('nothing was dialed');
      return s;
    },
  };
}
