// Every message of the venue protocol: type codes, fixed sizes, field offsets, encoders, field getters
// and decoders. docs/protocol.md has the byte table of each; tests/protocol/doc.test.ts parses those
// tables and checks them against the *Layout constants here, so doc and code cannot drift apart.
//
// Hot path: encoders take positional arguments and write every byte of the frame into the caller's
// buffer (no object, no allocation); getters read one field at a fixed offset. decodeFrame and
// encodeMessage build and take plain objects, for tests, logs and other off-hot-path code.
//
// Two offsets are shared on purpose: clOrdId is at 16 in every order and execution message
// (clOrdIdOf), symbol is at 16 in every market-data message (mdSymbolOf).
import {
  HEADER_BYTES,
  frameSendNs,
  frameSeq,
  frameType,
  readAscii,
  readId,
  writeAscii,
  writeHeader,
  writeId,
  writeZeros,
} from './frame.js';
import { OrderKind, Side, TimeInForce } from '../model/vocabulary.js';

export const MessageType = {
  // Session, OE port (Heartbeat also on MD)
  Login: 0x01,
  LoginAck: 0x02,
  Logout: 0x03,
  Heartbeat: 0x04,
  // Orders, client → venue, OE
  NewOrder: 0x10,
  Cancel: 0x11,
  Replace: 0x12,
  // Execution reports, venue → client, OE (Reject also on MD)
  Ack: 0x20,
  Reject: 0x21,
  Fill: 0x22,
  Canceled: 0x23,
  Replaced: 0x24,
  // Market data, MD port
  SymbolDefinition: 0x40,
  Snapshot: 0x41,
  L2Delta: 0x42,
  Trade: 0x43,
  SnapshotRequest: 0x48,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];
export type MessageName = keyof typeof MessageType;

/** Fill.flags bits. FULL: the order is done (leavesQty 0). MAKER: this side was resting. */
export const FillFlags = { FULL: 1, MAKER: 2 } as const;

/** Where a message type may travel (bit set). A receiver answers other types with UNEXPECTED_TYPE. */
export const Route = { OE_FROM_CLIENT: 1, OE_FROM_VENUE: 2, MD_FROM_CLIENT: 4, MD_FROM_VENUE: 8 } as const;

/** Heartbeat interval bounds (Login.heartbeatMs), ms. */
export const MIN_HEARTBEAT_MS = 100;
export const MAX_HEARTBEAT_MS = 60_000;
/** Symbol ids are 1..MAX_SYMBOL_ID; 0 means "none" (SnapshotRequest: all symbols). */
export const MAX_SYMBOL_ID = 0xffff;
/** Levels per side in a Snapshot. */
export const SNAPSHOT_DEPTH = 20;
/** Bytes of the Login token and the SymbolDefinition name (ASCII, NUL-padded). */
export const TOKEN_BYTES = 16;
export const SYMBOL_NAME_BYTES = 16;

// ---- Layouts: field → frame offset, plus `bytes`, the fixed frame size. Names as in the doc. ----

export const LoginLayout = { userId: 16, heartbeatMs: 20, token: 24, bytes: 40 } as const;
export const LoginAckLayout = { sessionId: 16, heartbeatMs: 24, bytes: 32 } as const;
export const LogoutLayout = { reason: 16, detail: 20, bytes: 24 } as const;
export const HeartbeatLayout = { bytes: HEADER_BYTES } as const;
export const NewOrderLayout = { clOrdId: 16, symbol: 24, side: 26, kind: 27, tif: 28, price: 32, qty: 36, bytes: 40 } as const;
export const CancelLayout = { clOrdId: 16, origClOrdId: 24, bytes: 32 } as const;
export const ReplaceLayout = { clOrdId: 16, origClOrdId: 24, price: 32, qty: 36, bytes: 40 } as const;
export const AckLayout = {
  clOrdId: 16, exchOrderId: 24, price: 32, qty: 36, symbol: 40, side: 42, kind: 43, tif: 44, bytes: 48,
} as const;
export const RejectLayout = { clOrdId: 16, refSeq: 24, reason: 28, refType: 30, detail: 32, bytes: 40 } as const;
export const FillLayout = {
  clOrdId: 16, exchOrderId: 24, tradeId: 32, price: 40, qty: 44, leavesQty: 48, symbol: 52, side: 54, flags: 55, bytes: 56,
} as const;
export const CanceledLayout = {
  clOrdId: 16, origClOrdId: 24, exchOrderId: 32, canceledQty: 40, symbol: 44, side: 46, reason: 47, bytes: 48,
} as const;
export const ReplacedLayout = {
  clOrdId: 16, origClOrdId: 24, oldExchOrderId: 32, exchOrderId: 40, price: 48, qty: 52, leavesQty: 56, symbol: 60,
  side: 62, bytes: 64,
} as const;
export const SymbolDefinitionLayout = {
  symbol: 16, symbolCount: 18, tickPaise: 20, name: 24, lotSize: 40, bandLow: 44, bandHigh: 48, refPrice: 52, bytes: 56,
} as const;
/** One snapshot level: best-first index i holds bid i and ask i. */
export const SnapshotLevelLayout = { bidPrice: 0, bidQty: 4, askPrice: 8, askQty: 12, bytes: 16 } as const;
export const SnapshotLayout = {
  symbol: 16, bidLevels: 18, askLevels: 19, lastSeq: 20, levels: 24,
  bytes: 24 + SNAPSHOT_DEPTH * SnapshotLevelLayout.bytes,
} as const;
export const L2DeltaLayout = { symbol: 16, side: 18, price: 20, qty: 24, bytes: 32 } as const;
export const TradeLayout = { symbol: 16, aggressorSide: 18, price: 20, qty: 24, tradeId: 32, bytes: 40 } as const;
export const SnapshotRequestLayout = { symbol: 16, bytes: 24 } as const;

