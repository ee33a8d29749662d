// Every message of the venue protocol, each described once: name, type code, route, and its fields in
// byte-table order with the rule validation applies to each (one line per 8-byte word of the frame,
// after the 16-byte header). Offsets, sizes, getters, encoders and the field checks all derive from
// these descriptions (layout.ts, validate.ts); each description is followed by the names its getters and
// encoder are exported under. docs/protocol.md has the byte tables, and tests/protocol/doc.test.ts
// checks every row of them against the descriptions.
//
// Hot path: encoders take positional arguments and write every byte of the frame into the caller's
// buffer (no object, no allocation); getters read one field at a fixed offset. decodeFrame and
// encodeMessage build and take plain objects, for tests, logs and other off-hot-path code.
//
// Two offsets are shared on purpose: clOrdId is at 16 in every order and execution message
// (clOrdIdOf), symbol is at 16 in every market-data message (mdSymbolOf). The module refuses to load
// if a description breaks that.
import { HeaderLayout, PROTOCOL_VERSION, frameSendNs, frameSeq, frameType } from './frame.js';
import { FieldRule as F, SNAPSHOT_DEPTH } from './field-rules.js';
import {
  array,
  compileEncoder,
  record,
  valueFields,
  type EncoderArgs,
  type Field,
  type FieldSpec,
  type RecordLayout,
  type Rule,
  type Values,
} from './layout.js';
import { RejectReason } from '../model/reasons.js';

/** Where a message type may travel (bit set). A receiver answers other types with UNEXPECTED_TYPE. */
export const Route = { OE_FROM_CLIENT: 1, OE_FROM_VENUE: 2, MD_FROM_CLIENT: 4, MD_FROM_VENUE: 8 } as const;
/** Bytes of the Login token and the SymbolDefinition name (ASCII, NUL-padded). */
export const TOKEN_BYTES = 16;
export const SYMBOL_NAME_BYTES = 16;

/** A message's description with what derives from it. `encode(view, at, seq, sendNs, ...values)`
 *  writes the whole frame and returns its size. */
export interface MessageLayout<N extends string = string, T extends number = number, F extends readonly FieldSpec[] = readonly FieldSpec[]>
  extends RecordLayout<N, F> {
  readonly type: T;
  readonly route: number;
  readonly encode: (view: DataView, at: number, seq: number, sendNs: bigint, ...values: EncoderArgs<F>) => number;
}

function message<const N extends string, const T extends number, const F extends readonly FieldSpec[]>(
  name: N, type: T, route: number, fields: F,
): MessageLayout<N, T, F> {
  const layout = record(name, fields, HeaderLayout);
  const encode = compileEncoder(layout, { length: layout.bytes, type, version: PROTOCOL_VERSION });
  return { ...layout, type, route, encode } as MessageLayout<N, T, F>;
}

type Flat<T> = { [K in keyof T]: T[K] };
/** A message as an object (decodeFrame, encodeMessage): the header's type, seq and sendNs, then the
 *  description's value fields. */
type Decoded<L> = L extends MessageLayout<string, infer T, infer F>
  ? Flat<{ type: T; seq: number; sendNs: bigint } & Values<F>>
  : never;
/** A Snapshot level as an object: one side's price and quantity. */
export interface Level { price: number; qty: number }

const R = Route;

// ---- Session (OE; Heartbeat also on MD) ----

export const LoginLayout = message('Login', 0x01, R.OE_FROM_CLIENT, [
  ['userId', 'u32', F.nonZero], ['heartbeatMs', 'u32', F.heartbeatMs],
  ['token', `char[${TOKEN_BYTES}]`],
]);
export type Login = Decoded<typeof LoginLayout>;
export const encodeLogin = LoginLayout.encode;
export const { userId: loginUserId, heartbeatMs: loginHeartbeatMs, token: loginToken } = LoginLayout.get;

export const LoginAckLayout = message('LoginAck', 0x02, R.OE_FROM_VENUE, [
  ['sessionId', 'u64', F.id],
  ['heartbeatMs', 'u32', F.heartbeatMs], ['reserved', 'u32'],
]);
export type LoginAck = Decoded<typeof LoginAckLayout>;
export const encodeLoginAck = LoginAckLayout.encode;
export const { sessionId: loginAckSessionId, heartbeatMs: loginAckHeartbeatMs } = LoginAckLayout.get;

export const LogoutLayout = message('Logout', 0x03, R.OE_FROM_CLIENT | R.OE_FROM_VENUE, [
  ['reason', 'u16', F.disconnectReason], ['reserved', 'u16'], ['detail', 'u32'],
]);
export type Logout = Decoded<typeof LogoutLayout>;
export const encodeLogout = LogoutLayout.encode;
export const { reason: logoutReason, detail: logoutDetail } = LogoutLayout.get;

