// What the engine's cool worker calls to publish its figures into the segment (docs/telemetry.md): one
// method per block, taking plain numbers or an object the caller keeps and refills, each a seqlocked write
// round of that block's fields. The publisher keeps the short histories the blocks carry (NEV of the last
// decisions per symbol, the last RTT samples) and the positions it was given, from which it sums the totals.
// Off the hot path: the hot worker leaves samples in rings, the cool worker drains them and calls this.
import type { ShownState } from './trading-state-block.js';
import type { TradingState, TradingStateReason } from '../model/vocabulary.js';
import type { EngineSegment } from './segment-writer.js';
import {
  GATE_INPUTS, LATENCY_SERIES_COUNT, type LatencySeries, MAX_CORES, MAX_SYMBOLS, MAX_THREADS, NEV_HISTORY, RTT_HISTORY, NAME_BYTES, WOBI_LEVELS, LATENCY_BUCKET_BOUNDS_NS,
} from './segment-layout.js';
import { SegmentBlock, type Snapshot } from './segment-block.js';
import type { EventValues } from './event-ring.js';
import { emptySummary, type LatencyHistograms } from './latency-histograms.js';
import type { CpuSample, ThreadSample } from './cpu-sampler.js';

/** A symbol's market view (SymbolBlock). Prices in ticks; WOBI, imbalance and signal in basis points. */
export interface MarketFigures {
  symbolId: number;
  bidPrice: number;
  bidQty: number;
  askPrice: number;
  askQty: number;
  /** WOBI per book level, basis points; levels past its length publish 0. */
  wobiBp: ArrayLike<number>;
  imbalanceBp: number;
  signalBp: number;
  regime: number;
  entropyMilli: number;
}

/** The zero-trust gate's inputs and the gate itself. */
export interface GateFigures {
  feedFresh: boolean;
  noGaps: boolean;
  bookUncrossed: boolean;
  rttHealthy: boolean;
  clocksSane: boolean;
  open: boolean;
}

/** A symbol's position (PositionBlock); money in integer paise. Day P&L is computed: realized + unrealized − charges. */
export interface PositionFigures {
  symbolId: number;
  position: number;
  openOrders: number;
  avgPricePaise: number;
  markPaise: number;
  realizedPaise: number;
  unrealizedPaise: number;
  chargesPaise: number;
}

export interface OtrFigures {
  ratioMilli: number;
  slab: number;
  countedMessages: number;
  trades: number;
  budgetLeft: number;
  projectedPenaltyPaise: number;
}

export interface BrokerWindowFigures {
  second: number;
  secondCap: number;
  minute: number;
  minuteCap: number;
  day: number;
  dayCap: number;
}

export interface RiskFigures {
  positionUsed: number;
  positionLimit: number;
  openOrdersUsed: number;
  openOrdersLimit: number;
  orderRateUsed: number;
  orderRateLimit: number;
  dailyLossUsedPaise: number;
  dailyLossLimitPaise: number;
  exposureUsedPaise: number;
  exposureLimitPaise: number;
}

function checkIndex(what: string, index: number, count: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`${what}: index ${index} outside [0, ${count})`);
}

function blocks(sab: SharedArrayBuffer, name: string, count: number): SegmentBlock[] {
  return Array.from({ length: count }, (_, i) => new SegmentBlock(sab, name, i));
}

const WOBI = Array.from({ length: WOBI_LEVELS }, (_, i) => `wobiBp${i}`);
const NEV = Array.from({ length: NEV_HISTORY }, (_, i) => `nevPaise${i}`);
const RTT = Array.from({ length: RTT_HISTORY }, (_, i) => `rttNs${i}`);
const BUSY = Array.from({ length: MAX_CORES }, (_, i) => `busyBp${i}`);
const NAME = Array.from({ length: NAME_BYTES / 4 }, (_, i) => `name${i}`);
const LE = LATENCY_BUCKET_BOUNDS_NS.map((_, i) => `le${i}`);

/** `name` as a block's name words: ASCII (others as '?'), cut to NAME_BYTES, NUL padded, little-endian. */
export function nameWords(name: string): number[] {
  const b = Buffer.alloc(NAME_BYTES);
  for (let i = 0; i < Math.min(name.length, NAME_BYTES); i++) {
    const c = name.charCodeAt(i);
    b[i] = c >= 0x20 && c < 0x7f ? c : 0x3f;
  }
  return NAME.map((_, i) => b.readUInt32LE(i * 4));
}