/** One row per message type: the registry the size table, validation and docs test read. */
export interface MessageInfo {
  readonly name: MessageName;
  readonly type: MessageType;
  readonly bytes: number;
  readonly route: number;
  readonly layout: Readonly<Record<string, number>>;
}

const R = Route;
export const MESSAGES: readonly MessageInfo[] = [
  { name: 'Login', type: MessageType.Login, bytes: LoginLayout.bytes, route: R.OE_FROM_CLIENT, layout: LoginLayout },
  { name: 'LoginAck', type: MessageType.LoginAck, bytes: LoginAckLayout.bytes, route: R.OE_FROM_VENUE, layout: LoginAckLayout },
  { name: 'Logout', type: MessageType.Logout, bytes: LogoutLayout.bytes, route: R.OE_FROM_CLIENT | R.OE_FROM_VENUE, layout: LogoutLayout },
  {
    name: 'Heartbeat', type: MessageType.Heartbeat, bytes: HeartbeatLayout.bytes,
    route: R.OE_FROM_CLIENT | R.OE_FROM_VENUE | R.MD_FROM_CLIENT | R.MD_FROM_VENUE, layout: HeartbeatLayout,
  },
  { name: 'NewOrder', type: MessageType.NewOrder, bytes: NewOrderLayout.bytes, route: R.OE_FROM_CLIENT, layout: NewOrderLayout },
  { name: 'Cancel', type: MessageType.Cancel, bytes: CancelLayout.bytes, route: R.OE_FROM_CLIENT, layout: CancelLayout },
  { name: 'Replace', type: MessageType.Replace, bytes: ReplaceLayout.bytes, route: R.OE_FROM_CLIENT, layout: ReplaceLayout },
  { name: 'Ack', type: MessageType.Ack, bytes: AckLayout.bytes, route: R.OE_FROM_VENUE, layout: AckLayout },
  { name: 'Reject', type: MessageType.Reject, bytes: RejectLayout.bytes, route: R.OE_FROM_VENUE | R.MD_FROM_VENUE, layout: RejectLayout },
  { name: 'Fill', type: MessageType.Fill, bytes: FillLayout.bytes, route: R.OE_FROM_VENUE, layout: FillLayout },
  { name: 'Canceled', type: MessageType.Canceled, bytes: CanceledLayout.bytes, route: R.OE_FROM_VENUE, layout: CanceledLayout },
  { name: 'Replaced', type: MessageType.Replaced, bytes: ReplacedLayout.bytes, route: R.OE_FROM_VENUE, layout: ReplacedLayout },
  {
    name: 'SymbolDefinition', type: MessageType.SymbolDefinition, bytes: SymbolDefinitionLayout.bytes,
    route: R.MD_FROM_VENUE, layout: SymbolDefinitionLayout,
  },
  { name: 'Snapshot', type: MessageType.Snapshot, bytes: SnapshotLayout.bytes, route: R.MD_FROM_VENUE, layout: SnapshotLayout },
  { name: 'L2Delta', type: MessageType.L2Delta, bytes: L2DeltaLayout.bytes, route: R.MD_FROM_VENUE, layout: L2DeltaLayout },
  { name: 'Trade', type: MessageType.Trade, bytes: TradeLayout.bytes, route: R.MD_FROM_VENUE, layout: TradeLayout },
  {
    name: 'SnapshotRequest', type: MessageType.SnapshotRequest, bytes: SnapshotRequestLayout.bytes,
    route: R.MD_FROM_CLIENT, layout: SnapshotRequestLayout,
  },
];

/** Frame size by type code; 0 = unknown type. */
export const FRAME_BYTES: Uint16Array = new Uint16Array(256);
/** Route bits by type code; 0 = unknown type. */
export const ROUTES: Uint8Array = new Uint8Array(256);
for (const m of MESSAGES) {
  FRAME_BYTES[m.type] = m.bytes;
  ROUTES[m.type] = m.route;
}
/** The largest frame (Snapshot). */
export const MAX_FRAME_BYTES = Math.max(...MESSAGES.map((m) => m.bytes));

/** Fixed size of a message type's frames, or 0 for an unknown type. */
export function frameBytes(type: number): number {
  return FRAME_BYTES[type & 0xff]!;
}
/** True when `type` may arrive with route bit `route` (a Route value). */
export function routeAllows(type: number, route: number): boolean {
  return (ROUTES[type & 0xff]! & route) !== 0;
}
/** 'NewOrder', or 'type 0x7f' for an unknown code. */
export function messageName(type: number): string {
  for (const m of MESSAGES) if (m.type === type) return m.name;
  return `type 0x${type.toString(16).padStart(2, '0')}`;
}

