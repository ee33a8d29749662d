// validateFrame: each bad header and each bad field, starting from a valid sample, gets exactly the
// reason docs/protocol.md ("Validation and errors") names; the check order decides between two faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelReason,
  FillFlags,
  MessageType,
  OrderKind,
  RejectReason,
  TimeInForce,
  encodeMessage,
  isRejectReason,
  validateBody,
  validateFrame,
  type Message,
} from '../../host/protocol/index.js';
import { frameOf, sample, sampleMessages } from '../testkit/protocol-samples.js';

const R = RejectReason;
const T = MessageType;

/** Validate `m` (optionally poking raw bytes first) with maxSymbol 10. */
function check(m: Message, poke?: (v: DataView) => void, maxSymbol = 10): number {
  const { view, bytes } = frameOf(m);
  poke?.(view);
  return validateFrame(view, 0, bytes.length, maxSymbol);
}

test('every sample is valid', () => {
  for (const m of sampleMessages()) assert.equal(check(m), 0, `type 0x${m.type.toString(16)}`);
});

test('header: short buffer, impossible or mismatched length, version, unknown type', () => {
  const order = sample(T.NewOrder);
  const { view } = frameOf(order, 16);
  assert.equal(validateFrame(view, 0, 15), R.BAD_LENGTH, 'fewer than 16 bytes available');
  assert.equal(validateFrame(view, 0, 39), R.BAD_LENGTH, 'frame longer than available');
  assert.equal(validateFrame(view, 0, 40), 0);
  assert.equal(check(order, (v) => v.setUint16(0, 15, true)), R.BAD_LENGTH, 'length < header');
  assert.equal(check(order, (v) => v.setUint16(0, 0, true)), R.BAD_LENGTH, 'length 0');
  const big = frameOf(order, 400);
  big.view.setUint16(0, 345, true);
  assert.equal(validateFrame(big.view, 0, 440), R.BAD_LENGTH, 'length > MAX_FRAME_BYTES');
  big.view.setUint16(0, 48, true);
  assert.equal(validateFrame(big.view, 0, 440), R.BAD_LENGTH, 'length is not NewOrder\'s size');
  assert.equal(check(order, (v) => v.setUint8(3, 2)), R.BAD_VERSION);
  assert.equal(check(order, (v) => v.setUint8(3, 0)), R.BAD_VERSION);
  assert.equal(check(order, (v) => v.setUint8(2, 0x7f)), R.UNKNOWN_TYPE, 'unknown type, plausible length');
  assert.equal(check(order, (v) => { v.setUint8(2, 0x7f); v.setUint8(3, 9); }), R.BAD_VERSION, 'version before type');
  assert.equal(check(order, (v) => { v.setUint8(2, 0x7f); v.setUint16(0, 8, true); }), R.BAD_LENGTH, 'length before type');
});

test('Login and LoginAck', () => {
  const login = sample(T.Login);
  assert.equal(check({ ...login, userId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...login, heartbeatMs: 99 }), R.BAD_FIELD);
  assert.equal(check({ ...login, heartbeatMs: 100 }), 0);
  assert.equal(check({ ...login, heartbeatMs: 60_000 }), 0);
  assert.equal(check({ ...login, heartbeatMs: 60_001 }), R.BAD_FIELD);
  const ack = sample(T.LoginAck);
  assert.equal(check({ ...ack, sessionId: 0 }), R.BAD_FIELD);
  assert.equal(check(ack, (v) => v.setUint32(20, 0x200000, true)), R.BAD_FIELD, 'session id above 2^53 − 1');
  assert.equal(check({ ...ack, heartbeatMs: 0 }), R.BAD_FIELD);
});

test('Logout: reason must be a disconnect reason', () => {
  const m = sample(T.Logout);
  assert.equal(check({ ...m, reason: 9 }), 0);
  assert.equal(check({ ...m, reason: 10 }), R.BAD_FIELD);
});

