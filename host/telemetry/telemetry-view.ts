// Everything the segment says, decoded into named figures: what `npm run status` draws and the monitor
// serves. One call reads every block under its seqlock (a block that stays torn keeps its previous figures and
// is named in `torn`) and the engine's liveness. Slots nobody uses (symbolId 0, tid 0) are left out.
import {
  GATE_INPUTS, LATENCY_SERIES_COUNT, LatencySeries, MAX_SYMBOLS, MAX_THREADS, NEV_HISTORY, REFUSAL_COUNTERS, RTT_HISTORY,
  NAME_BYTES, WOBI_LEVELS, LATENCY_BUCKET_BOUNDS_NS, region,
} from './segment-layout.js';
import type { Liveness, SegmentReader } from './segment-reader.js';
import type { Snapshot } from './segment-block.js';
import { SeqlockRead } from './seqlock.js';
import type { LatencySummary } from './latency-histograms.js';

export interface SymbolView {
  readonly slot: number;
  readonly symbolId: number;
  /** The engine config's name for the slot ('' from an engine that did not name it). */
  readonly name: string;
  readonly bidPrice: number;
  readonly bidQty: number;
  readonly askPrice: number;
  readonly askQty: number;
  readonly wobiBp: readonly number[];
  readonly imbalanceBp: number;
  readonly signalBp: number;
  readonly regime: number;
  readonly entropyMilli: number;
  readonly gate: { readonly feedFresh: boolean; readonly noGaps: boolean; readonly bookUncrossed: boolean; readonly rttHealthy: boolean; readonly clocksSane: boolean; readonly open: boolean };
  readonly decisions: number;
  /** NEV of the last decisions, newest first (as many as there were, up to NEV_HISTORY). */
  readonly nevPaise: readonly number[];
  readonly fillRateBp: number;
  readonly cancelRateBp: number;
  /** Counts since the engine started: orders sent, fills, cancels, rejects on this symbol. */
  readonly orders: number;
  readonly fills: number;
  readonly cancels: number;
  readonly rejects: number;
  readonly updatedNs: number;
}

export interface PositionView {
  readonly slot: number;
  readonly symbolId: number;
  readonly position: number;
  readonly openOrders: number;
  readonly avgPricePaise: number;
  readonly markPaise: number;
  readonly realizedPaise: number;
  readonly unrealizedPaise: number;
  readonly chargesPaise: number;
  readonly dayPnlPaise: number;
}

export interface ThreadView {
  readonly tid: number;
  readonly name: string;
  readonly cpu: number;
  readonly busyBp: number;
}

export type LatencySeriesName = keyof typeof LatencySeries;

export interface TelemetryView {
  readonly pid: number;
  readonly createdWallMs: number;
  readonly heartbeatNs: number;
  readonly liveness: Liveness;
  /** Blocks whose last read was torn (their figures are from the read before). */
  readonly torn: readonly string[];
  readonly state: { readonly state: number; readonly reason: number; readonly changes: number; readonly changedNs: number };
  /** orders, fills, cancels, rejects, replaces, unknownReports. */
  readonly counters: Readonly<Record<string, number>>;
  /** Risk refusals by RiskRefusal code, only the non-zero ones. */
  readonly refusals: readonly { readonly code: number; readonly count: number }[];
  readonly symbols: readonly SymbolView[];
  readonly positions: readonly PositionView[];
  readonly totals: Readonly<Snapshot>;
  readonly otr: Readonly<Snapshot>;
  readonly brokerWindows: Readonly<Snapshot>;
  readonly risk: Readonly<Snapshot>;
  /** RTT samples, newest first. */
  readonly rttNs: readonly number[];
  readonly rttSamples: number;
  readonly cpu: { readonly sampledNs: number; readonly busyBp: readonly number[] };
  readonly threads: readonly ThreadView[];
  readonly latency: Readonly<Record<LatencySeriesName, LatencySummary>>;
  /** Per series: the sum of its samples (ns) and cumulative counts of samples ≤ each LATENCY_BUCKET_BOUNDS_NS. */
  readonly latencyBuckets: Readonly<Record<LatencySeriesName, { readonly sumNs: number; readonly le: readonly number[] }>>;
  readonly control: Readonly<Snapshot>;
  readonly ack: Readonly<Snapshot>;
}

/** The ASCII name in a block's name words (up to the first NUL). */
export function nameOf(words: readonly number[]): string {
  const b = Buffer.alloc(NAME_BYTES);
  words.forEach((w, i) => b.writeUInt32LE(w >>> 0, i * 4));
  const end = b.indexOf(0);
  return b.toString('latin1', 0, end < 0 ? b.length : end);
}

const SERIES_NAMES = Object.entries(LatencySeries).sort((a, b) => a[1] - b[1]).map(([n]) => n as LatencySeriesName);