// ---- Shared getters ----

/** clOrdId of any order or execution message (NewOrder..Replaced): always at 16. */
export function clOrdIdOf(view: DataView, at: number): number {
  return readId(view, at + 16);
}
/** symbol of any market-data message (SymbolDefinition..SnapshotRequest): always at 16. */
export function mdSymbolOf(view: DataView, at: number): number {
  return view.getUint16(at + 16, true);
}

// ---- Session ----

export function encodeLogin(view: DataView, at: number, seq: number, sendNs: bigint,
  userId: number, heartbeatMs: number, token: string): number {
  writeHeader(view, at, LoginLayout.bytes, MessageType.Login, seq, sendNs);
  view.setUint32(at + 16, userId, true);
  view.setUint32(at + 20, heartbeatMs, true);
  writeAscii(view, at + 24, TOKEN_BYTES, token);
  return LoginLayout.bytes;
}
export const loginUserId = (v: DataView, at: number): number => v.getUint32(at + 16, true);
export const loginHeartbeatMs = (v: DataView, at: number): number => v.getUint32(at + 20, true);
export const loginToken = (v: DataView, at: number): string => readAscii(v, at + 24, TOKEN_BYTES);

export function encodeLoginAck(view: DataView, at: number, seq: number, sendNs: bigint,
  sessionId: number, heartbeatMs: number): number {
  writeHeader(view, at, LoginAckLayout.bytes, MessageType.LoginAck, seq, sendNs);
  writeId(view, at + 16, sessionId);
  view.setUint32(at + 24, heartbeatMs, true);
  view.setUint32(at + 28, 0, true);
  return LoginAckLayout.bytes;
}
export const loginAckSessionId = (v: DataView, at: number): number => readId(v, at + 16);
export const loginAckHeartbeatMs = (v: DataView, at: number): number => v.getUint32(at + 24, true);

export function encodeLogout(view: DataView, at: number, seq: number, sendNs: bigint,
  reason: number, detail: number): number {
  writeHeader(view, at, LogoutLayout.bytes, MessageType.Logout, seq, sendNs);
  view.setUint16(at + 16, reason, true);
  view.setUint16(at + 18, 0, true);
  view.setUint32(at + 20, detail, true);
  return LogoutLayout.bytes;
}
export const logoutReason = (v: DataView, at: number): number => v.getUint16(at + 16, true);
export const logoutDetail = (v: DataView, at: number): number => v.getUint32(at + 20, true);

export function encodeHeartbeat(view: DataView, at: number, seq: number, sendNs: bigint): number {
  writeHeader(view, at, HeartbeatLayout.bytes, MessageType.Heartbeat, seq, sendNs);
  return HeartbeatLayout.bytes;
}

// ---- Orders (client → venue) ----

export function encodeNewOrder(view: DataView, at: number, seq: number, sendNs: bigint,
  clOrdId: number, symbol: number, side: number, kind: number, tif: number, price: number, qty: number): number {
  writeHeader(view, at, NewOrderLayout.bytes, MessageType.NewOrder, seq, sendNs);
  writeId(view, at + 16, clOrdId);
  view.setUint16(at + 24, symbol, true);
  view.setUint8(at + 26, side);
  view.setUint8(at + 27, kind);
  view.setUint8(at + 28, tif);
  view.setUint8(at + 29, 0);
  view.setUint16(at + 30, 0, true);
  view.setInt32(at + 32, price, true);
  view.setInt32(at + 36, qty, true);
  return NewOrderLayout.bytes;
}
export const newOrderSymbol = (v: DataView, at: number): number => v.getUint16(at + 24, true);
export const newOrderSide = (v: DataView, at: number): number => v.getUint8(at + 26);
export const newOrderKind = (v: DataView, at: number): number => v.getUint8(at + 27);
export const newOrderTif = (v: DataView, at: number): number => v.getUint8(at + 28);
export const newOrderPrice = (v: DataView, at: number): number => v.getInt32(at + 32, true);
export const newOrderQty = (v: DataView, at: number): number => v.getInt32(at + 36, true);

export function encodeCancel(view: DataView, at: number, seq: number, sendNs: bigint,
  clOrdId: number, origClOrdId: number): number {
  writeHeader(view, at, CancelLayout.bytes, MessageType.Cancel, seq, sendNs);
  writeId(view, at + 16, clOrdId);
  writeId(view, at + 24, origClOrdId);
  return CancelLayout.bytes;
}
export const cancelOrigClOrdId = (v: DataView, at: number): number => readId(v, at + 24);

export function encodeReplace(view: DataView, at: number, seq: number, sendNs: bigint,
  clOrdId: number, origClOrdId: number, price: number, qty: number): number {
  writeHeader(view, at, ReplaceLayout.bytes, MessageType.Replace, seq, sendNs);
  writeId(view, at + 16, clOrdId);
  writeId(view, at + 24, origClOrdId);
  view.setInt32(at + 32, price, true);
  view.setInt32(at + 36, qty, true);
  return ReplaceLayout.bytes;
}
export const replaceOrigClOrdId = (v: DataView, at: number): number => readId(v, at + 24);
export const replacePrice = (v: DataView, at: number): number => v.getInt32(at + 32, true);
export const replaceQty = (v: DataView, at: number): number => v.getInt32(at + 36, true);