test('NewOrder: each bad field, and the first bad field in table order wins', () => {
  const m = sample(T.NewOrder);
  const cases: [Partial<typeof m>, number, string][] = [
    [{ clOrdId: 0 }, R.BAD_FIELD, 'clOrdId 0'],
    [{ symbol: 0 }, R.UNKNOWN_SYMBOL, 'symbol 0'],
    [{ symbol: 11 }, R.UNKNOWN_SYMBOL, 'symbol above maxSymbol'],
    [{ symbol: 10 }, 0, 'symbol = maxSymbol'],
    [{ side: 2 }, R.BAD_SIDE, 'side 2'],
    [{ side: 255 }, R.BAD_SIDE, 'side 255'],
    [{ kind: 2 }, R.BAD_KIND, 'kind 2'],
    [{ tif: 3 }, R.BAD_TIF, 'tif 3'],
    [{ kind: OrderKind.MARKET, tif: TimeInForce.GTC, price: 0 }, R.BAD_TIF, 'market GTC'],
    [{ kind: OrderKind.MARKET, tif: TimeInForce.POST_ONLY, price: 0 }, R.BAD_TIF, 'market post-only'],
    [{ kind: OrderKind.MARKET, tif: TimeInForce.IOC, price: 0 }, 0, 'market IOC price 0'],
    [{ kind: OrderKind.MARKET, tif: TimeInForce.IOC, price: 5 }, R.BAD_PRICE, 'market with a price'],
    [{ price: 0 }, R.BAD_PRICE, 'limit price 0'],
    [{ price: -1 }, R.BAD_PRICE, 'limit price < 0'],
    [{ qty: 0 }, R.BAD_QTY, 'qty 0'],
    [{ qty: -5 }, R.BAD_QTY, 'qty < 0'],
    [{ side: 2, qty: 0 }, R.BAD_SIDE, 'side before qty'],
    [{ symbol: 0, side: 2 }, R.UNKNOWN_SYMBOL, 'symbol before side'],
    [{ clOrdId: 0, symbol: 0 }, R.BAD_FIELD, 'id before symbol'],
    [{ kind: 7, price: 0 }, R.BAD_KIND, 'kind before price'],
    [{ price: 0, qty: 0 }, R.BAD_PRICE, 'price before qty'],
  ];
  for (const [patch, want, why] of cases) assert.equal(check({ ...m, ...patch }), want, why);
  assert.equal(check(m, (v) => v.setUint32(20, 0x200000, true)), R.BAD_FIELD, 'clOrdId above 2^53 − 1');
  assert.equal(check(m, (v) => v.setUint32(20, 0x1fffff, true)), 0, 'clOrdId high word at the limit');
  assert.equal(check(m, (v) => v.setUint8(29, 0xff)), 0, 'reserved bytes are ignored');
});

test('Cancel and Replace', () => {
  const c = sample(T.Cancel);
  assert.equal(check({ ...c, clOrdId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...c, origClOrdId: 0 }), R.BAD_FIELD);
  assert.equal(check(c, (v) => v.setUint32(28, 0xffffffff, true)), R.BAD_FIELD);
  const r = sample(T.Replace);
  assert.equal(check({ ...r, clOrdId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...r, origClOrdId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...r, price: 0 }), R.BAD_PRICE);
  assert.equal(check({ ...r, qty: 0 }), R.BAD_QTY);
  assert.equal(check({ ...r, price: -3, qty: -3 }), R.BAD_PRICE);
});

test('Ack', () => {
  const m = sample(T.Ack);
  assert.equal(check({ ...m, exchOrderId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, price: 0 }), R.BAD_PRICE);
  assert.equal(check({ ...m, qty: 0 }), R.BAD_QTY);
  assert.equal(check({ ...m, symbol: 0 }), R.UNKNOWN_SYMBOL);
  assert.equal(check({ ...m, side: 2 }), R.BAD_SIDE);
  assert.equal(check({ ...m, kind: 9 }), R.BAD_KIND);
  assert.equal(check({ ...m, kind: 9, price: 0 }), R.BAD_KIND, 'price rule needs a valid kind');
  assert.equal(check({ ...m, tif: 7 }), R.BAD_TIF);
  assert.equal(check({ ...m, kind: OrderKind.MARKET, price: 0, tif: TimeInForce.GTC }), R.BAD_TIF);
  assert.equal(check({ ...m, kind: OrderKind.MARKET, price: 0, tif: TimeInForce.IOC }), 0);
});