export class TelemetryPublisher {
  readonly segment: EngineSegment;
  private readonly symbols: SegmentBlock[];
  private readonly positions: SegmentBlock[];
  private readonly totals: SegmentBlock;
  private readonly otr: SegmentBlock;
  private readonly broker: SegmentBlock;
  private readonly risk: SegmentBlock;
  private readonly rtt: SegmentBlock;
  private readonly cpu: SegmentBlock;
  private readonly threads: SegmentBlock[];
  private readonly latency: SegmentBlock[];
  /** NEV history per symbol, a ring of NEV_HISTORY; `decisions` counts every one recorded. */
  private readonly nev = new Float64Array(MAX_SYMBOLS * NEV_HISTORY);
  private readonly decisions = new Uint32Array(MAX_SYMBOLS);
  private readonly rttRing = new Float64Array(RTT_HISTORY);
  private rttSamples = 0;
  /** The last position figures per slot, for the totals: position, mark, realized, unrealized, charges. */
  private readonly held = new Float64Array(MAX_SYMBOLS * 5);
  private threadsPublished = 0;
  private readonly summary = emptySummary();

  constructor(segment: EngineSegment) {
    this.segment = segment;
    const sab = segment.sab;
    this.symbols = blocks(sab, 'symbols', MAX_SYMBOLS);
    this.positions = blocks(sab, 'positions', MAX_SYMBOLS);
    this.totals = new SegmentBlock(sab, 'totals');
    this.otr = new SegmentBlock(sab, 'otr');
    this.broker = new SegmentBlock(sab, 'brokerWindows');
    this.risk = new SegmentBlock(sab, 'risk');
    this.rtt = new SegmentBlock(sab, 'rtt');
    this.cpu = new SegmentBlock(sab, 'cpu');
    this.threads = blocks(sab, 'threads', MAX_THREADS);
    this.latency = blocks(sab, 'latency', LATENCY_SERIES_COUNT);
    for (let i = 0; i < LATENCY_SERIES_COUNT; i++) this.latency[i]!.publish({ series: i });
  }

  heartbeat(): number {
    return this.segment.heartbeat();
  }

  /** The name of symbol slot `index` (the engine config's), once at start. */
  publishSymbolName(index: number, name: string): void {
    checkIndex('publishSymbolName', index, MAX_SYMBOLS);
    const b = this.symbols[index]!;
    const words = nameWords(name);
    b.begin();
    try {
      NAME.forEach((field, i) => b.set(field, words[i]!));
    } finally {
      b.end();
    }
  }

  /** Returns what the state block shows after (a set kill word wins: trading-state-block.ts). */
  publishTradingState(state: TradingState, reason: TradingStateReason): Readonly<ShownState> {
    return this.segment.publishTradingState(state, reason);
  }

  /** orders, fills, cancels, rejects, replaces, unknownReports, refused<Code> (REFUSAL_COUNTERS). */
  publishCounters(values: Readonly<Snapshot>): void {
    this.segment.publishCounters(values);
  }

  appendEvent(values: Readonly<EventValues>): number {
    return this.segment.appendEvent(values);
  }

  publishMarket(index: number, m: Readonly<MarketFigures>, nowNs: number): void {
    checkIndex('publishMarket', index, MAX_SYMBOLS);
    const b = this.symbols[index]!;
    b.begin();
    try {
      b.set('symbolId', m.symbolId);
      b.set('bidPrice', m.bidPrice);
      b.set('bidQty', m.bidQty);
      b.set('askPrice', m.askPrice);
      b.set('askQty', m.askQty);
      for (let l = 0; l < WOBI_LEVELS; l++) b.set(WOBI[l]!, l < m.wobiBp.length ? m.wobiBp[l]! : 0);
      b.set('imbalanceBp', m.imbalanceBp);
      b.set('signalBp', m.signalBp);
      b.set('regime', m.regime);
      b.set('entropyMilli', m.entropyMilli);
      b.set('updatedNs', nowNs);
    } finally {
      b.end();
    }
  }

  publishGate(index: number, g: Readonly<GateFigures>, nowNs: number): void {
    checkIndex('publishGate', index, MAX_SYMBOLS);
    const b = this.symbols[index]!;
    b.begin();
    try {
      b.set(GATE_INPUTS[0], g.feedFresh ? 1 : 0);
      b.set(GATE_INPUTS[1], g.noGaps ? 1 : 0);
      b.set(GATE_INPUTS[2], g.bookUncrossed ? 1 : 0);
      b.set(GATE_INPUTS[3], g.rttHealthy ? 1 : 0);
      b.set(GATE_INPUTS[4], g.clocksSane ? 1 : 0);
      b.set('gateOpen', g.open ? 1 : 0);
      b.set('updatedNs', nowNs);
    } finally {
      b.end();
    }
  }

