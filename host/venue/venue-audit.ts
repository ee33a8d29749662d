// The venue's order-arrival audit: what the venue saw and when, from its side of the wire, so tests
// and benchmarks check the engine against the venue's own record (orders per second against the
// broker limit, the 200 ms cancel, order arrival − Tv) instead of the engine's account of itself.
//
// `audit_file = "<path>"` in [venue] (or `npm run venue -- --audit <path>`) appends one JSON line per
// event, times in ns of the venue's monotonic clock (the engine's clock too, on one machine):
//   {"ns","dir":"in","user","session","type":"new"|"cancel"|"replace","clOrdId","origClOrdId","symbol",
//    "side","price","qty","sentNs"}
//       every well-formed order request of a logged-in session; ns = the socket read that brought it
//       (before any injected inbound delay), sentNs = the client's header stamp. A cancel carries the
//       order's symbol, side, price and remaining qty (0s when the venue does not know the order), a
//       replace the order's symbol and side with the new price and qty.
//   {"ns","dir":"out","user","session","type":"ack"|"fill"|"canceled"|"replaced"|"reject","clOrdId",…}
//       every execution report, ns = its Tv (the write, after any injected outbound delay): ack adds
//       exchOrderId, symbol, side, price, qty; fill exchOrderId, tradeId, price, qty, leaves; canceled
//       origClOrdId, exchOrderId, qty (canceled), reason; replaced origClOrdId, exchOrderId, price, qty;
//       reject reason, refType.
//   {"ns","dir":"md","conn","type":"delta"|"trade","symbol","seq"}
//       with `audit_md = true` only: every live market-data frame written, per connection, ns = its Tv.
// Lines are buffered and written every 50 ms (and whenever 256 KiB are waiting) and at close; a
// line is formatted where the event happens, the file write happens off the event.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import {
  ackExchOrderId, ackPrice, ackQty, ackSide, ackSymbol, canceledExchOrderId, canceledOrigClOrdId, canceledQty,
  canceledReason, clOrdIdOf, fillExchOrderId, fillLeavesQty, fillPrice, fillQty, fillTradeId, MessageType, rejectReason,
  rejectRefType, replacedExchOrderId, replacedOrigClOrdId, replacedPrice, replacedQty,
} from '../protocol/index.js';
import { liveClock, type Clock, type Timer } from '../platform/clock.js';

/** Written at least this often. */
export const AUDIT_FLUSH_MS = 50;
/** Written early once this much is waiting. */
const FLUSH_BYTES = 256 * 1024;
const TWO_32 = 4294967296;
const SEQ_OFFSET = 4;
const SEND_NS_OFFSET = 8;
/** Symbol id of every market-data message (docs/protocol.md). */
const MD_SYMBOL_OFFSET = 16;

/** An order request as the session saw it. */
export interface AuditedRequest {
  readonly type: 'new' | 'cancel' | 'replace';
  readonly clOrdId: number;
  readonly origClOrdId: number;
  readonly symbol: number;
  readonly side: number;
  readonly price: number;
  readonly qty: number;
}

/** One line of the audit file, as read back (the fields of its kind, see above). */
export interface AuditLine {
  readonly ns: number;
  readonly dir: 'in' | 'out' | 'md';
  readonly type: 'new' | 'cancel' | 'replace' | 'ack' | 'fill' | 'canceled' | 'replaced' | 'reject' | 'delta' | 'trade';
  readonly user?: number;
  readonly session?: number;
  readonly conn?: number;
  readonly clOrdId?: number;
  readonly origClOrdId?: number;
  readonly exchOrderId?: number;
  readonly tradeId?: number;
  readonly symbol?: number;
  readonly side?: number;
  readonly price?: number;
  readonly qty?: number;
  readonly leaves?: number;
  readonly reason?: number;
  readonly refType?: number;
  readonly seq?: number;
  readonly sentNs?: number;
}

/** Reads an audit file back; a last line cut short (the venue killed mid-write) is left out. */
export function readAudit(file: string): AuditLine[] {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const out: AuditLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as AuditLine);
    } catch (err) {
      if (i === lines.length - 1) break; // torn tail
      throw new Error(`${file}:${i + 1}: not a JSON line: ${(err as Error).message}`);
    }
  }
  return out;
}

/** The header sendNs of the frame at `at`, as a number (no BigInt). */
export function sendNsOf(view: DataView, at: number): number {
  return view.getUint32(at + SEND_NS_OFFSET, true) + view.getUint32(at + SEND_NS_OFFSET + 4, true) * TWO_32;
}