test('Reject: clOrdId may be 0, reason must be a real non-zero reject reason', () => {
  const m = sample(T.Reject);
  assert.equal(check({ ...m, clOrdId: 0 }), 0);
  assert.equal(check(m, (v) => v.setUint32(20, 0x200000, true)), R.BAD_FIELD);
  assert.equal(check({ ...m, reason: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, reason: 9 }), R.BAD_FIELD, 'unassigned code');
  assert.equal(check({ ...m, reason: R.VENUE_HALTED }), 0);
});

test('Fill', () => {
  const m = sample(T.Fill);
  assert.equal(check({ ...m, exchOrderId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, tradeId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, price: 0 }), R.BAD_PRICE);
  assert.equal(check({ ...m, qty: 0 }), R.BAD_QTY);
  assert.equal(check({ ...m, leavesQty: -1 }), R.BAD_QTY);
  assert.equal(check({ ...m, symbol: 11 }), R.UNKNOWN_SYMBOL);
  assert.equal(check({ ...m, side: 3 }), R.BAD_SIDE);
  assert.equal(check({ ...m, flags: 4 }), R.BAD_FIELD, 'unknown flag bit');
  assert.equal(check({ ...m, flags: FillFlags.FULL }), R.BAD_FIELD, 'FULL with leaves left');
  assert.equal(check({ ...m, leavesQty: 0, flags: FillFlags.MAKER }), R.BAD_FIELD, 'done without FULL');
  assert.equal(check({ ...m, leavesQty: 0, flags: FillFlags.FULL }), 0);
});

test('Canceled', () => {
  const m = sample(T.Canceled);
  assert.equal(check({ ...m, origClOrdId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, exchOrderId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, canceledQty: 0 }), R.BAD_QTY);
  assert.equal(check({ ...m, symbol: 0 }), R.UNKNOWN_SYMBOL);
  assert.equal(check({ ...m, side: 2 }), R.BAD_SIDE);
  assert.equal(check({ ...m, reason: CancelReason.VENUE_HALT }), 0);
  assert.equal(check({ ...m, reason: CancelReason.SELF_TRADE }), 0);
  assert.equal(check({ ...m, reason: 5 }), R.BAD_FIELD);
});

test('Replaced', () => {
  const m = sample(T.Replaced);
  assert.equal(check({ ...m, oldExchOrderId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, exchOrderId: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, price: 0 }), R.BAD_PRICE);
  assert.equal(check({ ...m, qty: 0 }), R.BAD_QTY);
  assert.equal(check({ ...m, leavesQty: 0 }), R.BAD_QTY);
  assert.equal(check({ ...m, leavesQty: m.qty + 1 }), R.BAD_QTY);
  assert.equal(check({ ...m, leavesQty: m.qty }), 0);
  assert.equal(check({ ...m, symbol: 0 }), R.UNKNOWN_SYMBOL);
  assert.equal(check({ ...m, side: 2 }), R.BAD_SIDE);
});

test('SymbolDefinition', () => {
  const m = sample(T.SymbolDefinition);
  assert.equal(check({ ...m, symbol: 0 }), R.UNKNOWN_SYMBOL);
  assert.equal(check({ ...m, symbolCount: 1 }), R.BAD_FIELD, 'count below its own id');
  assert.equal(check({ ...m, tickPaise: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, name: '' }), R.BAD_FIELD);
  assert.equal(check({ ...m, lotSize: 0 }), R.BAD_FIELD);
  assert.equal(check({ ...m, bandLow: 0 }), R.BAD_PRICE);
  assert.equal(check({ ...m, bandHigh: m.bandLow - 1 }), R.BAD_PRICE);
  assert.equal(check({ ...m, refPrice: m.bandHigh + 1 }), R.BAD_PRICE);
  assert.equal(check({ ...m, refPrice: m.bandLow - 1 }), R.BAD_PRICE);
  assert.equal(check({ ...m, bandHigh: m.bandLow, refPrice: m.bandLow }), 0);
});

