// Message codec: every type round-trips (encode → decode equals the input) at any offset, encoders
// write every byte of their frame and nothing outside it, getters agree with decodeFrame, and the
// bytes of NewOrder, Fill and Reject match hand-written arrays taken from docs/protocol.md's tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FRAME_BYTES,
  FillFlags,
  HEADER_BYTES,
  MAX_FRAME_BYTES,
  MESSAGES,
  MessageType,
  OrderKind,
  PROTOCOL_VERSION,
  RejectReason,
  Side,
  TimeInForce,
  clOrdIdOf,
  decodeFrame,
  encodeFill,
  encodeMessage,
  encodeNewOrder,
  encodeReject,
  encodeSnapshot,
  fillFlags,
  fillLeavesQty,
  fillTradeId,
  frameBytes,
  frameLength,
  frameSendNs,
  frameSeq,
  frameType,
  frameVersion,
  mdSymbolOf,
  messageName,
  newOrderKind,
  newOrderPrice,
  newOrderQty,
  newOrderSide,
  newOrderSymbol,
  newOrderTif,
  snapshotAskPrice,
  snapshotAskQty,
  snapshotBidPrice,
  snapshotBidQty,
  validateFrame,
  type Message,
} from '../../host/protocol/index.js';
import { rng } from '../testkit/core.js';
import { MessageGen, frameOf, sampleMessages } from '../testkit/protocol-samples.js';

test('every message type has a sample, a size that is a multiple of 8, and a unique code', () => {
  const samples = sampleMessages();
  assert.deepEqual(samples.map((m) => m.type).sort(), MESSAGES.map((m) => m.type).sort());
  assert.equal(new Set(MESSAGES.map((m) => m.type)).size, MESSAGES.length);
  for (const m of MESSAGES) {
    assert.equal(m.bytes % 8, 0, `${m.name} size ${m.bytes}`);
    assert.ok(m.bytes >= HEADER_BYTES && m.bytes <= MAX_FRAME_BYTES);
    assert.equal(frameBytes(m.type), m.bytes);
    assert.equal(messageName(m.type), m.name);
  }
  assert.equal(MAX_FRAME_BYTES, 344);
  assert.equal(FRAME_BYTES.filter((b) => b !== 0).length, MESSAGES.length);
  assert.equal(messageName(0x7f), 'type 0x7f');
});

test('round trip: each sample encodes to its fixed size, validates, and decodes to itself', () => {
  for (const m of sampleMessages()) {
    const { view } = frameOf(m);
    const n = encodeMessage(view, 0, m);
    const name = messageName(m.type);
    assert.equal(n, frameBytes(m.type), name);
    assert.equal(frameLength(view, 0), n, name);
    assert.equal(frameType(view, 0), m.type, name);
    assert.equal(frameVersion(view, 0), PROTOCOL_VERSION, name);
    assert.equal(frameSeq(view, 0), m.seq, name);
    assert.equal(frameSendNs(view, 0), m.sendNs, name);
    assert.equal(validateFrame(view, 0, n), 0, name);
    assert.deepEqual(decodeFrame(view, 0), m, name);
  }
});

test('round trip: 2 000 seeded random messages per type at random unaligned offsets', () => {
  const gen = new MessageGen(rng(0x5eed));
  const buf = new Uint8Array(4096);
  const view = new DataView(buf.buffer);
  for (const info of MESSAGES) {
    for (let i = 0; i < 2000; i++) {
      const m = gen.message(info.type);
      const at = gen.int(0, 4096 - MAX_FRAME_BYTES);
      const n = encodeMessage(view, at, m);
      assert.equal(n, info.bytes);
      assert.equal(validateFrame(view, at, n, gen.maxSymbol), 0, `${info.name} #${i}`);
      assert.deepEqual(decodeFrame(view, at), m, `${info.name} #${i}`);
    }
  }
});