  /** One decision's NEV (paise, an integer) on symbol slot `index`: the block shows the last NEV_HISTORY, newest first. */
  recordDecision(index: number, nevPaise: number, nowNs: number): void {
    checkIndex('recordDecision', index, MAX_SYMBOLS);
    const n = this.decisions[index]!;
    this.nev[index * NEV_HISTORY + (n % NEV_HISTORY)] = nevPaise;
    this.decisions[index] = n + 1;
    const b = this.symbols[index]!;
    b.begin();
    try {
      const kept = Math.min(n + 1, NEV_HISTORY);
      for (let k = 0; k < NEV_HISTORY; k++) {
        b.set(NEV[k]!, k < kept ? this.nev[index * NEV_HISTORY + ((n - k + NEV_HISTORY * 2) % NEV_HISTORY)]! : 0);
      }
      b.set('decisions', (n + 1) >>> 0);
      b.set('updatedNs', nowNs);
    } finally {
      b.end();
    }
  }

  /** Order counts of symbol slot `index` (sent, filled, cancelled, rejected) and the fill and cancel rates from
   *  them: filled / sent and cancelled / sent, as basis points. */
  publishOrderRates(index: number, sent: number, filled: number, cancelled: number, rejected = 0): void {
    checkIndex('publishOrderRates', index, MAX_SYMBOLS);
    const b = this.symbols[index]!;
    b.begin();
    try {
      b.set('orders', sent);
      b.set('fills', filled);
      b.set('cancels', cancelled);
      b.set('rejects', rejected);
      b.set('fillRateBp', sent > 0 ? Math.round((filled * 10000) / sent) : 0);
      b.set('cancelRateBp', sent > 0 ? Math.round((cancelled * 10000) / sent) : 0);
    } finally {
      b.end();
    }
  }

  publishPosition(index: number, p: Readonly<PositionFigures>): void {
    checkIndex('publishPosition', index, MAX_SYMBOLS);
    const b = this.positions[index]!;
    b.begin();
    try {
      b.set('symbolId', p.symbolId);
      b.set('position', p.position);
      b.set('openOrders', p.openOrders);
      b.set('avgPricePaise', p.avgPricePaise);
      b.set('markPaise', p.markPaise);
      b.set('realizedPaise', p.realizedPaise);
      b.set('unrealizedPaise', p.unrealizedPaise);
      b.set('chargesPaise', p.chargesPaise);
      b.set('dayPnlPaise', p.realizedPaise + p.unrealizedPaise - p.chargesPaise);
    } finally {
      b.end();
    }
    const h = index * 5;
    this.held[h] = p.position;
    this.held[h + 1] = p.markPaise;
    this.held[h + 2] = p.realizedPaise;
    this.held[h + 3] = p.unrealizedPaise;
    this.held[h + 4] = p.chargesPaise;
  }

  /** The TotalsBlock, summed over the positions published so far. */
  publishTotals(nowNs: number): void {
    let open = 0;
    let realized = 0;
    let unrealized = 0;
    let charges = 0;
    let gross = 0;
    let net = 0;
    for (let i = 0; i < MAX_SYMBOLS; i++) {
      const h = i * 5;
      const pos = this.held[h]!;
      if (pos !== 0) open++;
      gross += Math.abs(pos) * this.held[h + 1]!;
      net += pos * this.held[h + 1]!;
      realized += this.held[h + 2]!;
      unrealized += this.held[h + 3]!;
      charges += this.held[h + 4]!;
    }
    const b = this.totals;
    b.begin();
    try {
      b.set('openPositions', open);
      b.set('realizedPaise', realized);
      b.set('unrealizedPaise', unrealized);
      b.set('chargesPaise', charges);
      b.set('dayPnlPaise', realized + unrealized - charges);
      b.set('grossExposurePaise', gross);
      b.set('netExposurePaise', net);
      b.set('updatedNs', nowNs);
    } finally {
      b.end();
    }
  }

  publishOtr(o: Readonly<OtrFigures>, nowNs: number): void {
    const b = this.otr;
    b.begin();
    try {
      b.set('ratioMilli', o.ratioMilli);
      b.set('slab', o.slab);
      b.set('countedMessages', o.countedMessages);
      b.set('trades', o.trades);
      b.set('budgetLeft', o.budgetLeft);
      b.set('projectedPenaltyPaise', o.projectedPenaltyPaise);
      b.set('updatedNs', nowNs);
    } finally {
      b.end();
    }
  }