test('Snapshot', () => {
  const m = sample(T.Snapshot);
  assert.equal(check({ ...m, symbol: 0 }), R.UNKNOWN_SYMBOL);
  assert.equal(check(m, (v) => v.setUint8(18, 21)), R.BAD_FIELD, 'bidLevels > 20');
  assert.equal(check(m, (v) => v.setUint8(19, 21)), R.BAD_FIELD, 'askLevels > 20');
  assert.equal(check({ ...m, bids: [{ price: 0, qty: 1 }] }), R.BAD_PRICE);
  assert.equal(check({ ...m, bids: [{ price: 10, qty: 0 }] }), R.BAD_QTY);
  assert.equal(check({ ...m, bids: [{ price: 10, qty: 1 }, { price: 10, qty: 1 }] }), R.BAD_PRICE, 'bids not falling');
  assert.equal(check({ ...m, asks: [{ price: 10, qty: 1 }, { price: 9, qty: 1 }] }), R.BAD_PRICE, 'asks not rising');
  assert.equal(check({ ...m, asks: [{ price: 10, qty: -1 }] }), R.BAD_QTY);
  assert.equal(check({ ...m, bids: [], asks: [] }), 0, 'empty book');
  assert.equal(check(m, (v) => v.setUint8(19, 4)), R.BAD_PRICE, 'a listed level that is empty');
});

test('L2Delta, Trade, SnapshotRequest', () => {
  const d = sample(T.L2Delta);
  assert.equal(check({ ...d, symbol: 0 }), R.UNKNOWN_SYMBOL);
  assert.equal(check({ ...d, side: 2 }), R.BAD_SIDE);
  assert.equal(check({ ...d, price: 0 }), R.BAD_PRICE);
  assert.equal(check({ ...d, qty: -1 }), R.BAD_QTY);
  assert.equal(check({ ...d, qty: 0 }), 0, 'qty 0 removes the level');
  const t = sample(T.Trade);
  assert.equal(check({ ...t, symbol: 11 }), R.UNKNOWN_SYMBOL);
  assert.equal(check({ ...t, aggressorSide: 2 }), R.BAD_SIDE);
  assert.equal(check({ ...t, price: -1 }), R.BAD_PRICE);
  assert.equal(check({ ...t, qty: 0 }), R.BAD_QTY);
  assert.equal(check({ ...t, tradeId: 0 }), R.BAD_FIELD);
  const s = sample(T.SnapshotRequest);
  assert.equal(check({ ...s, symbol: 0 }), 0, 'all symbols');
  assert.equal(check({ ...s, symbol: 10 }), 0);
  assert.equal(check({ ...s, symbol: 11 }), R.UNKNOWN_SYMBOL);
});

test('validateBody alone; every code returned is in the reject table', () => {
  const m = sample(T.NewOrder);
  const { view } = frameOf({ ...m, side: 2 });
  assert.equal(validateBody(view, 0, T.NewOrder), R.BAD_SIDE);
  assert.equal(validateBody(view, 0, 0x7f), R.UNKNOWN_TYPE);
  // Random byte soup behind a valid header: never throws, always a known code.
  const buf = new Uint8Array(344);
  const v = new DataView(buf.buffer);
  let x = 1;
  for (const info of sampleMessages()) {
    for (let i = 0; i < 500; i++) {
      for (let j = 0; j < buf.length; j++) buf[j] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      encodeMessage(v, 0, info);
      for (let j = 16; j < buf.length; j++) buf[j] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      const code = validateFrame(v, 0, buf.length, 10);
      assert.ok(isRejectReason(code), `code ${code}`);
    }
  }
});