// ---- Execution reports (venue → client) ----

export function encodeAck(view: DataView, at: number, seq: number, sendNs: bigint,
  clOrdId: number, exchOrderId: number, price: number, qty: number, symbol: number, side: number, kind: number,
  tif: number): number {
  writeHeader(view, at, AckLayout.bytes, MessageType.Ack, seq, sendNs);
  writeId(view, at + 16, clOrdId);
  writeId(view, at + 24, exchOrderId);
  view.setInt32(at + 32, price, true);
  view.setInt32(at + 36, qty, true);
  view.setUint16(at + 40, symbol, true);
  view.setUint8(at + 42, side);
  view.setUint8(at + 43, kind);
  view.setUint8(at + 44, tif);
  writeZeros(view, at + 45, 3);
  return AckLayout.bytes;
}
export const ackExchOrderId = (v: DataView, at: number): number => readId(v, at + 24);
export const ackPrice = (v: DataView, at: number): number => v.getInt32(at + 32, true);
export const ackQty = (v: DataView, at: number): number => v.getInt32(at + 36, true);
export const ackSymbol = (v: DataView, at: number): number => v.getUint16(at + 40, true);
export const ackSide = (v: DataView, at: number): number => v.getUint8(at + 42);
export const ackKind = (v: DataView, at: number): number => v.getUint8(at + 43);
export const ackTif = (v: DataView, at: number): number => v.getUint8(at + 44);

export function encodeReject(view: DataView, at: number, seq: number, sendNs: bigint,
  clOrdId: number, refSeq: number, reason: number, refType: number, detail: number): number {
  writeHeader(view, at, RejectLayout.bytes, MessageType.Reject, seq, sendNs);
  writeId(view, at + 16, clOrdId);
  view.setUint32(at + 24, refSeq, true);
  view.setUint16(at + 28, reason, true);
  view.setUint8(at + 30, refType);
  view.setUint8(at + 31, 0);
  view.setUint32(at + 32, detail, true);
  view.setUint32(at + 36, 0, true);
  return RejectLayout.bytes;
}
export const rejectRefSeq = (v: DataView, at: number): number => v.getUint32(at + 24, true);
export const rejectReason = (v: DataView, at: number): number => v.getUint16(at + 28, true);
export const rejectRefType = (v: DataView, at: number): number => v.getUint8(at + 30);
export const rejectDetail = (v: DataView, at: number): number => v.getUint32(at + 32, true);

export function encodeFill(view: DataView, at: number, seq: number, sendNs: bigint,
  clOrdId: number, exchOrderId: number, tradeId: number, price: number, qty: number, leavesQty: number,
  symbol: number, side: number, flags: number): number {
  writeHeader(view, at, FillLayout.bytes, MessageType.Fill, seq, sendNs);
  writeId(view, at + 16, clOrdId);
  writeId(view, at + 24, exchOrderId);
  writeId(view, at + 32, tradeId);
  view.setInt32(at + 40, price, true);
  view.setInt32(at + 44, qty, true);
  view.setInt32(at + 48, leavesQty, true);
  view.setUint16(at + 52, symbol, true);
  view.setUint8(at + 54, side);
  view.setUint8(at + 55, flags);
  return FillLayout.bytes;
}
export const fillExchOrderId = (v: DataView, at: number): number => readId(v, at + 24);
export const fillTradeId = (v: DataView, at: number): number => readId(v, at + 32);
export const fillPrice = (v: DataView, at: number): number => v.getInt32(at + 40, true);
export const fillQty = (v: DataView, at: number): number => v.getInt32(at + 44, true);
export const fillLeavesQty = (v: DataView, at: number): number => v.getInt32(at + 48, true);
export const fillSymbol = (v: DataView, at: number): number => v.getUint16(at + 52, true);
export const fillSide = (v: DataView, at: number): number => v.getUint8(at + 54);
export const fillFlags = (v: DataView, at: number): number => v.getUint8(at + 55);

export function encodeCanceled(view: DataView, at: number, seq: number, sendNs: bigint,
  clOrdId: number, origClOrdId: number, exchOrderId: number, canceledQty: number, symbol: number, side: number,
  reason: number): number {
  writeHeader(view, at, CanceledLayout.bytes, MessageType.Canceled, seq, sendNs);
  writeId(view, at + 16, clOrdId);
  writeId(view, at + 24, origClOrdId);
  writeId(view, at + 32, exchOrderId);
  view.setInt32(at + 40, canceledQty, true);
  view.setUint16(at + 44, symbol, true);
  view.setUint8(at + 46, side);
  view.setUint8(at + 47, reason);
  return CanceledLayout.bytes;
}
export const canceledOrigClOrdId = (v: DataView, at: number): number => readId(v, at + 24);
export const canceledExchOrderId = (v: DataView, at: number): number => readId(v, at + 32);
export const canceledQty = (v: DataView, at: number): number => v.getInt32(at + 40, true);
export const canceledSymbol = (v: DataView, at: number): number => v.getUint16(at + 44, true);
export const canceledSide = (v: DataView, at: number): number => v.getUint8(at + 46);
export const canceledReason = (v: DataView, at: number): number => v.getUint8(at + 47);