  publishBrokerWindows(w: Readonly<BrokerWindowFigures>): void {
    const b = this.broker;
    b.begin();
    try {
      b.set('second', w.second);
      b.set('secondCap', w.secondCap);
      b.set('minute', w.minute);
      b.set('minuteCap', w.minuteCap);
      b.set('day', w.day);
      b.set('dayCap', w.dayCap);
    } finally {
      b.end();
    }
  }

  publishRisk(r: Readonly<RiskFigures>): void {
    const b = this.risk;
    b.begin();
    try {
      b.set('positionUsed', r.positionUsed);
      b.set('positionLimit', r.positionLimit);
      b.set('openOrdersUsed', r.openOrdersUsed);
      b.set('openOrdersLimit', r.openOrdersLimit);
      b.set('orderRateUsed', r.orderRateUsed);
      b.set('orderRateLimit', r.orderRateLimit);
      b.set('dailyLossUsedPaise', r.dailyLossUsedPaise);
      b.set('dailyLossLimitPaise', r.dailyLossLimitPaise);
      b.set('exposureUsedPaise', r.exposureUsedPaise);
      b.set('exposureLimitPaise', r.exposureLimitPaise);
    } finally {
      b.end();
    }
  }

  /** One round trip (T5 − T4, integer ns): the RttBlock shows the last RTT_HISTORY, newest first. */
  recordRtt(rttNs: number): void {
    const n = this.rttSamples;
    this.rttRing[n % RTT_HISTORY] = rttNs;
    this.rttSamples = n + 1;
    const b = this.rtt;
    const kept = Math.min(n + 1, RTT_HISTORY);
    b.begin();
    try {
      for (let k = 0; k < RTT_HISTORY; k++) b.set(RTT[k]!, k < kept ? this.rttRing[(n - k + RTT_HISTORY * 2) % RTT_HISTORY]! : 0);
      b.set('samples', (n + 1) >>> 0);
    } finally {
      b.end();
    }
  }

  /** CPU per core (the first MAX_CORES). */
  publishCpu(sample: Readonly<CpuSample>): void {
    const b = this.cpu;
    const cores = Math.min(sample.busyBp.length, MAX_CORES);
    b.begin();
    try {
      b.set('cores', cores);
      b.set('sampledNs', sample.sampledNs);
      for (let i = 0; i < MAX_CORES; i++) b.set(BUSY[i]!, i < cores ? sample.busyBp[i]! : 0);
    } finally {
      b.end();
    }
  }

  /** CPU per thread (the first MAX_THREADS); slots past the list are cleared (tid 0). */
  publishThreads(threads: readonly ThreadSample[]): void {
    const n = Math.min(threads.length, MAX_THREADS);
    const upTo = Math.max(n, this.threadsPublished);
    for (let i = 0; i < upTo; i++) {
      const t = threads[i];
      const b = this.threads[i]!;
      b.begin();
      try {
        b.set('tid', i < n ? t!.tid : 0);
        b.set('cpu', i < n ? t!.cpu : 0);
        b.set('busyBp', i < n ? t!.busyBp : 0);
        const words = nameWords(i < n ? t!.name : '');
        for (let w = 0; w < NAME.length; w++) b.set(NAME[w]!, words[w]!);
      } finally {
        b.end();
      }
    }
    this.threadsPublished = n;
  }

  /** Every latency series' summary, from the histograms. */
  /** `between` runs after each series: a caller that must stay responsive (the kill watcher) looks in there. */
  publishLatency(histograms: LatencyHistograms, between?: () => void): void {
    const s = this.summary;
    for (let i = 0; i < LATENCY_SERIES_COUNT; i++) {
      histograms.summary(i as LatencySeries, s);
      const b = this.latency[i]!;
      b.begin();
      try {
        b.set('series', i);
        b.set('count', s.count);
        b.set('minNs', s.minNs);
        b.set('p50Ns', s.p50Ns);
        b.set('p90Ns', s.p90Ns);
        b.set('p95Ns', s.p95Ns);
        b.set('p99Ns', s.p99Ns);
        b.set('p999Ns', s.p999Ns);
        b.set('maxNs', s.maxNs);
        b.set('sumNs', histograms.sumNs(i as LatencySeries));
        const le = histograms.bucketCounts(i as LatencySeries);
        for (let k = 0; k < LE.length; k++) b.set(LE[k]!, le[k]!);
      } finally {
        b.end();
      }
      between?.();
    }
  }
}