export const HeartbeatLayout = message('Heartbeat', 0x04, R.OE_FROM_CLIENT | R.OE_FROM_VENUE | R.MD_FROM_CLIENT | R.MD_FROM_VENUE, []);
export type Heartbeat = Decoded<typeof HeartbeatLayout>;
export const encodeHeartbeat = HeartbeatLayout.encode;

// An RTT probe, as FIX's TestRequest: the venue answers at once on OE through the same latency as orders,
// so the round trip measures the order path without trading. Neither is an order (no rate limit, no audit).
export const TestRequestLayout = message('TestRequest', 0x05, R.OE_FROM_CLIENT, [
  ['testId', 'u64', F.id],
]);
export type TestRequest = Decoded<typeof TestRequestLayout>;
export const encodeTestRequest = TestRequestLayout.encode;
export const { testId: testRequestId } = TestRequestLayout.get;

export const TestResponseLayout = message('TestResponse', 0x06, R.OE_FROM_VENUE, [
  ['testId', 'u64', F.id],
]);
export type TestResponse = Decoded<typeof TestResponseLayout>;
export const encodeTestResponse = TestResponseLayout.encode;
export const { testId: testResponseId } = TestResponseLayout.get;

// ---- Orders (client → venue, OE) ----

export const NewOrderLayout = message('NewOrder', 0x10, R.OE_FROM_CLIENT, [
  ['clOrdId', 'u64', F.id],
  ['symbol', 'u16', F.symbol], ['side', 'u8', F.side], ['kind', 'u8', F.kind], ['tif', 'u8', F.tif], ['reserved', 'u8[3]'],
  ['price', 'i32', F.orderPrice], ['qty', 'i32', F.qty],
]);
export type NewOrder = Decoded<typeof NewOrderLayout>;
export const encodeNewOrder = NewOrderLayout.encode;
export const {
  symbol: newOrderSymbol, side: newOrderSide, kind: newOrderKind, tif: newOrderTif, price: newOrderPrice, qty: newOrderQty,
} = NewOrderLayout.get;

export const CancelLayout = message('Cancel', 0x11, R.OE_FROM_CLIENT, [
  ['clOrdId', 'u64', F.id],
  ['origClOrdId', 'u64', F.id],
]);
export type Cancel = Decoded<typeof CancelLayout>;
export const encodeCancel = CancelLayout.encode;
export const { origClOrdId: cancelOrigClOrdId } = CancelLayout.get;

export const ReplaceLayout = message('Replace', 0x12, R.OE_FROM_CLIENT, [
  ['clOrdId', 'u64', F.id],
  ['origClOrdId', 'u64', F.id],
  ['price', 'i32', F.price], ['qty', 'i32', F.qty],
]);
export type Replace = Decoded<typeof ReplaceLayout>;
export const encodeReplace = ReplaceLayout.encode;
export const { origClOrdId: replaceOrigClOrdId, price: replacePrice, qty: replaceQty } = ReplaceLayout.get;

// ---- Execution reports (venue → client, OE; Reject also on MD) ----

export const AckLayout = message('Ack', 0x20, R.OE_FROM_VENUE, [
  ['clOrdId', 'u64', F.id],
  ['exchOrderId', 'u64', F.id],
  ['price', 'i32', F.orderPrice], ['qty', 'i32', F.qty],
  ['symbol', 'u16', F.symbol], ['side', 'u8', F.side], ['kind', 'u8', F.kind], ['tif', 'u8', F.tif], ['reserved', 'u8[3]'],
]);
export type Ack = Decoded<typeof AckLayout>;
export const encodeAck = AckLayout.encode;
export const {
  exchOrderId: ackExchOrderId, price: ackPrice, qty: ackQty, symbol: ackSymbol, side: ackSide, kind: ackKind, tif: ackTif,
} = AckLayout.get;

export const RejectLayout = message('Reject', 0x21, R.OE_FROM_VENUE | R.MD_FROM_VENUE, [
  ['clOrdId', 'u64', F.idOrNone],
  ['refSeq', 'u32'], ['reason', 'u16', F.rejectReason], ['refType', 'u8'], ['reserved', 'u8'],
  ['detail', 'u32'], ['reserved', 'u32'],
]);
export type Reject = Decoded<typeof RejectLayout>;
export const encodeReject = RejectLayout.encode;
export const { refSeq: rejectRefSeq, reason: rejectReason, refType: rejectRefType, detail: rejectDetail } = RejectLayout.get;

