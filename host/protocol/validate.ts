// Frame validation: 0 or the RejectReason of the first failed check (docs/protocol.md, "Validation").
// Checks run in a fixed order — frame length, version, type, size for the type, then the body's
// fields in the order of the message's byte table — so one bad frame always gets the same code.
// Allocation-free; safe on the hot path. Session state (login, sequence) and venue state (symbol
// config, band, lot, order ids, rate, pool, halt) are the receiver's checks, not this file's.
import { HEADER_BYTES, MAX_ID_HIGH, PROTOCOL_VERSION, frameLength, frameType, frameVersion, isValidId } from './frame.js';
import { FRAME_BYTES, FillFlags, MAX_FRAME_BYTES, MAX_HEARTBEAT_MS, MAX_SYMBOL_ID, MIN_HEARTBEAT_MS, MessageType, SNAPSHOT_DEPTH } from './messages.js';
import { OrderKind, TimeInForce } from '../model/vocabulary.js';
import { CancelReason, DisconnectReason, RejectReason, isRejectReason } from '../model/reasons.js';

const R = RejectReason;
const T = MessageType;

/**
 * Validate the frame at `at`, of which `available` bytes are readable. Returns 0 or a RejectReason:
 * BAD_LENGTH (fewer than 16 bytes, length field < 16, > MAX_FRAME_BYTES, > available, or not the
 * type's size), BAD_VERSION, UNKNOWN_TYPE, or a field reason from validateBody.
 * Symbol ids must be 1..maxSymbol (the count of the venue's SymbolDefinitions).
 */
export function validateFrame(view: DataView, at: number, available: number, maxSymbol: number = MAX_SYMBOL_ID): number {
  if (available < HEADER_BYTES) return R.BAD_LENGTH;
  const length = frameLength(view, at);
  if (length < HEADER_BYTES || length > MAX_FRAME_BYTES || length > available) return R.BAD_LENGTH;
  if (frameVersion(view, at) !== PROTOCOL_VERSION) return R.BAD_VERSION;
  const type = frameType(view, at);
  const size = FRAME_BYTES[type]!;
  if (size === 0) return R.UNKNOWN_TYPE;
  if (length !== size) return R.BAD_LENGTH;
  return validateBody(view, at, type, maxSymbol);
}