test('encoders write every byte of the frame (reserved as 0) and nothing outside it', () => {
  for (const m of sampleMessages()) {
    const size = frameBytes(m.type);
    const frames = [0x00, 0xaa, 0xff].map((fill) => {
      const bytes = new Uint8Array(size + 16).fill(fill);
      encodeMessage(new DataView(bytes.buffer), 8, m);
      assert.ok(bytes.subarray(0, 8).every((b) => b === fill), `${messageName(m.type)} wrote before its frame`);
      assert.ok(bytes.subarray(8 + size).every((b) => b === fill), `${messageName(m.type)} wrote past its frame`);
      return bytes.subarray(8, 8 + size);
    });
    assert.deepEqual(frames[1], frames[0], `${messageName(m.type)} left bytes unwritten`);
    assert.deepEqual(frames[2], frames[0], `${messageName(m.type)} left bytes unwritten`);
  }
});

test('shared offsets: clOrdId at 16 in order/execution messages, symbol at 16 in market data', () => {
  for (const m of sampleMessages()) {
    const { view } = frameOf(m);
    if ('clOrdId' in m) assert.equal(clOrdIdOf(view, 0), m.clOrdId, messageName(m.type));
    if (m.type >= MessageType.SymbolDefinition && 'symbol' in m) assert.equal(mdSymbolOf(view, 0), m.symbol, messageName(m.type));
  }
});

test('ids: exact as numbers up to 2^53 − 1, across the 32-bit boundary', () => {
  const view = new DataView(new ArrayBuffer(64));
  for (const id of [1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52 + 12345, Number.MAX_SAFE_INTEGER]) {
    encodeNewOrder(view, 0, 1, 0n, id, 1, 0, 0, 0, 1, 1);
    assert.equal(clOrdIdOf(view, 0), id);
    assert.equal(view.getBigUint64(16, true), BigInt(id));
  }
});

// The byte tables of docs/protocol.md written out by hand: if the code and this disagree, one of
// them moved away from the doc.
test('NewOrder bytes match the doc table', () => {
  const view = new DataView(new ArrayBuffer(40));
  const n = encodeNewOrder(view, 0, 7, 0x0102030405060708n, 2 ** 32 + 2, 3, Side.SELL, OrderKind.LIMIT,
    TimeInForce.POST_ONLY, 25_000, 150);
  assert.equal(n, 40);
  assert.deepEqual(new Uint8Array(view.buffer), Uint8Array.from([
    0x28, 0x00, //                                  0 u16 length 40
    0x10, //                                        2 u8 type NewOrder
    0x01, //                                        3 u8 version 1
    0x07, 0x00, 0x00, 0x00, //                      4 u32 seq 7
    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // 8 i64 sendNs
    0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // 16 u64 clOrdId 2^32 + 2
    0x03, 0x00, //                                  24 u16 symbol 3
    0x01, //                                        26 u8 side sell
    0x00, //                                        27 u8 kind limit
    0x02, //                                        28 u8 tif post-only
    0x00, 0x00, 0x00, //                            29 reserved
    0xa8, 0x61, 0x00, 0x00, //                      32 i32 price 25 000
    0x96, 0x00, 0x00, 0x00, //                      36 i32 qty 150
  ]));
  assert.equal(newOrderSymbol(view, 0), 3);
  assert.equal(newOrderSide(view, 0), Side.SELL);
  assert.equal(newOrderKind(view, 0), OrderKind.LIMIT);
  assert.equal(newOrderTif(view, 0), TimeInForce.POST_ONLY);
  assert.equal(newOrderPrice(view, 0), 25_000);
  assert.equal(newOrderQty(view, 0), 150);
});

test('Fill bytes match the doc table', () => {
  const view = new DataView(new ArrayBuffer(56));
  const n = encodeFill(view, 0, 258, -1n, 9, Number.MAX_SAFE_INTEGER, 1000, 100, 25, 0, 0x0102, Side.BUY,
    FillFlags.FULL | FillFlags.MAKER);
  assert.equal(n, 56);
  assert.deepEqual(new Uint8Array(view.buffer), Uint8Array.from([
    0x38, 0x00, //                                  0 u16 length 56
    0x22, //                                        2 u8 type Fill
    0x01, //                                        3 u8 version
    0x02, 0x01, 0x00, 0x00, //                      4 u32 seq 258
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // 8 i64 sendNs −1
    0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 16 u64 clOrdId 9
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x00, // 24 u64 exchOrderId 2^53 − 1
    0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 32 u64 tradeId 1000
    0x64, 0x00, 0x00, 0x00, //                      40 i32 price 100
    0x19, 0x00, 0x00, 0x00, //                      44 i32 qty 25
    0x00, 0x00, 0x00, 0x00, //                      48 i32 leavesQty 0
    0x02, 0x01, //                                  52 u16 symbol 0x0102
    0x00, //                                        54 u8 side buy
    0x03, //                                        55 u8 flags FULL | MAKER
  ]));
  assert.equal(frameSendNs(view, 0), -1n);
  assert.equal(fillTradeId(view, 0), 1000);
  assert.equal(fillLeavesQty(view, 0), 0);
  assert.equal(fillFlags(view, 0), 3);
  assert.equal(validateFrame(view, 0, 56), 0);
});