export const FillLayout = message('Fill', 0x22, R.OE_FROM_VENUE, [
  ['clOrdId', 'u64', F.id],
  ['exchOrderId', 'u64', F.id],
  ['tradeId', 'u64', F.id],
  ['price', 'i32', F.price], ['qty', 'i32', F.qty],
  ['leavesQty', 'i32', F.qtyOrZero], ['symbol', 'u16', F.symbol], ['side', 'u8', F.side], ['flags', 'u8', F.fillFlags],
]);
export type Fill = Decoded<typeof FillLayout>;
export const encodeFill = FillLayout.encode;
export const {
  exchOrderId: fillExchOrderId, tradeId: fillTradeId, price: fillPrice, qty: fillQty, leavesQty: fillLeavesQty,
  symbol: fillSymbol, side: fillSide, flags: fillFlags,
} = FillLayout.get;

export const CanceledLayout = message('Canceled', 0x23, R.OE_FROM_VENUE, [
  ['clOrdId', 'u64', F.id],
  ['origClOrdId', 'u64', F.id],
  ['exchOrderId', 'u64', F.id],
  ['canceledQty', 'i32', F.qty], ['symbol', 'u16', F.symbol], ['side', 'u8', F.side], ['reason', 'u8', F.cancelReason],
]);
export type Canceled = Decoded<typeof CanceledLayout>;
export const encodeCanceled = CanceledLayout.encode;
export const {
  origClOrdId: canceledOrigClOrdId, exchOrderId: canceledExchOrderId, canceledQty, symbol: canceledSymbol,
  side: canceledSide, reason: canceledReason,
} = CanceledLayout.get;

export const ReplacedLayout = message('Replaced', 0x24, R.OE_FROM_VENUE, [
  ['clOrdId', 'u64', F.id],
  ['origClOrdId', 'u64', F.id],
  ['oldExchOrderId', 'u64', F.id],
  ['exchOrderId', 'u64', F.id],
  ['price', 'i32', F.price], ['qty', 'i32', F.qty],
  ['leavesQty', 'i32', F.leavesOfQty], ['symbol', 'u16', F.symbol], ['side', 'u8', F.side], ['reserved', 'u8'],
]);
export type Replaced = Decoded<typeof ReplacedLayout>;
export const encodeReplaced = ReplacedLayout.encode;
export const {
  origClOrdId: replacedOrigClOrdId, oldExchOrderId: replacedOldExchOrderId, exchOrderId: replacedExchOrderId,
  price: replacedPrice, qty: replacedQty, leavesQty: replacedLeavesQty, symbol: replacedSymbol, side: replacedSide,
} = ReplacedLayout.get;

// ---- Market data (MD) ----

export const SymbolDefinitionLayout = message('SymbolDefinition', 0x40, R.MD_FROM_VENUE, [
  ['symbol', 'u16', F.symbol], ['symbolCount', 'u16', F.symbolCount], ['tickPaise', 'u32', F.nonZero],
  ['name', `char[${SYMBOL_NAME_BYTES}]`, F.nonEmpty],
  ['lotSize', 'u32', F.nonZero], ['bandLow', 'i32', F.price],
  ['bandHigh', 'i32', F.bandHigh], ['refPrice', 'i32', F.inBand],
]);
export type SymbolDefinition = Decoded<typeof SymbolDefinitionLayout>;
export const encodeSymbolDefinition = SymbolDefinitionLayout.encode;
export const {
  symbolCount: symbolDefinitionCount, tickPaise: symbolDefinitionTickPaise, name: symbolDefinitionName,
  lotSize: symbolDefinitionLotSize, bandLow: symbolDefinitionBandLow, bandHigh: symbolDefinitionBandHigh,
  refPrice: symbolDefinitionRefPrice,
} = SymbolDefinitionLayout.get;

/** One snapshot level: best-first index i holds bid i and ask i. */
export const SnapshotLevelLayout = record('level', [
  ['bidPrice', 'i32'], ['bidQty', 'i32'],
  ['askPrice', 'i32'], ['askQty', 'i32'],
]);
const level = SnapshotLevelLayout.get;
/** Listed levels, best first: bids strictly falling, asks strictly rising, every one non-empty;
 *  checked level by level, bids then asks. */