/** The field checks alone, for a frame whose header already passed (known type, right length). */
export function validateBody(view: DataView, at: number, type: number, maxSymbol: number = MAX_SYMBOL_ID): number {
  switch (type) {
    case T.Login: {
      if (view.getUint32(at + 16, true) === 0) return R.BAD_FIELD;
      return heartbeatOk(view.getUint32(at + 20, true)) ? 0 : R.BAD_FIELD;
    }
    case T.LoginAck:
      if (!isValidId(view, at + 16)) return R.BAD_FIELD;
      return heartbeatOk(view.getUint32(at + 24, true)) ? 0 : R.BAD_FIELD;
    case T.Logout:
      return view.getUint16(at + 16, true) <= MAX_DISCONNECT_REASON ? 0 : R.BAD_FIELD;
    case T.Heartbeat:
      return 0;
    case T.NewOrder: {
      if (!isValidId(view, at + 16)) return R.BAD_FIELD;
      if (!symbolOk(view.getUint16(at + 24, true), maxSymbol)) return R.UNKNOWN_SYMBOL;
      if (view.getUint8(at + 26) > 1) return R.BAD_SIDE;
      const kind = view.getUint8(at + 27);
      if (kind > OrderKind.MARKET) return R.BAD_KIND;
      const tif = view.getUint8(at + 28);
      if (tif > TimeInForce.POST_ONLY || (kind === OrderKind.MARKET && tif !== TimeInForce.IOC)) return R.BAD_TIF;
      if (!priceOk(kind, view.getInt32(at + 32, true))) return R.BAD_PRICE;
      return view.getInt32(at + 36, true) > 0 ? 0 : R.BAD_QTY;
    }
    case T.Cancel:
      return isValidId(view, at + 16) && isValidId(view, at + 24) ? 0 : R.BAD_FIELD;
    case T.Replace:
      if (!isValidId(view, at + 16) || !isValidId(view, at + 24)) return R.BAD_FIELD;
      if (view.getInt32(at + 32, true) <= 0) return R.BAD_PRICE;
      return view.getInt32(at + 36, true) > 0 ? 0 : R.BAD_QTY;
    case T.Ack: {
      if (!isValidId(view, at + 16) || !isValidId(view, at + 24)) return R.BAD_FIELD;
      const kind = view.getUint8(at + 43);
      if (kind <= OrderKind.MARKET && !priceOk(kind, view.getInt32(at + 32, true))) return R.BAD_PRICE;
      if (view.getInt32(at + 36, true) <= 0) return R.BAD_QTY;
      if (!symbolOk(view.getUint16(at + 40, true), maxSymbol)) return R.UNKNOWN_SYMBOL;
      if (view.getUint8(at + 42) > 1) return R.BAD_SIDE;
      if (kind > OrderKind.MARKET) return R.BAD_KIND;
      const tif = view.getUint8(at + 44);
      return tif > TimeInForce.POST_ONLY || (kind === OrderKind.MARKET && tif !== TimeInForce.IOC) ? R.BAD_TIF : 0;
    }
    case T.Reject:
      // clOrdId may be 0 (the rejected frame had none).
      if (view.getUint32(at + 20, true) > MAX_ID_HIGH) return R.BAD_FIELD;
      {
        const reason = view.getUint16(at + 28, true);
        return reason !== R.NONE && isRejectReason(reason) ? 0 : R.BAD_FIELD;
      }
    case T.Fill: {
      if (!isValidId(view, at + 16) || !isValidId(view, at + 24) || !isValidId(view, at + 32)) return R.BAD_FIELD;
      if (view.getInt32(at + 40, true) <= 0) return R.BAD_PRICE;
      const leaves = view.getInt32(at + 48, true);
      if (view.getInt32(at + 44, true) <= 0 || leaves < 0) return R.BAD_QTY;
      if (!symbolOk(view.getUint16(at + 52, true), maxSymbol)) return R.UNKNOWN_SYMBOL;
      if (view.getUint8(at + 54) > 1) return R.BAD_SIDE;
      const flags = view.getUint8(at + 55);
      if ((flags & ~(FillFlags.FULL | FillFlags.MAKER)) !== 0) return R.BAD_FIELD;
      return ((flags & FillFlags.FULL) !== 0) === (leaves === 0) ? 0 : R.BAD_FIELD;
    }
    case T.Canceled:
      if (!isValidId(view, at + 16) || !isValidId(view, at + 24) || !isValidId(view, at + 32)) return R.BAD_FIELD;
      if (view.getInt32(at + 40, true) <= 0) return R.BAD_QTY;
      if (!symbolOk(view.getUint16(at + 44, true), maxSymbol)) return R.UNKNOWN_SYMBOL;
      if (view.getUint8(at + 46) > 1) return R.BAD_SIDE;
      return view.getUint8(at + 47) <= MAX_CANCEL_REASON ? 0 : R.BAD_FIELD;
    case T.Replaced: {
      if (!isValidId(view, at + 16) || !isValidId(view, at + 24) || !isValidId(view, at + 32) || !isValidId(view, at + 40)) {
        return R.BAD_FIELD;
      }
      if (view.getInt32(at + 48, true) <= 0) return R.BAD_PRICE;
      const qty = view.getInt32(at + 52, true);
      const leaves = view.getInt32(at + 56, true);
      if (qty <= 0 || leaves <= 0 || leaves > qty) return R.BAD_QTY;
      if (!symbolOk(view.getUint16(at + 60, true), maxSymbol)) return R.UNKNOWN_SYMBOL;
      return view.getUint8(at + 62) > 1 ? R.BAD_SIDE : 0;
    }
    case T.SymbolDefinition: {
      const symbol = view.getUint16(at + 16, true);
      if (!symbolOk(symbol, maxSymbol)) return R.UNKNOWN_SYMBOL;
      if (view.getUint16(at + 18, true) < symbol) return R.BAD_FIELD;
      if (view.getUint32(at + 20, true) === 0 || view.getUint8(at + 24) === 0 || view.getUint32(at + 40, true) === 0) {
        return R.BAD_FIELD;
      }
      const low = view.getInt32(at + 44, true);
      const high = view.getInt32(at + 48, true);
      const ref = view.getInt32(at + 52, true);
      return low > 0 && high >= low && ref >= low && ref <= high ? 0 : R.BAD_PRICE;
    }
    case T.Snapshot:
      return validateSnapshot(view, at, maxSymbol);
    case T.L2Delta:
      if (!symbolOk(view.getUint16(at + 16, true), maxSymbol)) return R.UNKNOWN_SYMBOL;
      if (view.getUint8(at + 18) > 1) return R.BAD_SIDE;
      if (view.getInt32(at + 20, true) <= 0) return R.BAD_PRICE;
      return view.getInt32(at + 24, true) >= 0 ? 0 : R.BAD_QTY;
    case T.Trade:
      if (!symbolOk(view.getUint16(at + 16, true), maxSymbol)) return R.UNKNOWN_SYMBOL;
      if (view.getUint8(at + 18) > 1) return R.BAD_SIDE;
      if (view.getInt32(at + 20, true) <= 0) return R.BAD_PRICE;
      if (view.getInt32(at + 24, true) <= 0) return R.BAD_QTY;
      return isValidId(view, at + 32) ? 0 : R.BAD_FIELD;
    case T.SnapshotRequest:
      // 0 = every symbol.
      return view.getUint16(at + 16, true) <= maxSymbol ? 0 : R.UNKNOWN_SYMBOL;
    default:
      return R.UNKNOWN_TYPE;
  }
}

