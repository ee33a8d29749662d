// One matched symbol: its state block in the core's matching engine (price-time L3 book), the calls
// into it, and the translation of the engine's events into execution reports for the owning session
// and market-data changes (L2 deltas, trades) for everyone.
//
// Every call runs to completion before it returns: the engine writes its events into the venue's one
// event ring, we drain the ring after the call and, when the ring filled mid-call (NEED_DRAIN),
// drain and matchResume until the call ends. Calls are synchronous on the venue's one thread, so
// the ring holds only the current call's events and the call's context (which order, which Cancel)
// can live in fields here rather than in the events.
//
// Synthetic flow orders go through exactly the same engine: a client's passive order fills only when
// flow reaches it through the queue ahead of it. Nobody fills a client order by fiat.
import { CancelReason, RejectReason, SNAPSHOT_DEPTH } from '../../protocol/index.js';
import { EventFlag, EventType, MatchCancelReason, MatchStatus, describeMatchStatus } from './matching.js';
import { NO_PRICE, Side } from '../../model/vocabulary.js';
import type { CoreExports } from '../../core/core.js';
import { LiveOrder, VenueIds } from './live-order.js';
import { LevelsScratch, type MarketBook, type MarketDataSink, type SymbolSpec } from './market-book.js';
import type { VenueLog } from '../venue-log.js';
import { liveClock, type Clock } from '../../platform/clock.js';

/**
 * Matching owner id of synthetic background flow. 0 is never a session id (they start at 1), and the
 * engine's self-trade prevention exempts owner 0: the flow stands for many participants, who trade
 * with each other.
 */
export const SYNTHETIC_OWNER = 0;

/** Told when a synthetic order leaves the book (filled or canceled). */
export interface SyntheticOrderListener {
  onSyntheticDone(matchId: number): void;
}

const I32_MAX = 0x7fffffff;

/** Matching refusal (negative status) → wire Reject reason. */
function rejectReasonOf(status: number): number {
  switch (status) {
    case MatchStatus.BAD_SIDE: return RejectReason.BAD_SIDE;
    case MatchStatus.BAD_KIND: return RejectReason.BAD_KIND;
    case MatchStatus.BAD_TIF: return RejectReason.BAD_TIF;
    case MatchStatus.BAD_QTY: return RejectReason.BAD_QTY;
    case MatchStatus.OUT_OF_BAND: return RejectReason.PRICE_OUT_OF_BAND;
    case MatchStatus.POST_ONLY_WOULD_CROSS: return RejectReason.POST_ONLY_WOULD_CROSS;
    case MatchStatus.POOL_FULL: return RejectReason.POOL_FULL;
    case MatchStatus.UNKNOWN_ORDER: return RejectReason.UNKNOWN_ORDER;
    default: throw new Error(`matching engine answered ${status} (${describeMatchStatus(status)})`);
  }
}

const CALL_NONE = 0;
const CALL_SUBMIT = 1;
const CALL_CANCEL = 2;
const CALL_REPLACE = 3;

export interface MarketRegions {
  readonly ring: number;
  readonly state: number;
  /** SNAPSHOT_DEPTH × 16 bytes for matchSnapshot. */
  readonly scratch: number;
}

export class SymbolMarket implements MarketBook {
  readonly halted = false;
  /** Live client orders by engine id. */
  private readonly orders = new Map<number, LiveOrder>();
  synthetic: SyntheticOrderListener | null = null;

  // The call in progress (see the header).
  private call = CALL_NONE;
  private callOrder: LiveOrder | null = null;
  private callClOrdId = 0;
  private callCancelReason: number = CancelReason.REQUESTED;
  private callQty = 0;
  private clientRef = 0;
  private readonly view: DataView;
  private readonly core: CoreExports;

  constructor(
    core: CoreExports,
    memory: WebAssembly.Memory,
    private readonly regions: MarketRegions,
    readonly spec: SymbolSpec,
    private readonly md: MarketDataSink,
    private readonly ids: VenueIds,
    private readonly log: VenueLog,
    private readonly clock: Clock = liveClock,
  ) {
    this.core = core;
    // The memory never grows (createSharedMemory fixes its size), so one view serves for the run.
    this.view = new DataView(memory.buffer);
  }

  // ── queries ──────────────────────────────────────────────────────────────────────────────────