/** Read every block of the segment once. */
export function readTelemetry(reader: SegmentReader): TelemetryView {
  const torn: string[] = [];
  const read = (name: string, index = 0): Readonly<Snapshot> => {
    const r = name === 'state' ? reader.tradingState() : name === 'counters' ? reader.counters() : reader.block(name, index);
    if (r.status === SeqlockRead.TORN) torn.push(region(name).count > 1 ? `${name}[${index}]` : name);
    return { ...r.values };
  };
  const h = reader.headerValues();
  const st = read('state');
  const c = read('counters');
  const symbols: SymbolView[] = [];
  for (let i = 0; i < MAX_SYMBOLS; i++) {
    const s = read('symbols', i);
    if (!s.symbolId) continue;
    const decisions = s.decisions ?? 0;
    symbols.push({
      slot: i, symbolId: s.symbolId, name: nameOf([s.name0!, s.name1!, s.name2!, s.name3!]), bidPrice: s.bidPrice!, bidQty: s.bidQty!, askPrice: s.askPrice!, askQty: s.askQty!,
      wobiBp: Array.from({ length: WOBI_LEVELS }, (_, l) => s[`wobiBp${l}`]!), imbalanceBp: s.imbalanceBp!, signalBp: s.signalBp!,
      regime: s.regime!, entropyMilli: s.entropyMilli!,
      gate: {
        feedFresh: s[GATE_INPUTS[0]] === 1, noGaps: s[GATE_INPUTS[1]] === 1, bookUncrossed: s[GATE_INPUTS[2]] === 1,
        rttHealthy: s[GATE_INPUTS[3]] === 1, clocksSane: s[GATE_INPUTS[4]] === 1, open: s.gateOpen === 1,
      },
      decisions, nevPaise: Array.from({ length: Math.min(decisions, NEV_HISTORY) }, (_, k) => s[`nevPaise${k}`]!),
      fillRateBp: s.fillRateBp!, cancelRateBp: s.cancelRateBp!,
      orders: s.orders!, fills: s.fills!, cancels: s.cancels!, rejects: s.rejects!, updatedNs: s.updatedNs!,
    });
  }
  const positions: PositionView[] = [];
  for (let i = 0; i < MAX_SYMBOLS; i++) {
    const p = read('positions', i);
    if (!p.symbolId) continue;
    positions.push({
      slot: i, symbolId: p.symbolId, position: p.position!, openOrders: p.openOrders!, avgPricePaise: p.avgPricePaise!,
      markPaise: p.markPaise!, realizedPaise: p.realizedPaise!, unrealizedPaise: p.unrealizedPaise!, chargesPaise: p.chargesPaise!,
      dayPnlPaise: p.dayPnlPaise!,
    });
  }
  const rtt = read('rtt');
  const rttSamples = rtt.samples ?? 0;
  const cpu = read('cpu');
  const threads: ThreadView[] = [];
  for (let i = 0; i < MAX_THREADS; i++) {
    const t = read('threads', i);
    if (!t.tid) continue;
    threads.push({ tid: t.tid, name: nameOf([t.name0!, t.name1!, t.name2!, t.name3!]), cpu: t.cpu!, busyBp: t.busyBp! });
  }
  const latency = {} as Record<LatencySeriesName, LatencySummary>;
  const latencyBuckets = {} as Record<LatencySeriesName, { sumNs: number; le: number[] }>;
  for (let i = 0; i < LATENCY_SERIES_COUNT; i++) {
    const l = read('latency', i);
    latency[SERIES_NAMES[i]!] = { count: l.count!, minNs: l.minNs!, p50Ns: l.p50Ns!, p90Ns: l.p90Ns!, p95Ns: l.p95Ns!, p99Ns: l.p99Ns!, p999Ns: l.p999Ns!, maxNs: l.maxNs! };
    latencyBuckets[SERIES_NAMES[i]!] = { sumNs: l.sumNs!, le: LATENCY_BUCKET_BOUNDS_NS.map((_, k) => l[`le${k}`]!) };
  }
  const { control, ack } = reader.controlValues();
  return {
    pid: h.enginePid!, createdWallMs: h.createdWallMs!, heartbeatNs: h.heartbeatNs!, liveness: reader.liveness(), torn,
    state: { state: st.state!, reason: st.reason!, changes: st.changes!, changedNs: st.changedNs! },
    counters: { orders: c.orders!, fills: c.fills!, cancels: c.cancels!, rejects: c.rejects!, replaces: c.replaces!, unknownReports: c.unknownReports! },
    refusals: REFUSAL_COUNTERS.map((r) => ({ code: r.code, count: c[r.field]! })).filter((r) => r.count !== 0),
    symbols, positions, totals: read('totals'), otr: read('otr'), brokerWindows: read('brokerWindows'), risk: read('risk'),
    rttNs: Array.from({ length: Math.min(rttSamples, RTT_HISTORY) }, (_, k) => rtt[`rttNs${k}`]!), rttSamples,
    cpu: { sampledNs: cpu.sampledNs!, busyBp: Array.from({ length: cpu.cores ?? 0 }, (_, i) => cpu[`busyBp${i}`]!) },
    threads, latency, latencyBuckets, control, ack,
  };
}