test('Reject bytes match the doc table', () => {
  const view = new DataView(new ArrayBuffer(40));
  encodeReject(view, 0, 5, 0n, 1001, 4, RejectReason.PRICE_OUT_OF_BAND, MessageType.NewOrder, 60_000);
  assert.deepEqual(new Uint8Array(view.buffer), Uint8Array.from([
    0x28, 0x00, 0x21, 0x01, 0x05, 0x00, 0x00, 0x00, // header: length 40, Reject, v1, seq 5
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // sendNs 0
    0xe9, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 16 u64 clOrdId 1001
    0x04, 0x00, 0x00, 0x00, //                      24 u32 refSeq 4
    0x12, 0x00, //                                  28 u16 reason 18 PRICE_OUT_OF_BAND
    0x10, //                                        30 u8 refType NewOrder
    0x00, //                                        31 reserved
    0x60, 0xea, 0x00, 0x00, //                      32 u32 detail 60 000
    0x00, 0x00, 0x00, 0x00, //                      36 reserved
  ]));
});

test('Snapshot: levels best first at 24 + 16·i, unused levels zero, counts from the arguments', () => {
  const view = new DataView(new ArrayBuffer(344));
  new Uint8Array(view.buffer).fill(0xee);
  const bidPrices = Int32Array.of(100, 99, 97);
  const bidQtys = Int32Array.of(5, 6, 7);
  encodeSnapshot(view, 0, 0, 0n, 4, 88, bidPrices, bidQtys, 3, [101], [9], 1);
  assert.equal(view.getInt32(24, true), 100);
  assert.equal(view.getInt32(24 + 16 * 2, true), 97);
  assert.equal(snapshotBidPrice(view, 0, 2), 97);
  assert.equal(snapshotBidQty(view, 0, 1), 6);
  assert.equal(snapshotAskPrice(view, 0, 0), 101);
  assert.equal(snapshotAskQty(view, 0, 0), 9);
  assert.equal(snapshotAskPrice(view, 0, 1), 0);
  assert.equal(snapshotBidPrice(view, 0, 3), 0);
  assert.equal(snapshotBidQty(view, 0, 19), 0);
  assert.equal(validateFrame(view, 0, 344), 0);
  assert.throws(() => encodeSnapshot(view, 0, 0, 0n, 4, 88, [], [], 21, [], [], 0), RangeError);
});

test('ASCII fields: NUL-padded, full 16 characters, non-ASCII and overlong refused on encode', () => {
  const base = sampleMessages().find((m) => m.type === MessageType.Login)!;
  for (const token of ['', 'a', '0123456789abcdef']) {
    const m = { ...base, token } as Message;
    const { view, bytes } = frameOf(m);
    assert.deepEqual(decodeFrame(view, 0), m);
    for (let i = 24 + token.length; i < 40; i++) assert.equal(bytes[i], 0);
  }
  const { view } = frameOf(base);
  assert.throws(() => encodeMessage(view, 0, { ...base, token: '0123456789abcdefg' } as Message), RangeError);
  assert.throws(() => encodeMessage(view, 0, { ...base, token: 'caf\u00e9' } as Message), RangeError);
});

test('decodeFrame refuses an unknown type', () => {
  const view = new DataView(new ArrayBuffer(16));
  view.setUint16(0, 16, true);
  view.setUint8(2, 0x7f);
  assert.throws(() => decodeFrame(view, 0), /unknown message type 0x7f/);
});