function checkLevels(view: DataView, levels: number, bidLevels: number, askLevels: number): number {
  let prev = 0;
  for (let i = 0, o = levels; i < bidLevels; i++, o += SnapshotLevelLayout.bytes) {
    const p = level.bidPrice(view, o);
    if (p <= 0 || (i > 0 && p >= prev)) return RejectReason.BAD_PRICE;
    if (level.bidQty(view, o) <= 0) return RejectReason.BAD_QTY;
    prev = p;
  }
  for (let i = 0, o = levels; i < askLevels; i++, o += SnapshotLevelLayout.bytes) {
    const p = level.askPrice(view, o);
    if (p <= 0 || (i > 0 && p <= prev)) return RejectReason.BAD_PRICE;
    if (level.askQty(view, o) <= 0) return RejectReason.BAD_QTY;
    prev = p;
  }
  return 0;
}
const bookLevels: Rule = { check: checkLevels, uses: ['bidLevels', 'askLevels'] };

export const SnapshotLayout = message('Snapshot', 0x41, R.MD_FROM_VENUE, [
  ['symbol', 'u16', F.symbol], ['bidLevels', 'u8', F.levelCount], ['askLevels', 'u8', F.levelCount], ['lastSeq', 'u32'],
  ['levels', array(SnapshotLevelLayout, SNAPSHOT_DEPTH), bookLevels],
]);
/** The levels as two lists, best first, instead of the counts and the fixed-size array. */
export type Snapshot = Flat<Omit<Decoded<typeof SnapshotLayout>, 'bidLevels' | 'askLevels'> & { bids: Level[]; asks: Level[] }>;
export const {
  bidLevels: snapshotBidLevels, askLevels: snapshotAskLevels, lastSeq: snapshotLastSeq,
  levels: { bidPrice: snapshotBidPrice, bidQty: snapshotBidQty, askPrice: snapshotAskPrice, askQty: snapshotAskQty },
} = SnapshotLayout.get;
const encodeLevel = compileEncoder(SnapshotLevelLayout, {}) as
  (view: DataView, at: number, bidPrice: number, bidQty: number, askPrice: number, askQty: number) => number;

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
  SnapshotLayout.encode(view, at, seq, sendNs, symbol, bidLevels, askLevels, lastSeq);
  for (let i = 0, o = at + SnapshotLayout.offsets.levels; i < SNAPSHOT_DEPTH; i++, o += SnapshotLevelLayout.bytes) {
    const bid = i < bidLevels;
    const ask = i < askLevels;
    encodeLevel(view, o, bid ? bidPrices[i]! : 0, bid ? bidQtys[i]! : 0, ask ? askPrices[i]! : 0, ask ? askQtys[i]! : 0);
  }
  return SnapshotLayout.bytes;
}

export const L2DeltaLayout = message('L2Delta', 0x42, R.MD_FROM_VENUE, [
  ['symbol', 'u16', F.symbol], ['side', 'u8', F.side], ['reserved', 'u8'], ['price', 'i32', F.price],
  ['qty', 'i32', F.qtyOrZero], ['reserved', 'u32'],
]);
export type L2Delta = Decoded<typeof L2DeltaLayout>;
export const encodeL2Delta = L2DeltaLayout.encode;
export const { side: l2DeltaSide, price: l2DeltaPrice, qty: l2DeltaQty } = L2DeltaLayout.get;

export const TradeLayout = message('Trade', 0x43, R.MD_FROM_VENUE, [
  ['symbol', 'u16', F.symbol], ['aggressorSide', 'u8', F.side], ['reserved', 'u8'], ['price', 'i32', F.price],
  ['qty', 'i32', F.qty], ['reserved', 'u32'],
  ['tradeId', 'u64', F.id],
]);
export type Trade = Decoded<typeof TradeLayout>;
export const encodeTrade = TradeLayout.encode;
export const { aggressorSide: tradeAggressorSide, price: tradePrice, qty: tradeQty, tradeId } = TradeLayout.get;

export const SnapshotRequestLayout = message('SnapshotRequest', 0x48, R.MD_FROM_CLIENT, [
  ['symbol', 'u16', F.symbolOrAll], ['reserved', 'u8[6]'],
]);
export type SnapshotRequest = Decoded<typeof SnapshotRequestLayout>;
export const encodeSnapshotRequest = SnapshotRequestLayout.encode;

// ---- The registry ----

const LAYOUTS = [
  LoginLayout, LoginAckLayout, LogoutLayout, HeartbeatLayout, TestRequestLayout, TestResponseLayout,
  NewOrderLayout, CancelLayout, ReplaceLayout,
  AckLayout, RejectLayout, FillLayout, CanceledLayout, ReplacedLayout,
  SymbolDefinitionLayout, SnapshotLayout, L2DeltaLayout, TradeLayout, SnapshotRequestLayout,
] as const;
type AnyLayout = (typeof LAYOUTS)[number];

