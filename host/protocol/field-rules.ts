// What a field's value may be: the rules the message descriptions (messages.ts) attach to their fields,
// and the protocol limits they enforce. validate.ts compiles them into its checks, in byte-table order;
// the first broken rule's RejectReason answers the frame (docs/protocol.md, "Validation and errors").
// A rule is a JS expression, not a function: written into the compiled check it costs what a
// hand-written comparison costs, where ~60 calls in one function would outrun V8's inlining budget and
// box every id passed to a rule that was not inlined (an allocation per frame).
import { MAX_ID } from './field-encodings.js';
import type { Rule } from './layout.js';
import { OrderKind, Side, TimeInForce } from '../model/vocabulary.js';
import { CancelReason, DisconnectReason, RejectReason, isRejectReason } from '../model/reasons.js';

/** Heartbeat interval bounds (Login.heartbeatMs), ms. */
export const MIN_HEARTBEAT_MS = 100;
export const MAX_HEARTBEAT_MS = 60_000;
/** Symbol ids are 1..MAX_SYMBOL_ID; 0 means "none" (SnapshotRequest: all symbols). */
export const MAX_SYMBOL_ID = 0xffff;
/** Levels per side in a Snapshot. */
export const SNAPSHOT_DEPTH = 20;
/** Fill.flags bits. FULL: the order is done (leavesQty 0). MAKER: this side was resting. */
export const FillFlags = { FULL: 1, MAKER: 2 } as const;

const R = RejectReason;
// Disconnect and cancel reasons are contiguous from 0, so a range check is a membership check.
const MAX_DISCONNECT_REASON = Math.max(...Object.values(DisconnectReason));
const MAX_CANCEL_REASON = Math.max(...Object.values(CancelReason));
const FILL_FLAGS = FillFlags.FULL | FillFlags.MAKER;

/** A rule: `test` is a JS expression over the field's value `x` (and the fields named in `uses`, by
 *  name; 'maxSymbol' is the validator's argument), true when the value is acceptable; else `reason`.
 *  Constants are written into the expression, so the compiled check is what one would write by hand. */
export function rule(reason: number, test: string, ...uses: string[]): Rule {
  return { reason, test, uses, helpers: {} };
}

export const FieldRule = {
  /** An id: 1..2^53 − 1. */
  id: rule(R.BAD_FIELD, `x >= 1 && x <= ${MAX_ID}`),
  /** An id, or 0 for none (Reject.clOrdId when the refused frame had none). */
  idOrNone: rule(R.BAD_FIELD, `x <= ${MAX_ID}`),
  nonZero: rule(R.BAD_FIELD, 'x !== 0'),
  /** ASCII text (its first byte): not empty. */
  nonEmpty: rule(R.BAD_FIELD, 'x !== 0'),
  heartbeatMs: rule(R.BAD_FIELD, `x >= ${MIN_HEARTBEAT_MS} && x <= ${MAX_HEARTBEAT_MS}`),
  disconnectReason: rule(R.BAD_FIELD, `x <= ${MAX_DISCONNECT_REASON}`),
  cancelReason: rule(R.BAD_FIELD, `x <= ${MAX_CANCEL_REASON}`),
  /** A reason a Reject can carry: any but NONE. */
  rejectReason: { ...rule(R.BAD_FIELD, `x !== ${R.NONE} && isRejectReason(x)`), helpers: { isRejectReason } },
  /** 1..maxSymbol (the count of the venue's SymbolDefinitions). */
  symbol: rule(R.UNKNOWN_SYMBOL, 'x >= 1 && x <= maxSymbol', 'maxSymbol'),
  /** 0 (every symbol) or a symbol. */
  symbolOrAll: rule(R.UNKNOWN_SYMBOL, 'x <= maxSymbol', 'maxSymbol'),
  /** A symbol directory's size: at least the id of the symbol it comes with. */
  symbolCount: rule(R.BAD_FIELD, 'x >= symbol', 'symbol'),
  side: rule(R.BAD_SIDE, `x <= ${Side.SELL}`),
  kind: rule(R.BAD_KIND, `x <= ${OrderKind.MARKET}`),
  /** A time in force; a market order's must be IOC. */
  tif: rule(R.BAD_TIF, `x <= ${TimeInForce.POST_ONLY} && (kind !== ${OrderKind.MARKET} || x === ${TimeInForce.IOC})`, 'kind'),
  /** Limit: price > 0. Market: price 0 (no protection price in this protocol). An unknown kind is
   *  the kind field's fault, not the price's. */
  orderPrice: rule(R.BAD_PRICE, `kind > ${OrderKind.MARKET} || (kind === ${OrderKind.LIMIT} ? x > 0 : x === 0)`, 'kind'),
  price: rule(R.BAD_PRICE, 'x > 0'),
  /** A band's upper limit: not below its lower one. */
  bandHigh: rule(R.BAD_PRICE, 'x >= bandLow', 'bandLow'),
  /** A price inside the band. */
  inBand: rule(R.BAD_PRICE, 'x >= bandLow && x <= bandHigh', 'bandLow', 'bandHigh'),
  qty: rule(R.BAD_QTY, 'x > 0'),
  /** A quantity that may be 0 (a level removed; an order done). */
  qtyOrZero: rule(R.BAD_QTY, 'x >= 0'),
  /** A replaced order's open quantity: 1..qty. */
  leavesOfQty: rule(R.BAD_QTY, 'x > 0 && x <= qty', 'qty'),
  /** Known bits only, FULL exactly when nothing is left. */
  fillFlags: rule(R.BAD_FIELD, `(x & ${~FILL_FLAGS}) === 0 && ((x & ${FillFlags.FULL}) !== 0) === (leavesQty === 0)`, 'leavesQty'),
  levelCount: rule(R.BAD_FIELD, `x <= ${SNAPSHOT_DEPTH}`),
} as const;
