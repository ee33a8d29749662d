// Test helper: one valid sample of every message type, seeded random valid messages, and a frame
// builder. Not a test file itself (node --test runs *.test.js only).
import {
  CancelReason,
  DisconnectReason,
  FillFlags,
  MAX_ID_HIGH,
  MAX_FRAME_BYTES,
  MessageType,
  OrderKind,
  REJECT_REASONS,
  SNAPSHOT_DEPTH,
  Side,
  TimeInForce,
  encodeMessage,
  type Level,
  type Message,
} from '../../host/protocol/index.js';

const T = MessageType;

/** One valid message of every type, with values that exercise every byte of the wider fields. */
export function sampleMessages(): Message[] {
  return [
    { type: T.Login, seq: 1, sendNs: 123_456_789n, userId: 42, heartbeatMs: 1000, token: 'secret-token-16b' },
    { type: T.LoginAck, seq: 1, sendNs: 9n, sessionId: 0x1f_0000_0001, heartbeatMs: 1000 },
    { type: T.Logout, seq: 9, sendNs: 10n, reason: DisconnectReason.HEARTBEAT_TIMEOUT, detail: 0 },
    { type: T.Heartbeat, seq: 4, sendNs: -5n },
    { type: T.TestRequest, seq: 5, sendNs: 13n, testId: 2 ** 40 + 7 },
    { type: T.TestResponse, seq: 6, sendNs: 14n, testId: 2 ** 40 + 7 },
    {
      type: T.NewOrder, seq: 2, sendNs: 1_000_000_000_000n, clOrdId: 1001, symbol: 3, side: Side.SELL,
      kind: OrderKind.LIMIT, tif: TimeInForce.POST_ONLY, price: 25_000, qty: 150,
    },
    { type: T.Cancel, seq: 3, sendNs: 2n, clOrdId: 1002, origClOrdId: 1001 },
    { type: T.Replace, seq: 4, sendNs: 3n, clOrdId: 1003, origClOrdId: 1001, price: 24_995, qty: 100 },
    {
      type: T.Ack, seq: 2, sendNs: 4n, clOrdId: 1001, exchOrderId: Number.MAX_SAFE_INTEGER, price: 25_000, qty: 150,
      symbol: 3, side: Side.SELL, kind: OrderKind.LIMIT, tif: TimeInForce.POST_ONLY,
    },
    { type: T.Reject, seq: 3, sendNs: 5n, clOrdId: 0, refSeq: 77, reason: 7, refType: T.Heartbeat, detail: 76 },
    {
      type: T.Fill, seq: 4, sendNs: 6n, clOrdId: 1001, exchOrderId: 555, tradeId: 2 ** 40 + 3, price: 25_000, qty: 50,
      leavesQty: 100, symbol: 3, side: Side.SELL, flags: FillFlags.MAKER,
    },
    {
      type: T.Canceled, seq: 5, sendNs: 7n, clOrdId: 1002, origClOrdId: 1001, exchOrderId: 555, canceledQty: 100,
      symbol: 3, side: Side.SELL, reason: CancelReason.REQUESTED,
    },
    {
      type: T.Replaced, seq: 6, sendNs: 8n, clOrdId: 1003, origClOrdId: 1001, oldExchOrderId: 555, exchOrderId: 556,
      price: 24_995, qty: 150, leavesQty: 100, symbol: 3, side: Side.SELL,
    },
    {
      type: T.SymbolDefinition, seq: 0, sendNs: 11n, symbol: 2, symbolCount: 3, tickPaise: 5, name: 'RELIANCE',
      lotSize: 1, bandLow: 50_000, bandHigh: 60_000, refPrice: 55_000,
    },
    {
      type: T.Snapshot, seq: 0, sendNs: 12n, symbol: 2, lastSeq: 1234,
      bids: [{ price: 55_000, qty: 10 }, { price: 54_999, qty: 20 }],
      asks: [{ price: 55_001, qty: 5 }, { price: 55_002, qty: 7 }, { price: 55_010, qty: 1 }],
    },
    { type: T.L2Delta, seq: 1235, sendNs: 13n, symbol: 2, side: Side.BUY, price: 55_000, qty: 0 },
    { type: T.Trade, seq: 1236, sendNs: 14n, symbol: 2, aggressorSide: Side.SELL, price: 55_000, qty: 10, tradeId: 99 },
    { type: T.SnapshotRequest, seq: 0, sendNs: 15n, symbol: 0 },
  ];
}

/** The sample of one type. */
export function sample<M extends Message['type']>(type: M): Extract<Message, { type: M }> {
  return sampleMessages().find((m) => m.type === type) as Extract<Message, { type: M }>;
}

/** Encode `m` into a fresh buffer exactly its size (plus `slack` spare bytes). */
export function frameOf(m: Message, slack = 0): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(MAX_FRAME_BYTES + slack);
  const view = new DataView(bytes.buffer);
  const n = encodeMessage(view, 0, m);
  return { bytes: bytes.subarray(0, n + slack), view };
}

