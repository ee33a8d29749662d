// Seeded background order flow for one symbol, so the book looks alive: passive limit orders around
// a random-walk fair value, cancels of resting flow orders, and marketable IOC orders that trade
// against whatever rests — client orders included, in price-time order, through the same matching
// engine. A client's passive order therefore fills only when flow reaches it through the queue ahead.
//
// Determinism: event k draws the same six uniforms from the seeded generator whatever happens, and
// the fair value moves by σ·√(1/rate)·z per event, so the sequence of decisions depends only on the
// seed and the event count. The timer only decides when events run (as many as are due since the
// start at `events_per_second`). What a decision does still depends on the book (a client's order
// can absorb a marketable one), which is the point.
//
// Event k:
//   fair += σ·√dt·z, kept inside the band with `depth` ticks to spare
//   u < passive            → a GTC limit 1..depth ticks behind the fair value on a random side, never
//                            crossing (at most best ask − 1 for a bid); a cancel instead when
//                            max_resting flow orders already rest
//   u < passive + cancel   → cancel a random resting flow order (a passive order if there is none)
//   else                   → an IOC limit on the side whose stale quotes sit across the fair value
//                            (random when neither does), priced at the far side of the best quote
//                            and the fair value, so it eats stale liquidity back to fair value
import { MatchStatus } from './matching.js';
import { NO_PRICE, OrderKind, Side, TimeInForce } from '../../model/vocabulary.js';
import { SeededRandom } from '../../platform/seeded-random.js';
import type { SymbolMarket, SyntheticOrderListener } from './symbol-market.js';
import type { FlowConfig } from '../venue-config.js';
import type { VenueLog } from '../venue-log.js';

/** At most this many seconds of backlog run in one tick (after a stall, the flow catches up slowly). */
const MAX_CATCH_UP_S = 1;

export class SyntheticFlow implements SyntheticOrderListener {
  private readonly random: SeededRandom;
  private fair: number;
  private readonly step: number;
  /** Resting flow orders (engine ids) and each one's index, for O(1) random cancel and removal. */
  private readonly resting: number[] = [];
  private readonly index = new Map<number, number>();
  private startedAt = 0;
  /** Events run so far (warm-up included). */
  events = 0;
  private timedEvents = 0;

  constructor(
    private readonly market: SymbolMarket,
    private readonly cfg: FlowConfig,
    private readonly log: VenueLog,
  ) {
    this.random = new SeededRandom((cfg.seed ^ Math.imul(market.spec.id, 0x27d4eb2d)) >>> 0);
    this.fair = market.spec.refPrice;
    this.step = cfg.eventsPerSecond > 0 ? cfg.sigmaTicks / Math.sqrt(cfg.eventsPerSecond) : 0;
    market.synthetic = this;
  }

  /** Resting flow orders now. */
  get restingCount(): number {
    return this.resting.length;
  }

  get fairValue(): number {
    return this.fair;
  }

  /** Warm-up events, then the clock starts. */
  start(now: number): void {
    for (let i = 0; i < this.cfg.warmupEvents; i++) this.event();
    this.startedAt = now;
  }

  /** Runs the events due by `now` (ms, on the venue's clock). */
  tick(now: number): void {
    if (this.cfg.eventsPerSecond === 0) return;
    const due = Math.floor(((now - this.startedAt) / 1000) * this.cfg.eventsPerSecond);
    let n = due - this.timedEvents;
    const cap = Math.max(1, Math.ceil(this.cfg.eventsPerSecond * MAX_CATCH_UP_S));
    if (n > cap) {
      // Drop what cannot be caught up: the clock moves on, the sequence of decisions does not skip.
      this.startedAt += ((n - cap) / this.cfg.eventsPerSecond) * 1000;
      n = cap;
    }
    for (let i = 0; i < n; i++) this.event();
    this.timedEvents += n;
  }

  onSyntheticDone(matchId: number): void {
    const i = this.index.get(matchId);
    if (i === undefined) return;
    const last = this.resting.pop()!;
    if (last !== matchId) {
      this.resting[i] = last;
      this.index.set(last, i);
    }
    this.index.delete(matchId);
  }

  /** One flow event (see the header). */
  private event(): void {
    const r = this.random;
    const z = r.normal();
    const uKind = r.next();
    const uSide = r.next();
    const uOffset = r.next();
    const uQty = r.next();
    this.events++;

    const { spec } = this.market;
    const cfg = this.cfg;
    const lo = spec.bandLow + cfg.depthTicks + 1;
    const hi = spec.bandHigh - cfg.depthTicks - 1;
    this.fair += this.step * z;
    if (lo <= hi) this.fair = Math.min(hi, Math.max(lo, this.fair));
    const fair = Math.round(this.fair);
    const lots = cfg.minLots + Math.floor(uQty * (cfg.maxLots - cfg.minLots + 1));
    const qty = lots * spec.lotSize;

    let kind = uKind < cfg.passiveFraction ? 0 : uKind < cfg.passiveFraction + cfg.cancelFraction ? 1 : 2;
    if (kind === 0 && this.resting.length >= cfg.maxResting) kind = 1;
    if (kind === 1 && this.resting.length === 0) kind = 0;

    if (kind === 0) this.passive(uSide < 0.5 ? Side.BUY : Side.SELL, fair, 1 + Math.floor(uOffset * cfg.depthTicks), qty);
    else if (kind === 1) this.cancel(Math.floor(uOffset * this.resting.length));
    else this.marketable(uSide < 0.5 ? Side.BUY : Side.SELL, fair, qty);
  }

  private passive(side: number, fair: number, offset: number, qty: number): void {
    const { spec } = this.market;
    let price: number;
    if (side === Side.BUY) {
      price = fair - offset;
      const ask = this.market.bestAsk();
      if (ask !== NO_PRICE && price >= ask) price = ask - 1;
    } else {
      price = fair + offset;
      const bid = this.market.bestBid();
      if (bid !== NO_PRICE && price <= bid) price = bid + 1;
    }
    if (price < spec.bandLow || price > spec.bandHigh) return;
    const id = this.market.submitSynthetic(side, OrderKind.LIMIT, TimeInForce.GTC, price, qty);
    if (id > 0) {
      this.index.set(id, this.resting.length);
      this.resting.push(id);
    } else if (id < 0 && id !== MatchStatus.POOL_FULL) {
      this.log.event('flow', `${spec.name}: flow order refused with status ${id}`);
    }
  }

  private cancel(i: number): void {
    const id = this.resting[i];
    if (id === undefined) return;
    const status = this.market.cancelSynthetic(id);
    if (status < 0) {
      // Not resting any more (we missed its end): forget it.
      this.onSyntheticDone(id);
    }
  }

  private marketable(randomSide: number, fair: number, qty: number): void {
    const bid = this.market.bestBid();
    const ask = this.market.bestAsk();
    let side = randomSide;
    if (ask !== NO_PRICE && ask < fair) side = Side.BUY;
    else if (bid !== NO_PRICE && bid > fair) side = Side.SELL;
    const { spec } = this.market;
    if (side === Side.BUY) {
      if (ask === NO_PRICE) return;
      const price = Math.min(spec.bandHigh, Math.max(ask, fair));
      this.market.submitSynthetic(Side.BUY, OrderKind.LIMIT, TimeInForce.IOC, price, qty);
    } else {
      if (bid === NO_PRICE) return;
      const price = Math.max(spec.bandLow, Math.min(bid, fair));
      this.market.submitSynthetic(Side.SELL, OrderKind.LIMIT, TimeInForce.IOC, price, qty);
    }
  }
}