export class VenueAudit {
  private lines: string[] = [];
  private waiting = 0;
  private fd: number;
  private readonly timer: Timer;

  /** Opens `file` for appending (created if missing); `md` also records live market data. */
  constructor(readonly file: string, readonly md: boolean, clock: Clock = liveClock) {
    this.fd = openSync(file, 'a');
    this.timer = clock.setInterval(AUDIT_FLUSH_MS, () => this.flush());
  }

  /** One order request, `arrivalNs` = the socket read that brought it. */
  request(arrivalNs: number, user: number, session: number, r: AuditedRequest, sentNs: number): void {
    this.add(`{"ns":${arrivalNs},"dir":"in","user":${user},"session":${session},"type":"${r.type}","clOrdId":${r.clOrdId},`
      + `"origClOrdId":${r.origClOrdId},"symbol":${r.symbol},"side":${r.side},"price":${r.price},"qty":${r.qty},"sentNs":${sentNs}}`);
  }

  /** The execution reports among the frames of `bytes`, written to a session at `ns`. */
  reports(bytes: Buffer, ns: number, user: number, session: number): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const head = `{"ns":${ns},"dir":"out","user":${user},"session":${session},"type":`;
    for (let at = 0; at + 16 <= bytes.length; at += view.getUint16(at, true)) {
      const type = view.getUint8(at + 2);
      switch (type) {
        case MessageType.Ack:
          this.add(`${head}"ack","clOrdId":${clOrdIdOf(view, at)},"exchOrderId":${ackExchOrderId(view, at)},`
            + `"symbol":${ackSymbol(view, at)},"side":${ackSide(view, at)},"price":${ackPrice(view, at)},"qty":${ackQty(view, at)}}`);
          break;
        case MessageType.Fill:
          this.add(`${head}"fill","clOrdId":${clOrdIdOf(view, at)},"exchOrderId":${fillExchOrderId(view, at)},`
            + `"tradeId":${fillTradeId(view, at)},"price":${fillPrice(view, at)},"qty":${fillQty(view, at)},"leaves":${fillLeavesQty(view, at)}}`);
          break;
        case MessageType.Canceled:
          this.add(`${head}"canceled","clOrdId":${clOrdIdOf(view, at)},"origClOrdId":${canceledOrigClOrdId(view, at)},`
            + `"exchOrderId":${canceledExchOrderId(view, at)},"qty":${canceledQty(view, at)},"reason":${canceledReason(view, at)}}`);
          break;
        case MessageType.Replaced:
          this.add(`${head}"replaced","clOrdId":${clOrdIdOf(view, at)},"origClOrdId":${replacedOrigClOrdId(view, at)},`
            + `"exchOrderId":${replacedExchOrderId(view, at)},"price":${replacedPrice(view, at)},"qty":${replacedQty(view, at)}}`);
          break;
        case MessageType.Reject:
          this.add(`${head}"reject","clOrdId":${clOrdIdOf(view, at)},"reason":${rejectReason(view, at)},"refType":${rejectRefType(view, at)}}`);
          break;
        default:
          break; // session frames (LoginAck, Heartbeat, Logout) are not order events
      }
      if (view.getUint16(at, true) < 16) break;
    }
  }

  /** The live market-data frames among `bytes`, written to MD connection `conn` at `ns`. */
  marketData(bytes: Buffer, ns: number, conn: number): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at + 16 <= bytes.length; at += view.getUint16(at, true)) {
      const type = view.getUint8(at + 2);
      if (type === MessageType.L2Delta || type === MessageType.Trade) {
        this.add(`{"ns":${ns},"dir":"md","conn":${conn},"type":"${type === MessageType.L2Delta ? 'delta' : 'trade'}",`
          + `"symbol":${view.getUint16(at + MD_SYMBOL_OFFSET, true)},"seq":${view.getUint32(at + SEQ_OFFSET, true)}}`);
      }
      if (view.getUint16(at, true) < 16) break;
    }
  }

  /** Writes what is waiting. */
  flush(): void {
    if (this.lines.length === 0 || this.fd < 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.waiting = 0;
    writeSync(this.fd, text);
  }

  /** Writes what is waiting and closes the file; later events are dropped. Idempotent. */
  close(): void {
    if (this.fd < 0) return;
    this.timer.cancel();
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  private add(line: string): void {
    if (this.fd < 0) return;
    this.lines.push(line);
    this.waiting += line.length;
    if (this.waiting >= FLUSH_BYTES) this.flush();
  }
}