export function encodeReplaced(view: DataView, at: number, seq: number, sendNs: bigint,
  clOrdId: number, origClOrdId: number, oldExchOrderId: number, exchOrderId: number, price: number, qty: number,
  leavesQty: number, symbol: number, side: number): number {
  writeHeader(view, at, ReplacedLayout.bytes, MessageType.Replaced, seq, sendNs);
  writeId(view, at + 16, clOrdId);
  writeId(view, at + 24, origClOrdId);
  writeId(view, at + 32, oldExchOrderId);
  writeId(view, at + 40, exchOrderId);
  view.setInt32(at + 48, price, true);
  view.setInt32(at + 52, qty, true);
  view.setInt32(at + 56, leavesQty, true);
  view.setUint16(at + 60, symbol, true);
  view.setUint8(at + 62, side);
  view.setUint8(at + 63, 0);
  return ReplacedLayout.bytes;
}
export const replacedOrigClOrdId = (v: DataView, at: number): number => readId(v, at + 24);
export const replacedOldExchOrderId = (v: DataView, at: number): number => readId(v, at + 32);
export const replacedExchOrderId = (v: DataView, at: number): number => readId(v, at + 40);
export const replacedPrice = (v: DataView, at: number): number => v.getInt32(at + 48, true);
export const replacedQty = (v: DataView, at: number): number => v.getInt32(at + 52, true);
export const replacedLeavesQty = (v: DataView, at: number): number => v.getInt32(at + 56, true);
export const replacedSymbol = (v: DataView, at: number): number => v.getUint16(at + 60, true);
export const replacedSide = (v: DataView, at: number): number => v.getUint8(at + 62);

// ---- Market data ----

export function encodeSymbolDefinition(view: DataView, at: number, seq: number, sendNs: bigint,
  symbol: number, symbolCount: number, tickPaise: number, name: string, lotSize: number, bandLow: number,
  bandHigh: number, refPrice: number): number {
  writeHeader(view, at, SymbolDefinitionLayout.bytes, MessageType.SymbolDefinition, seq, sendNs);
  view.setUint16(at + 16, symbol, true);
  view.setUint16(at + 18, symbolCount, true);
  view.setUint32(at + 20, tickPaise, true);
  writeAscii(view, at + 24, SYMBOL_NAME_BYTES, name);
  view.setUint32(at + 40, lotSize, true);
  view.setInt32(at + 44, bandLow, true);
  view.setInt32(at + 48, bandHigh, true);
  view.setInt32(at + 52, refPrice, true);
  return SymbolDefinitionLayout.bytes;
}
export const symbolDefinitionCount = (v: DataView, at: number): number => v.getUint16(at + 18, true);
export const symbolDefinitionTickPaise = (v: DataView, at: number): number => v.getUint32(at + 20, true);
export const symbolDefinitionName = (v: DataView, at: number): string => readAscii(v, at + 24, SYMBOL_NAME_BYTES);
export const symbolDefinitionLotSize = (v: DataView, at: number): number => v.getUint32(at + 40, true);
export const symbolDefinitionBandLow = (v: DataView, at: number): number => v.getInt32(at + 44, true);
export const symbolDefinitionBandHigh = (v: DataView, at: number): number => v.getInt32(at + 48, true);
export const symbolDefinitionRefPrice = (v: DataView, at: number): number => v.getInt32(at + 52, true);

/** Snapshot of the best SNAPSHOT_DEPTH levels per side, best first. Prices/qtys are read from index
 *  0..bidLevels−1 (asks: 0..askLevels−1) of the arrays (an Int32Array from the book works); levels
 *  past the counts are written as zeros. */
export function encodeSnapshot(view: DataView, at: number, seq: number, sendNs: bigint,
  symbol: number, lastSeq: number,
  bidPrices: ArrayLike<number>, bidQtys: ArrayLike<number>, bidLevels: number,
  askPrices: ArrayLike<number>, askQtys: ArrayLike<number>, askLevels: number): number {
  if (bidLevels > SNAPSHOT_DEPTH || askLevels > SNAPSHOT_DEPTH || bidLevels < 0 || askLevels < 0) {
    throw new RangeError(`snapshot levels ${bidLevels}/${askLevels} outside 0..${SNAPSHOT_DEPTH}`);
  }
  writeHeader(view, at, SnapshotLayout.bytes, MessageType.Snapshot, seq, sendNs);
  view.setUint16(at + 16, symbol, true);
  view.setUint8(at + 18, bidLevels);
  view.setUint8(at + 19, askLevels);
  view.setUint32(at + 20, lastSeq, true);
  for (let i = 0; i < SNAPSHOT_DEPTH; i++) {
    const o = at + 24 + i * 16;
    const bid = i < bidLevels;
    const ask = i < askLevels;
    view.setInt32(o, bid ? bidPrices[i]! : 0, true);
    view.setInt32(o + 4, bid ? bidQtys[i]! : 0, true);
    view.setInt32(o + 8, ask ? askPrices[i]! : 0, true);
    view.setInt32(o + 12, ask ? askQtys[i]! : 0, true);
  }
  return SnapshotLayout.bytes;
}
export const snapshotBidLevels = (v: DataView, at: number): number => v.getUint8(at + 18);
export const snapshotAskLevels = (v: DataView, at: number): number => v.getUint8(at + 19);
export const snapshotLastSeq = (v: DataView, at: number): number => v.getUint32(at + 20, true);
export const snapshotBidPrice = (v: DataView, at: number, i: number): number => v.getInt32(at + 24 + i * 16, true);
export const snapshotBidQty = (v: DataView, at: number, i: number): number => v.getInt32(at + 28 + i * 16, true);
export const snapshotAskPrice = (v: DataView, at: number, i: number): number => v.getInt32(at + 32 + i * 16, true);
export const snapshotAskQty = (v: DataView, at: number, i: number): number => v.getInt32(at + 36 + i * 16, true);