  bestBid(): number {
    return this.core.matchBestBid(this.regions.state);
  }
  bestAsk(): number {
    return this.core.matchBestAsk(this.regions.state);
  }
  restingOrders(): number {
    return this.core.matchOrderCount(this.regions.state);
  }
  /** Every pool record holds a resting order. */
  poolFull(): boolean {
    return this.core.matchOrderCount(this.regions.state) >= this.core.matchCapacity(this.regions.state);
  }
  /** A limit order at `price` on `side` would trade on arrival. */
  crosses(side: number, price: number): boolean {
    if (side === Side.BUY) {
      const ask = this.bestAsk();
      return ask !== NO_PRICE && ask <= price;
    }
    const bid = this.bestBid();
    return bid !== NO_PRICE && bid >= price;
  }
  topLevels(out: LevelsScratch): void {
    const packed = this.core.matchSnapshot(this.regions.state, this.regions.scratch, SNAPSHOT_DEPTH);
    out.bidLevels = packed & 0xffff;
    out.askLevels = packed >>> 16;
    const v = this.view;
    for (let i = 0; i < SNAPSHOT_DEPTH; i++) {
      const row = this.regions.scratch + i * 16;
      out.bidPrices[i] = v.getInt32(row, true);
      out.bidQtys[i] = v.getInt32(row + 4, true);
      out.askPrices[i] = v.getInt32(row + 8, true);
      out.askQtys[i] = v.getInt32(row + 12, true);
    }
  }

  // ── client orders ────────────────────────────────────────────────────────────────────────────

  /** Enters a client order (venue checks done). 0, or the Reject reason. Reports go to its owner. */
  submitClient(order: LiveOrder): number {
    this.begin(CALL_SUBMIT, order);
    const status = this.finish(this.core.matchSubmit(
      this.regions.state, this.regions.ring, order.owner.ownerId, this.clientRef, order.side, order.kind, order.tif,
      order.price, order.qty, BigInt(this.clock.nowNs()),
    ));
    return status < 0 ? rejectReasonOf(status) : 0;
  }

  /** Cancels a live client order; `requestClOrdId` is the Cancel's id (or the order's own for
   *  SESSION_END). 0, or the Reject reason. */
  cancelClient(order: LiveOrder, requestClOrdId: number, reason: number): number {
    this.begin(CALL_CANCEL, order);
    this.callClOrdId = requestClOrdId;
    this.callCancelReason = reason;
    const status = this.finish(this.core.matchCancel(
      this.regions.state, this.regions.ring, order.matchId, this.clientRef, BigInt(this.clock.nowNs()),
    ));
    return status < 0 ? rejectReasonOf(status) : 0;
  }

  /** Replaces a live client order: new client id, price and total quantity (fills included; the
   *  caller checked totalQty > cumQty). 0, or the Reject reason. */
  replaceClient(order: LiveOrder, newClOrdId: number, price: number, totalQty: number): number {
    this.begin(CALL_REPLACE, order);
    this.callClOrdId = newClOrdId;
    this.callQty = totalQty;
    const status = this.finish(this.core.matchReplace(
      this.regions.state, this.regions.ring, order.matchId, price, totalQty - order.cumQty, this.clientRef,
      BigInt(this.clock.nowNs()),
    ));
    return status < 0 ? rejectReasonOf(status) : 0;
  }

  // ── synthetic flow ───────────────────────────────────────────────────────────────────────────

  /** Enters a synthetic order: the engine id if it rests, 0 if done, or a negative engine status. */
  submitSynthetic(side: number, kind: number, tif: number, price: number, qty: number): number {
    this.begin(CALL_SUBMIT, null);
    return this.finish(this.core.matchSubmit(
      this.regions.state, this.regions.ring, SYNTHETIC_OWNER, this.clientRef, side, kind, tif, price, qty,
      BigInt(this.clock.nowNs()),
    ));
  }

  cancelSynthetic(matchId: number): number {
    this.begin(CALL_CANCEL, null);
    return this.finish(this.core.matchCancel(this.regions.state, this.regions.ring, matchId, this.clientRef, BigInt(this.clock.nowNs())));
  }

  // ── the call and its events ──────────────────────────────────────────────────────────────────

  private begin(call: number, order: LiveOrder | null): void {
    // A report handler that called back into matching would interleave two calls' events.
    if (this.call !== CALL_NONE) throw new Error(`${this.spec.name}: matching call made while another is in progress`);
    this.call = call;
    this.callOrder = order;
    this.clientRef = (this.clientRef + 1) >>> 0;
  }

  /** Drains the ring and resumes the call until it ends; returns its final answer. */
  private finish(status: number): number {
    try {
      for (;;) {
        this.drain();
        if (status !== MatchStatus.NEED_DRAIN) return status;
        status = this.core.matchResume(this.regions.state, this.regions.ring);
      }
    } finally {
      this.call = CALL_NONE;
      this.callOrder = null;
    }
  }

