// Test helper: an engine's control side without an engine: a /dev/shm telemetry segment whose heartbeat beats
// and whose control requests are answered every millisecond by the engine's real ControlResponder (kill →
// HALTED (KILL), reset → ACTIVE (RESET), flatten and parameters recorded). What the monitor and the control
// tools talk to in their tests. Not a test file.
//
// With `motion`, it also trades on paper: every `periodMs` it publishes changing figures in every block the
// cockpit draws (market and WOBI per level, gate inputs, NEV decisions, positions and P&L, OTR, broker windows,
// risk, RTT samples, CPU and threads, latency histograms, counters, events) and, given a journal path, appends
// order → ack → fill records to it. No orders are made up while HALTED, as in the engine.
import { openJournal, type JournalWriter } from '../../host/journal/journal-writer.js';
import { liveClock } from '../../host/platform/clock.js';
import { RiskRefusal, Side, TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import {
  ControlResponder, ControlWriter, EventKind, LatencyHistograms, LatencySeries, SegmentReader, TelemetryPublisher, createSegmentFile,
  type EngineSegment,
} from '../../host/telemetry/index.js';

export interface Journaled { action: number; accepted: boolean; paramId: number; paramValue: number }

export interface FakeEngine {
  readonly segment: EngineSegment;
  readonly pub: TelemetryPublisher;
  readonly journal: Journaled[];
  readonly collars: number[];
  readonly params: { key: number; value: number }[];
  readonly reader: SegmentReader;
  readonly control: ControlWriter;
  /** Orders the paper trading made (0 without `motion`); none is made while HALTED. */
  readonly ordersMade: () => number;
  /** Stops the heartbeat and the answers (the segment stays, as after a crash). */
  stop(): void;
}

/** Paper trading for the cockpit's tests: what moves and where the journal goes. */
export interface FakeMotion {
  /** Venue symbol ids, one per slot. */
  readonly symbols: readonly number[];
  /** Journal file to append order, ack and fill records to (none: no journal). */
  readonly journal?: string;
  /** How often the figures move. Default 50 ms. */
  readonly periodMs?: number;
  /** Seed of the figures' random walk. Default 1. */
  readonly seed?: number;
}

/** `paramStatus`: what the engine answers a parameter with (0 applied). */
export function fakeEngine(
  name: string, token: string, paramStatus = (_key: number, _value: number): number => 0, motion?: FakeMotion,
): FakeEngine {
  const segment = createSegmentFile(name, { pid: process.pid, clock: liveClock });
  const pub = new TelemetryPublisher(segment);
  const journal: Journaled[] = [];
  const collars: number[] = [];
  const params: { key: number; value: number }[] = [];
  let halted = false;
  const responder = new ControlResponder(segment, token, {
    kill: () => {
      halted = true;
      pub.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
    },
    reset: () => {
      halted = false;
      pub.publishTradingState(TradingState.ACTIVE, TradingStateReason.RESET);
      return true;
    },
    flatten: (collar) => {
      collars.push(collar);
      return true;
    },
    param: (key, value) => {
      const status = paramStatus(key, value);
      if (status === 0) params.push({ key, value });
      return status;
    },
    journal: (action, accepted, paramId, paramValue) => journal.push({ action, accepted, paramId, paramValue }),
  });
  const timer = setInterval(() => {
    pub.heartbeat();
    responder.poll();
  }, 1);
  const paper = motion ? new PaperTrading(pub, motion, () => halted) : null;
  return {
    segment, pub, journal, collars, params,
    reader: new SegmentReader(segment.sab, { clock: liveClock }), control: new ControlWriter(segment.sab),
    ordersMade: () => paper?.orders ?? 0,
    stop: () => {
      clearInterval(timer);
      paper?.stop();
    },
  };
}

/** Figures that move like a trading engine's, in every block, from a seeded random walk. */
class PaperTrading {
  orders = 0;
  private fills = 0;
  private cancels = 0;
  private rejects = 0;
  private step = 0;
  private rnd: () => number;
  private readonly timer: NodeJS.Timeout;
  private readonly mids: number[];
  private readonly pos: number[];
  private readonly avg: number[];
  private readonly realized: number[];
  private readonly charges: number[];
  private readonly regime: number[];
  private readonly histograms = new LatencyHistograms();
  private readonly writer: JournalWriter | null;
  private clOrdId = 1000;
  /** The journal's last timestamp: records are appended in time order, as the engine's are. */
  private lastTs = 0;

  constructor(private readonly pub: TelemetryPublisher, private readonly m: FakeMotion, private readonly halted: () => boolean) {
    let x = (m.seed ?? 1) >>> 0 || 1;
    this.rnd = () => {
      // xorshift32: enough randomness for moving figures, and repeatable.
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      return x / 4294967296;
    };
    const n = m.symbols.length;
    this.mids = m.symbols.map((_, i) => 250_000 + i * 120_000);
    this.pos = new Array<number>(n).fill(0);
    this.avg = new Array<number>(n).fill(0);
    this.realized = new Array<number>(n).fill(0);
    this.charges = new Array<number>(n).fill(0);
    this.regime = new Array<number>(n).fill(1);
    this.writer = m.journal ? openJournal(m.journal, { fsync: 'none' }) : null;
    pub.publishThreads([
      { tid: process.pid + 1, name: 'tc-hot', cpu: 0, busyBp: 0 }, { tid: process.pid + 2, name: 'tc-cool', cpu: 1, busyBp: 0 },
    ]);
    this.timer = setInterval(() => this.move(), m.periodMs ?? 50);
  }

  private move(): void {
    const now = liveClock.nowNs();
    const r = this.rnd;
    this.step++;
    this.m.symbols.forEach((symbolId, i) => {
      this.mids[i] = Math.max(1000, this.mids[i]! + Math.round((r() - 0.5) * 40));
      const mid = this.mids[i]!;
      const wobi = Array.from({ length: 10 }, (_, l) => Math.round(Math.sin(this.step / 9 + l * 0.7 + i) * 7000 + (r() - 0.5) * 3000));
      if (r() < 0.03) this.regime[i] = 1 - this.regime[i]!;
      this.pub.publishMarket(i, {
        symbolId, bidPrice: mid - 5, bidQty: 100 + Math.floor(r() * 900), askPrice: mid + 5, askQty: 100 + Math.floor(r() * 900),
        wobiBp: wobi, imbalanceBp: wobi[0]!, signalBp: Math.round((wobi[0]! + wobi[1]!) / 2), regime: this.regime[i]!,
        entropyMilli: 400 + Math.floor(r() * 500),
      }, now);
      const fresh = r() > 0.05;
      this.pub.publishGate(i, { feedFresh: fresh, noGaps: true, bookUncrossed: true, rttHealthy: true, clocksSane: r() > 0.02, open: fresh }, now);
      this.pub.recordDecision(i, Math.round((r() - 0.4) * 5000), now);
      if (!this.halted() && r() < 0.6) this.trade(i, symbolId, mid, now);
      this.pub.publishOrderRates(i, this.orders, this.fills, this.cancels);
      const mark = mid * 5;
      const unrealized = this.pos[i]! * (mark - this.avg[i]!);
      this.pub.publishPosition(i, {
        symbolId, position: this.pos[i]!, openOrders: Math.floor(r() * 3), avgPricePaise: this.avg[i]!, markPaise: mark,
        realizedPaise: this.realized[i]!, unrealizedPaise: unrealized, chargesPaise: this.charges[i]!,
      });
    });
    this.pub.publishTotals(now);
    const counted = this.orders + this.cancels;
    this.pub.publishOtr({
      ratioMilli: Math.round((counted * 1000) / Math.max(1, this.fills)), slab: counted / Math.max(1, this.fills) >= 50 ? 1 : 0,
      countedMessages: counted, trades: this.fills, budgetLeft: Math.max(0, 5000 - counted), projectedPenaltyPaise: counted * 2,
    }, now);
    this.pub.publishBrokerWindows({ second: Math.floor(r() * 10), secondCap: 10, minute: (this.orders % 400), minuteCap: 400, day: this.orders + this.cancels, dayCap: 5000 });
    const exposure = this.pos.reduce((a, p, i) => a + Math.abs(p) * this.mids[i]! * 5, 0);
    this.pub.publishRisk({
      positionUsed: Math.max(...this.pos.map(Math.abs)), positionLimit: 50, openOrdersUsed: Math.floor(r() * 5), openOrdersLimit: 20,
      orderRateUsed: Math.floor(r() * 10), orderRateLimit: 10, dailyLossUsedPaise: Math.floor(r() * 40_000), dailyLossLimitPaise: 500_000,
      exposureUsedPaise: exposure, exposureLimitPaise: 500_000_000,
    });
    for (let k = 0; k < 3; k++) {
      const rtt = Math.round(300_000 + r() * 2_000_000 + (r() < 0.05 ? 20_000_000 : 0));
      this.pub.recordRtt(rtt);
      this.histograms.recordInterval(LatencySeries.RTT, rtt);
    }
    for (let k = 0; k < 20; k++) {
      const t0 = now - 100_000;
      this.histograms.record(t0, t0 + 2_000, t0 + 5_000, t0 + 7_000, t0 + 8_000 + Math.round(r() * r() * 60_000), t0 - 50_000);
    }
    this.pub.publishLatency(this.histograms);
    if (this.step % 4 === 0) {
      this.pub.publishCpu({ sampledNs: now, busyBp: [Math.round(6000 + r() * 3000), Math.round(1000 + r() * 2000)] });
      this.pub.publishThreads([
        { tid: process.pid + 1, name: 'tc-hot', cpu: 0, busyBp: Math.round(5000 + r() * 4000) },
        { tid: process.pid + 2, name: 'tc-cool', cpu: 1, busyBp: Math.round(500 + r() * 1500) },
      ]);
    }
    this.pub.publishCounters({ orders: this.orders, fills: this.fills, cancels: this.cancels, rejects: this.rejects, refusedMaxPosition: this.step >> 5 });
    if (this.step % 8 === 0) {
      this.pub.appendEvent({ kind: EventKind.RISK_REFUSAL, tsNs: now, symbolId: this.m.symbols[0]!, side: Side.BUY, qty: 5, code: RiskRefusal.MAX_POSITION });
    }
    if (this.step % 30 === 0) this.pub.appendEvent({ kind: EventKind.ALERT, tsNs: now, code: 1, value: 21_000_000 });
    this.writer?.flush();
  }

  private stamp(at: number): number {
    this.lastTs = Math.max(this.lastTs + 1, at);
    return this.lastTs;
  }

  /** One order on symbol slot `i`: sent, acked, filled (or cancelled, or now and then rejected). */
  private trade(i: number, symbolId: number, mid: number, nowNs: number): void {
    const now = this.stamp(nowNs);
    const r = this.rnd;
    const id = ++this.clOrdId;
    const side = r() < 0.5 ? Side.BUY : Side.SELL;
    const qty = 1 + Math.floor(r() * 3);
    const price = side === Side.BUY ? mid - 5 : mid + 5;
    this.orders++;
    this.pub.appendEvent({ kind: EventKind.ORDER, tsNs: now, orderId: id, symbolId, side, price, qty });
    const w = this.writer;
    w?.OrderNew(now, id, symbolId, side, 0, 0, price, qty);
    const ackAt = this.stamp(now + 200_000 + Math.round(r() * 900_000));
    const fate = r();
    if (fate < 0.04) {
      this.rejects++;
      this.pub.appendEvent({ kind: EventKind.REJECT, tsNs: ackAt, orderId: id, code: 3, detail: 0 });
      w?.Reject(ackAt, id, symbolId, 3, 0);
      return;
    }
    w?.Ack(ackAt, id, id + 500_000, symbolId);
    if (fate < 0.55) {
      const charges = 1500 + Math.floor(r() * 800);
      this.fills++;
      const signed = side === Side.BUY ? qty : -qty;
      const pricePaise = price * 5;
      const before = this.pos[i]!;
      if (before === 0 || Math.sign(before) === Math.sign(signed)) {
        this.avg[i] = Math.round((this.avg[i]! * Math.abs(before) + pricePaise * qty) / (Math.abs(before) + qty));
      } else {
        const closed = Math.min(Math.abs(before), qty);
        this.realized[i]! += closed * (pricePaise - this.avg[i]!) * Math.sign(before);
        if (Math.abs(signed) > Math.abs(before)) this.avg[i] = pricePaise;
      }
      this.pos[i] = before + signed;
      if (this.pos[i] === 0) this.avg[i] = 0;
      this.charges[i]! += charges;
      const at = this.stamp(ackAt + 100_000);
      this.pub.appendEvent({ kind: EventKind.FILL, tsNs: at, orderId: id, symbolId, side, price, qty, value: charges });
      w?.Fill(at, id, id + 900_000, symbolId, side, price, qty, 0, charges);
    } else {
      this.cancels++;
      const asked = this.stamp(ackAt + 150_000);
      const done = this.stamp(asked + 200_000);
      this.pub.appendEvent({ kind: EventKind.CANCEL, tsNs: done, orderId: id, symbolId, qty, code: 0 });
      w?.OrderCancel(asked, ++this.clOrdId, id, symbolId);
      w?.Canceled(done, id, symbolId, 1, qty);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.writer?.close();
  }
}