/** Type code by message name, from the descriptions. */
export const MessageType = Object.freeze(Object.fromEntries(LAYOUTS.map((m) => [m.name, m.type]))) as {
  readonly [M in AnyLayout as M['name']]: M['type'];
};
export type MessageType = AnyLayout['type'];
export type MessageName = AnyLayout['name'];

/** One row per message type: what the size table, validation and the docs test read. */
export interface MessageInfo {
  readonly name: MessageName;
  readonly type: MessageType;
  readonly bytes: number;
  readonly route: number;
  /** Every field in byte order, header and reserved ones included, as the doc's byte table lists them. */
  readonly fields: readonly Field[];
}
export const MESSAGES: readonly MessageInfo[] = LAYOUTS;

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

function sharedOffset(field: string, holders: readonly MessageInfo[]): void {
  const at = new Set(holders.map((m) => m.fields.find((f) => f.name === field)?.offset));
  if (at.size !== 1) throw new Error(`${field} is not at one offset in ${holders.map((m) => m.name).join(', ')}`);
}
sharedOffset('clOrdId', MESSAGES.filter((m) => m.type >= MessageType.NewOrder && m.type <= MessageType.Replaced));
sharedOffset('symbol', MESSAGES.filter((m) => m.type >= MessageType.SymbolDefinition));

// ---- Shared getters ----

/** clOrdId of any order or execution message (NewOrder..Replaced): always at 16. */
export const clOrdIdOf = NewOrderLayout.get.clOrdId;
/** symbol of any market-data message (SymbolDefinition..SnapshotRequest): always at 16. */
export const mdSymbolOf = SymbolDefinitionLayout.get.symbol;

// ---- Decoded messages (off the hot path) ----

export type Message =
  | Login | LoginAck | Logout | Heartbeat | TestRequest | TestResponse
  | NewOrder | Cancel | Replace
  | Ack | Reject | Fill | Canceled | Replaced
  | SymbolDefinition | Snapshot | L2Delta | Trade | SnapshotRequest;

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

/** What decodeFrame and encodeMessage need of a layout, without its per-message types. */
interface Codec {
  readonly names: readonly string[];
  readonly get: Readonly<Record<string, (view: DataView, at: number) => unknown>>;
  readonly encode: (view: DataView, at: number, seq: number, sendNs: bigint, ...values: unknown[]) => number;
}
const CODECS: (Codec | undefined)[] = [];
for (const m of LAYOUTS) {
  CODECS[m.type] = { names: valueFields(m).map((f) => f.name), get: m.get as Codec['get'], encode: m.encode as Codec['encode'] };
}

/** Decode the frame at `at` into an object. Validate first (validateFrame): this trusts the bytes
 *  and throws only for an unknown type. Allocates. */
export function decodeFrame(view: DataView, at: number): Message {
  const type = frameType(view, at);
  const codec = CODECS[type];
  if (!codec) throw new RangeError(`decodeFrame: unknown message ${messageName(type)}`);
  const m: Record<string, unknown> = { type, seq: frameSeq(view, at), sendNs: frameSendNs(view, at) };
  if (type === MessageType.Snapshot) {
    const levels = (n: number, price: typeof snapshotBidPrice, qty: typeof snapshotBidQty): Level[] =>
      Array.from({ length: Math.min(n, SNAPSHOT_DEPTH) }, (_, i) => ({ price: price(view, at, i), qty: qty(view, at, i) }));
    m['symbol'] = mdSymbolOf(view, at);
    m['lastSeq'] = snapshotLastSeq(view, at);
    m['bids'] = levels(snapshotBidLevels(view, at), snapshotBidPrice, snapshotBidQty);
    m['asks'] = levels(snapshotAskLevels(view, at), snapshotAskPrice, snapshotAskQty);
    return m as Message;
  }
  for (const name of codec.names) m[name] = codec.get[name]!(view, at);
  return m as Message;
}

/** Encode a message object at `at`; returns bytes written. Off the hot path (use the encodeX
 *  functions there). */
export function encodeMessage(view: DataView, at: number, m: Message): number {
  if (m.type === MessageType.Snapshot) {
    return encodeSnapshot(view, at, m.seq, m.sendNs, m.symbol, m.lastSeq,
      m.bids.map((l) => l.price), m.bids.map((l) => l.qty), m.bids.length,
      m.asks.map((l) => l.price), m.asks.map((l) => l.qty), m.asks.length);
  }
  const codec = CODECS[m.type]!;
  const values = m as unknown as Record<string, unknown>;
  return codec.encode(view, at, m.seq, m.sendNs, ...codec.names.map((name) => values[name]));
}