  private drain(): void {
    const core = this.core;
    const ring = this.regions.ring;
    for (let at = core.ringPeek(ring); at !== 0; at = core.ringPeek(ring)) {
      try {
        this.onEvent(at);
      } catch (err) {
        this.log.event('internal', `${this.spec.name}: event handling failed: ${(err as Error).stack ?? String(err)}`);
      }
      core.ringRelease(ring);
    }
  }

  private onEvent(at: number): void {
    const v = this.view;
    const type = v.getUint8(at);
    const side = v.getUint8(at + 1);
    const reason = v.getUint8(at + 2);
    const flags = v.getUint8(at + 3);
    const id = v.getUint32(at + 16, true);
    const symbol = this.spec.id;
    // One trade id per FILL, shared by the MD Trade and both sides' Fills.
    const tradeId = type === EventType.FILL ? this.ids.nextTradeId() : 0;
    if ((flags & EventFlag.LEVEL) !== 0) {
      // Trade first, then the levels it changed (docs/protocol.md, "Market data"). The aggressor is
      // the taker, on the side opposite the maker's.
      if (type === EventType.FILL) {
        this.md.trade(symbol, side ^ 1, v.getInt32(at + 32, true), v.getInt32(at + 36, true), tradeId);
      }
      const total = v.getUint32(at + 48, true) + v.getInt32(at + 52, true) * 4294967296;
      this.md.l2Delta(symbol, side, v.getInt32(at + 56, true), total > I32_MAX ? I32_MAX : total);
    }
    switch (type) {
      case EventType.ACCEPTED: {
        const order = this.callOrder;
        if (order === null) return;
        order.matchId = id;
        order.exchOrderId = this.ids.nextOrderId();
        this.orders.set(id, order);
        order.owner.reportAck(order);
        return;
      }
      case EventType.FILL:
        this.onFill(at, tradeId);
        return;
      case EventType.CANCELED: {
        const order = this.orders.get(id);
        if (order === undefined) {
          if (v.getUint32(at + 24, true) === SYNTHETIC_OWNER) this.synthetic?.onSyntheticDone(id);
          return;
        }
        this.orders.delete(id);
        const qty = v.getInt32(at + 36, true);
        if (reason === MatchCancelReason.USER) {
          order.owner.reportCanceled(order, this.callClOrdId, qty, this.callCancelReason);
        } else {
          // Self-trade prevention (venue.stp), or an IOC or market remainder.
          const why = reason === MatchCancelReason.STP ? CancelReason.SELF_TRADE : CancelReason.IOC_REMAINDER;
          order.owner.reportCanceled(order, order.clOrdId, qty, why);
        }
        order.owner.orderDone(order);
        return;
      }
      case EventType.REPLACED: {
        const order = this.orders.get(id);
        if (order === undefined) return;
        const newId = v.getUint32(at + 20, true);
        const oldExch = order.exchOrderId;
        if (newId !== id) {
          this.orders.delete(id);
          this.orders.set(newId, order);
          order.matchId = newId;
          order.exchOrderId = this.ids.nextOrderId();
        }
        const orig = order.clOrdId;
        order.clOrdId = this.callClOrdId;
        order.price = v.getInt32(at + 32, true);
        order.qty = this.callQty;
        order.owner.reportReplaced(order, orig, oldExch, v.getInt32(at + 40, true));
        return;
      }
      default:
        // RESTED: only the level changed (published above). REJECTED: the call's status says it.
        return;
    }
  }

  /** Fills for the maker and the taker, when they are client orders. */
  private onFill(at: number, tradeId: number): void {
    const v = this.view;
    const price = v.getInt32(at + 32, true);
    const qty = v.getInt32(at + 36, true);
    const makerId = v.getUint32(at + 16, true);
    const takerId = v.getUint32(at + 20, true);
    const makerLeaves = v.getInt32(at + 40, true);
    const takerLeaves = v.getInt32(at + 44, true);
    const maker = this.orders.get(makerId);
    if (maker !== undefined) {
      maker.cumQty += qty;
      maker.owner.reportFill(maker, tradeId, price, qty, makerLeaves, true);
      if (makerLeaves === 0) {
        this.orders.delete(makerId);
        maker.owner.orderDone(maker);
      }
    } else if (makerLeaves === 0 && v.getUint32(at + 24, true) === SYNTHETIC_OWNER) {
      this.synthetic?.onSyntheticDone(makerId);
    }
    const taker = this.orders.get(takerId);
    if (taker !== undefined) {
      taker.cumQty += qty;
      taker.owner.reportFill(taker, tradeId, price, qty, takerLeaves, false);
      if (takerLeaves === 0) {
        this.orders.delete(takerId);
        taker.owner.orderDone(taker);
      }
    }
  }
}