export function encodeL2Delta(view: DataView, at: number, seq: number, sendNs: bigint,
  symbol: number, side: number, price: number, qty: number): number {
  writeHeader(view, at, L2DeltaLayout.bytes, MessageType.L2Delta, seq, sendNs);
  view.setUint16(at + 16, symbol, true);
  view.setUint8(at + 18, side);
  view.setUint8(at + 19, 0);
  view.setInt32(at + 20, price, true);
  view.setInt32(at + 24, qty, true);
  view.setUint32(at + 28, 0, true);
  return L2DeltaLayout.bytes;
}
export const l2DeltaSide = (v: DataView, at: number): number => v.getUint8(at + 18);
export const l2DeltaPrice = (v: DataView, at: number): number => v.getInt32(at + 20, true);
export const l2DeltaQty = (v: DataView, at: number): number => v.getInt32(at + 24, true);

export function encodeTrade(view: DataView, at: number, seq: number, sendNs: bigint,
  symbol: number, aggressorSide: number, price: number, qty: number, tradeId: number): number {
  writeHeader(view, at, TradeLayout.bytes, MessageType.Trade, seq, sendNs);
  view.setUint16(at + 16, symbol, true);
  view.setUint8(at + 18, aggressorSide);
  view.setUint8(at + 19, 0);
  view.setInt32(at + 20, price, true);
  view.setInt32(at + 24, qty, true);
  view.setUint32(at + 28, 0, true);
  writeId(view, at + 32, tradeId);
  return TradeLayout.bytes;
}
export const tradeAggressorSide = (v: DataView, at: number): number => v.getUint8(at + 18);
export const tradePrice = (v: DataView, at: number): number => v.getInt32(at + 20, true);
export const tradeQty = (v: DataView, at: number): number => v.getInt32(at + 24, true);
export const tradeId = (v: DataView, at: number): number => readId(v, at + 32);

export function encodeSnapshotRequest(view: DataView, at: number, seq: number, sendNs: bigint, symbol: number): number {
  writeHeader(view, at, SnapshotRequestLayout.bytes, MessageType.SnapshotRequest, seq, sendNs);
  view.setUint16(at + 16, symbol, true);
  writeZeros(view, at + 18, 6);
  return SnapshotRequestLayout.bytes;
}

// ---- Decoded messages (off the hot path) ----

interface Header<T extends MessageType> {
  type: T;
  seq: number;
  sendNs: bigint;
}
export interface Login extends Header<typeof MessageType.Login> { userId: number; heartbeatMs: number; token: string }
export interface LoginAck extends Header<typeof MessageType.LoginAck> { sessionId: number; heartbeatMs: number }
export interface Logout extends Header<typeof MessageType.Logout> { reason: number; detail: number }
export type Heartbeat = Header<typeof MessageType.Heartbeat>;
export interface NewOrder extends Header<typeof MessageType.NewOrder> {
  clOrdId: number; symbol: number; side: number; kind: number; tif: number; price: number; qty: number;
}
export interface Cancel extends Header<typeof MessageType.Cancel> { clOrdId: number; origClOrdId: number }
export interface Replace extends Header<typeof MessageType.Replace> {
  clOrdId: number; origClOrdId: number; price: number; qty: number;
}
export interface Ack extends Header<typeof MessageType.Ack> {
  clOrdId: number; exchOrderId: number; price: number; qty: number; symbol: number; side: number; kind: number;
  tif: number;
}
export interface Reject extends Header<typeof MessageType.Reject> {
  clOrdId: number; refSeq: number; reason: number; refType: number; detail: number;
}
export interface Fill extends Header<typeof MessageType.Fill> {
  clOrdId: number; exchOrderId: number; tradeId: number; price: number; qty: number; leavesQty: number;
  symbol: number; side: number; flags: number;
}
export interface Canceled extends Header<typeof MessageType.Canceled> {
  clOrdId: number; origClOrdId: number; exchOrderId: number; canceledQty: number; symbol: number; side: number;
  reason: number;
}
export interface Replaced extends Header<typeof MessageType.Replaced> {
  clOrdId: number; origClOrdId: number; oldExchOrderId: number; exchOrderId: number; price: number; qty: number;
  leavesQty: number; symbol: number; side: number;
}
/** A symbol as a SymbolDefinition describes it, for code on either side of the wire. Prices in ticks. */
export interface SymbolSpec {
  readonly id: number;
  readonly name: string;
  readonly tickPaise: number;
  readonly lotSize: number;
  readonly bandLow: number;
  readonly bandHigh: number;
  readonly refPrice: number;
}
export interface SymbolDefinition extends Header<typeof MessageType.SymbolDefinition> {
  symbol: number; symbolCount: number; tickPaise: number; name: string; lotSize: number; bandLow: number;
  bandHigh: number; refPrice: number;
}
export interface Level { price: number; qty: number }
export interface Snapshot extends Header<typeof MessageType.Snapshot> {
  symbol: number; lastSeq: number; bids: Level[]; asks: Level[];
}
export interface L2Delta extends Header<typeof MessageType.L2Delta> { symbol: number; side: number; price: number; qty: number }
export interface Trade extends Header<typeof MessageType.Trade> {
  symbol: number; aggressorSide: number; price: number; qty: number; tradeId: number;
}
export interface SnapshotRequest extends Header<typeof MessageType.SnapshotRequest> { symbol: number }