/** Random valid messages, seeded: every field anywhere in its valid range. */
export class MessageGen {
  constructor(private readonly rnd: () => number, readonly maxSymbol = 500) {}

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  /** 1..2^53−1, with small, 32-bit-boundary and huge values all common. */
  id(): number {
    switch (this.int(0, 3)) {
      case 0: return this.int(1, 1000);
      case 1: return this.int(2 ** 32 - 2, 2 ** 32 + 2);
      case 2: return Number.MAX_SAFE_INTEGER - this.int(0, 3);
      default: return this.int(0, MAX_ID_HIGH) * 2 ** 32 + this.int(1, 2 ** 32 - 1);
    }
  }
  u32(): number {
    return this.int(0, 2 ** 32 - 1);
  }
  ns(): bigint {
    return BigInt.asIntN(64, (BigInt(this.u32()) << 32n) | BigInt(this.u32()));
  }
  price(): number {
    return this.int(1, 2 ** 31 - 1);
  }
  qty(): number {
    return this.int(1, 2 ** 31 - 1);
  }
  side(): number {
    return this.int(0, 1);
  }
  symbol(): number {
    return this.int(1, this.maxSymbol);
  }
  ascii(max: number, min = 0): string {
    let s = '';
    for (let i = this.int(min, max); i > 0; i--) s += String.fromCharCode(this.int(0x20, 0x7e));
    return s;
  }
  levels(n: number, start: number, step: number): Level[] {
    const out: Level[] = [];
    let p = start;
    for (let i = 0; i < n; i++) {
      out.push({ price: p, qty: this.qty() });
      p += step * this.int(1, 50);
    }
    return out;
  }

  message(type: number): Message {
    const seq = this.u32();
    const sendNs = this.ns();
    switch (type) {
      case T.Login:
        return { type, seq, sendNs, userId: this.int(1, 2 ** 32 - 1), heartbeatMs: this.int(100, 60_000), token: this.ascii(16) };
      case T.LoginAck:
        return { type, seq, sendNs, sessionId: this.id(), heartbeatMs: this.int(100, 60_000) };
      case T.Logout:
        return { type, seq, sendNs, reason: this.int(0, 9), detail: this.u32() };
      case T.Heartbeat:
        return { type, seq, sendNs };
      case T.TestRequest:
      case T.TestResponse:
        return { type, seq, sendNs, testId: this.id() };
      case T.NewOrder: {
        const kind = this.int(0, 1);
        return {
          type, seq, sendNs, clOrdId: this.id(), symbol: this.symbol(), side: this.side(), kind,
          tif: kind === OrderKind.MARKET ? TimeInForce.IOC : this.int(0, 2),
          price: kind === OrderKind.MARKET ? 0 : this.price(), qty: this.qty(),
        };
      }
      case T.Cancel:
        return { type, seq, sendNs, clOrdId: this.id(), origClOrdId: this.id() };
      case T.Replace:
        return { type, seq, sendNs, clOrdId: this.id(), origClOrdId: this.id(), price: this.price(), qty: this.qty() };
      case T.Ack: {
        const kind = this.int(0, 1);
        return {
          type, seq, sendNs, clOrdId: this.id(), exchOrderId: this.id(),
          price: kind === OrderKind.MARKET ? 0 : this.price(), qty: this.qty(), symbol: this.symbol(), side: this.side(),
          kind, tif: kind === OrderKind.MARKET ? TimeInForce.IOC : this.int(0, 2),
        };
      }
      case T.Reject:
        return {
          type, seq, sendNs, clOrdId: this.int(0, 1) ? this.id() : 0, refSeq: this.u32(),
          reason: REJECT_REASONS[this.int(1, REJECT_REASONS.length - 1)]!.code, refType: this.int(0, 255), detail: this.u32(),
        };
      case T.Fill: {
        const leavesQty = this.int(0, 1) ? 0 : this.qty();
        return {
          type, seq, sendNs, clOrdId: this.id(), exchOrderId: this.id(), tradeId: this.id(), price: this.price(),
          qty: this.qty(), leavesQty, symbol: this.symbol(), side: this.side(),
          flags: (leavesQty === 0 ? FillFlags.FULL : 0) | (this.int(0, 1) ? FillFlags.MAKER : 0),
        };
      }
      case T.Canceled:
        return {
          type, seq, sendNs, clOrdId: this.id(), origClOrdId: this.id(), exchOrderId: this.id(), canceledQty: this.qty(),
          symbol: this.symbol(), side: this.side(), reason: this.int(0, 3),
        };
      case T.Replaced: {
        const qty = this.qty();
        return {
          type, seq, sendNs, clOrdId: this.id(), origClOrdId: this.id(), oldExchOrderId: this.id(), exchOrderId: this.id(),
          price: this.price(), qty, leavesQty: this.int(1, qty), symbol: this.symbol(), side: this.side(),
        };
      }
      case T.SymbolDefinition: {
        const symbol = this.symbol();
        const bandLow = this.int(1, 1_000_000);
        const bandHigh = bandLow + this.int(0, 1_000_000);
        return {
          type, seq, sendNs, symbol, symbolCount: this.int(symbol, this.maxSymbol), tickPaise: this.int(1, 10_000),
          name: this.ascii(16, 1), lotSize: this.int(1, 5000), bandLow, bandHigh, refPrice: this.int(bandLow, bandHigh),
        };
      }
      case T.Snapshot: {
        const mid = this.int(100_000, 1_000_000);
        return {
          type, seq, sendNs, symbol: this.symbol(), lastSeq: this.u32(),
          bids: this.levels(this.int(0, SNAPSHOT_DEPTH), mid, -1), asks: this.levels(this.int(0, SNAPSHOT_DEPTH), mid + 1, 1),
        };
      }
      case T.L2Delta:
        return { type, seq, sendNs, symbol: this.symbol(), side: this.side(), price: this.price(), qty: this.int(0, 1) ? 0 : this.qty() };
      case T.Trade:
        return {
          type, seq, sendNs, symbol: this.symbol(), aggressorSide: this.side(), price: this.price(), qty: this.qty(), tradeId: this.id(),
        };
      case T.SnapshotRequest:
        return { type, seq, sendNs, symbol: this.int(0, this.maxSymbol) };
      default:
        throw new RangeError(`no generator for type ${type}`);
    }
  }
}