// Disconnect and cancel reasons are contiguous from 0, so a range check is a membership check.
const MAX_DISCONNECT_REASON = Math.max(...Object.values(DisconnectReason));
const MAX_CANCEL_REASON = Math.max(...Object.values(CancelReason));

function heartbeatOk(ms: number): boolean {
  return ms >= MIN_HEARTBEAT_MS && ms <= MAX_HEARTBEAT_MS;
}
function symbolOk(symbol: number, maxSymbol: number): boolean {
  return symbol >= 1 && symbol <= maxSymbol;
}
/** Limit: price > 0. Market: price must be 0 (no protection price in this protocol). */
function priceOk(kind: number, price: number): boolean {
  return kind === OrderKind.LIMIT ? price > 0 : price === 0;
}

function validateSnapshot(view: DataView, at: number, maxSymbol: number): number {
  if (!symbolOk(view.getUint16(at + 16, true), maxSymbol)) return R.UNKNOWN_SYMBOL;
  const nb = view.getUint8(at + 18);
  const na = view.getUint8(at + 19);
  if (nb > SNAPSHOT_DEPTH || na > SNAPSHOT_DEPTH) return R.BAD_FIELD;
  // Levels best first: bids strictly falling, asks strictly rising; every listed level non-empty.
  let prev = 0;
  for (let i = 0; i < nb; i++) {
    const o = at + 24 + i * 16;
    const p = view.getInt32(o, true);
    if (p <= 0 || (i > 0 && p >= prev)) return R.BAD_PRICE;
    if (view.getInt32(o + 4, true) <= 0) return R.BAD_QTY;
    prev = p;
  }
  for (let i = 0; i < na; i++) {
    const o = at + 24 + i * 16 + 8;
    const p = view.getInt32(o, true);
    if (p <= 0 || (i > 0 && p <= prev)) return R.BAD_PRICE;
    if (view.getInt32(o + 4, true) <= 0) return R.BAD_QTY;
    prev = p;
  }
  return 0;
}