export type Message =
  | Login | LoginAck | Logout | Heartbeat
  | NewOrder | Cancel | Replace
  | Ack | Reject | Fill | Canceled | Replaced
  | SymbolDefinition | Snapshot | L2Delta | Trade | SnapshotRequest;

/** Decode the frame at `at` into an object. Validate first (validateFrame): this trusts the bytes
 *  and throws only for an unknown type. Allocates. */
export function decodeFrame(view: DataView, at: number): Message {
  const type = frameType(view, at);
  const seq = frameSeq(view, at);
  const sendNs = frameSendNs(view, at);
  const T = MessageType;
  switch (type) {
    case T.Login:
      return { type, seq, sendNs, userId: loginUserId(view, at), heartbeatMs: loginHeartbeatMs(view, at), token: loginToken(view, at) };
    case T.LoginAck:
      return { type, seq, sendNs, sessionId: loginAckSessionId(view, at), heartbeatMs: loginAckHeartbeatMs(view, at) };
    case T.Logout:
      return { type, seq, sendNs, reason: logoutReason(view, at), detail: logoutDetail(view, at) };
    case T.Heartbeat:
      return { type, seq, sendNs };
    case T.NewOrder:
      return {
        type, seq, sendNs, clOrdId: clOrdIdOf(view, at), symbol: newOrderSymbol(view, at), side: newOrderSide(view, at),
        kind: newOrderKind(view, at), tif: newOrderTif(view, at), price: newOrderPrice(view, at), qty: newOrderQty(view, at),
      };
    case T.Cancel:
      return { type, seq, sendNs, clOrdId: clOrdIdOf(view, at), origClOrdId: cancelOrigClOrdId(view, at) };
    case T.Replace:
      return {
        type, seq, sendNs, clOrdId: clOrdIdOf(view, at), origClOrdId: replaceOrigClOrdId(view, at),
        price: replacePrice(view, at), qty: replaceQty(view, at),
      };
    case T.Ack:
      return {
        type, seq, sendNs, clOrdId: clOrdIdOf(view, at), exchOrderId: ackExchOrderId(view, at), price: ackPrice(view, at),
        qty: ackQty(view, at), symbol: ackSymbol(view, at), side: ackSide(view, at), kind: ackKind(view, at),
        tif: ackTif(view, at),
      };
    case T.Reject:
      return {
        type, seq, sendNs, clOrdId: clOrdIdOf(view, at), refSeq: rejectRefSeq(view, at), reason: rejectReason(view, at),
        refType: rejectRefType(view, at), detail: rejectDetail(view, at),
      };
    case T.Fill:
      return {
        type, seq, sendNs, clOrdId: clOrdIdOf(view, at), exchOrderId: fillExchOrderId(view, at),
        tradeId: fillTradeId(view, at), price: fillPrice(view, at), qty: fillQty(view, at),
        leavesQty: fillLeavesQty(view, at), symbol: fillSymbol(view, at), side: fillSide(view, at),
        flags: fillFlags(view, at),
      };
    case T.Canceled:
      return {
        type, seq, sendNs, clOrdId: clOrdIdOf(view, at), origClOrdId: canceledOrigClOrdId(view, at),
        exchOrderId: canceledExchOrderId(view, at), canceledQty: canceledQty(view, at),
        symbol: canceledSymbol(view, at), side: canceledSide(view, at), reason: canceledReason(view, at),
      };
    case T.Replaced:
      return {
        type, seq, sendNs, clOrdId: clOrdIdOf(view, at), origClOrdId: replacedOrigClOrdId(view, at),
        oldExchOrderId: replacedOldExchOrderId(view, at), exchOrderId: replacedExchOrderId(view, at),
        price: replacedPrice(view, at), qty: replacedQty(view, at), leavesQty: replacedLeavesQty(view, at),
        symbol: replacedSymbol(view, at), side: replacedSide(view, at),
      };
    case T.SymbolDefinition:
      return {
        type, seq, sendNs, symbol: mdSymbolOf(view, at), symbolCount: symbolDefinitionCount(view, at),
        tickPaise: symbolDefinitionTickPaise(view, at), name: symbolDefinitionName(view, at),
        lotSize: symbolDefinitionLotSize(view, at), bandLow: symbolDefinitionBandLow(view, at),
        bandHigh: symbolDefinitionBandHigh(view, at), refPrice: symbolDefinitionRefPrice(view, at),
      };
    case T.Snapshot: {
      const bids: Level[] = [];
      const asks: Level[] = [];
      const nb = Math.min(snapshotBidLevels(view, at), SNAPSHOT_DEPTH);
      const na = Math.min(snapshotAskLevels(view, at), SNAPSHOT_DEPTH);
      for (let i = 0; i < nb; i++) bids.push({ price: snapshotBidPrice(view, at, i), qty: snapshotBidQty(view, at, i) });
      for (let i = 0; i < na; i++) asks.push({ price: snapshotAskPrice(view, at, i), qty: snapshotAskQty(view, at, i) });
      return { type, seq, sendNs, symbol: mdSymbolOf(view, at), lastSeq: snapshotLastSeq(view, at), bids, asks };
    }
    case T.L2Delta:
      return {
        type, seq, sendNs, symbol: mdSymbolOf(view, at), side: l2DeltaSide(view, at), price: l2DeltaPrice(view, at),
        qty: l2DeltaQty(view, at),
      };
    case T.Trade:
      return {
        type, seq, sendNs, symbol: mdSymbolOf(view, at), aggressorSide: tradeAggressorSide(view, at),
        price: tradePrice(view, at), qty: tradeQty(view, at), tradeId: tradeId(view, at),
      };
    case T.SnapshotRequest:
      return { type, seq, sendNs, symbol: mdSymbolOf(view, at) };
    default:
      throw new RangeError(`decodeFrame: unknown message ${messageName(type)}`);
  }
}

/** Encode a message object at `at`; returns bytes written. Off the hot path (use the encodeX
 *  functions there). */
export function encodeMessage(view: DataView, at: number, m: Message): number {
  const T = MessageType;
  switch (m.type) {
    case T.Login: return encodeLogin(view, at, m.seq, m.sendNs, m.userId, m.heartbeatMs, m.token);
    case T.LoginAck: return encodeLoginAck(view, at, m.seq, m.sendNs, m.sessionId, m.heartbeatMs);
    case T.Logout: return encodeLogout(view, at, m.seq, m.sendNs, m.reason, m.detail);
    case T.Heartbeat: return encodeHeartbeat(view, at, m.seq, m.sendNs);
    case T.NewOrder:
      return encodeNewOrder(view, at, m.seq, m.sendNs, m.clOrdId, m.symbol, m.side, m.kind, m.tif, m.price, m.qty);
    case T.Cancel: return encodeCancel(view, at, m.seq, m.sendNs, m.clOrdId, m.origClOrdId);
    case T.Replace: return encodeReplace(view, at, m.seq, m.sendNs, m.clOrdId, m.origClOrdId, m.price, m.qty);
    case T.Ack:
      return encodeAck(view, at, m.seq, m.sendNs, m.clOrdId, m.exchOrderId, m.price, m.qty, m.symbol, m.side, m.kind, m.tif);
    case T.Reject: return encodeReject(view, at, m.seq, m.sendNs, m.clOrdId, m.refSeq, m.reason, m.refType, m.detail);
    case T.Fill:
      return encodeFill(view, at, m.seq, m.sendNs, m.clOrdId, m.exchOrderId, m.tradeId, m.price, m.qty, m.leavesQty,
        m.symbol, m.side, m.flags);
    case T.Canceled:
      return encodeCanceled(view, at, m.seq, m.sendNs, m.clOrdId, m.origClOrdId, m.exchOrderId, m.canceledQty,
        m.symbol, m.side, m.reason);
    case T.Replaced:
      return encodeReplaced(view, at, m.seq, m.sendNs, m.clOrdId, m.origClOrdId, m.oldExchOrderId, m.exchOrderId,
        m.price, m.qty, m.leavesQty, m.symbol, m.side);
    case T.SymbolDefinition:
      return encodeSymbolDefinition(view, at, m.seq, m.sendNs, m.symbol, m.symbolCount, m.tickPaise, m.name,
        m.lotSize, m.bandLow, m.bandHigh, m.refPrice);
    case T.Snapshot:
      return encodeSnapshot(view, at, m.seq, m.sendNs, m.symbol, m.lastSeq,
        m.bids.map((l) => l.price), m.bids.map((l) => l.qty), m.bids.length,
        m.asks.map((l) => l.price), m.asks.map((l) => l.qty), m.asks.length);
    case T.L2Delta: return encodeL2Delta(view, at, m.seq, m.sendNs, m.symbol, m.side, m.price, m.qty);
    case T.Trade: return encodeTrade(view, at, m.seq, m.sendNs, m.symbol, m.aggressorSide, m.price, m.qty, m.tradeId);
    case T.SnapshotRequest: return encodeSnapshotRequest(view, at, m.seq, m.sendNs, m.symbol);
  }
}
