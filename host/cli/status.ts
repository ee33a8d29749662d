// `npm run status`: the running engine on one screen, read from its telemetry segment with the reader the
// monitor uses (host/telemetry/telemetry-view.ts); this file only draws. Refreshes 4 times a second on a
// terminal; prints one screen and exits with --once or when stdout is not a terminal.
import { RiskRefusal, Side, TradingState, TradingStateReason } from '../model/vocabulary.js';
import { liveClock } from '../platform/clock.js';
import { rupees as rupeesExact } from '../modules/positions.js';
import { Regime } from '../modules/sonar.js';
import {
  DEFAULT_SEGMENT_NAME, EventKind, SegmentReader, mapSegmentFile, readTelemetry, type LatencySeriesName, type TelemetryView,
} from '../telemetry/index.js';
import type { Snapshot } from '../telemetry/segment-block.js';
import { isEntry, readCommandLine, runCommand, UsageError } from './command-line.js';

const USAGE = `usage: status [--segment NAME] [--once | --json] [--interval-ms N] [--down-after-ms N]
  The running engine on one screen, from its telemetry segment (/dev/shm NAME, default ${DEFAULT_SEGMENT_NAME}):
  trading state, per symbol the book top, signal, regime and zero-trust gate, positions and P&L in rupees after
  charges, OTR, broker windows, risk limits, RTT, latency percentiles (µs), CPU, and the last events.
  Refreshes every --interval-ms (default 250) on a terminal until Ctrl-C; prints one screen and exits with --once
  or when stdout is not a terminal. Shows ENGINE DOWN when the heartbeat has not moved for --down-after-ms
  (default 1000). --json prints the same figures once as one JSON object (money in paise, times in ns).`;

function namesOf(codes: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(codes).map(([k, v]) => [v, k]));
}
const STATE = namesOf(TradingState);
const REASON = namesOf(TradingStateReason);
const REFUSAL = namesOf(RiskRefusal);
const REGIME = namesOf(Regime);
const KIND = namesOf(EventKind);
const SIDE = namesOf(Side);
const name = (m: Map<number, string>, code: number): string => m.get(code) ?? `#${code}`;

/** Paise → rupees, 2 decimals, exact. */
export function rupees(paise: number): string {
  return rupeesExact(BigInt(Math.trunc(paise)));
}

const pct = (bp: number): string => `${(bp / 100).toFixed(1)}%`;
const us = (ns: number): string => (ns / 1000).toFixed(1);

/** `[#####.....]  50%` of used against limit. */
export function bar(used: number, limit: number, width = 20): string {
  if (!(limit > 0)) return `[${' '.repeat(width)}]  no limit`;
  const f = Math.max(0, used / limit);
  const filled = Math.min(width, Math.round(f * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

function eventLine(e: Readonly<Snapshot>, nowNs: number, symbolName: (id: number) => string): string {
  const ago = `${((nowNs - e.tsNs!) / 1e6).toFixed(0)} ms ago`.padStart(12);
  const kind = name(KIND, e.kind!).padEnd(12);
  switch (e.kind) {
    case EventKind.STATE_CHANGE:
      return `${ago}  ${kind} ${name(STATE, e.code!)} (${name(REASON, e.detail!)})`;
    case EventKind.RISK_REFUSAL:
      return `${ago}  ${kind} ${symbolName(e.symbolId!)} ${name(SIDE, e.side!)} ${e.qty}@${e.price} ${name(REFUSAL, e.code!)}`;
    case EventKind.ALERT:
      return `${ago}  ${kind} code ${e.code} value ${e.value}`;
    default:
      return `${ago}  ${kind} order ${e.orderId} ${symbolName(e.symbolId!)} ${name(SIDE, e.side!)} ${e.qty}@${e.price} code ${e.code}`;
  }
}

const SERIES: readonly [LatencySeriesName, string][] = [
  ['TICK_TO_ORDER', 'tick→order T0→T4'], ['WIRE_TO_ORDER', 'wire→order Tv→T4'], ['T0_T1', 'T0→T1 book'], ['T1_T2', 'T1→T2 signal'],
  ['T2_T3', 'T2→T3 decision'], ['T3_T4', 'T3→T4 send'], ['RTT', 'RTT T4→T5'],
];

/** One screen of text. `events`: the most recent events, oldest first. */
export function renderStatus(v: TelemetryView, events: readonly Readonly<Snapshot>[], segmentName: string): string {
  const out: string[] = [];
  // The engine's names for the venue's symbol ids (an engine that did not name a slot shows the id).
  const names = new Map(v.symbols.filter((s) => s.name !== '').map((s) => [s.symbolId, s.name]));
  const symbolName = (id: number): string => names.get(id) ?? `#${id}`;
  const live = v.liveness.up
    ? `up, heartbeat ${v.liveness.heartbeat}`
    : `ENGINE DOWN: no heartbeat for ${(v.liveness.silentMs / 1000).toFixed(1)} s (figures below are its last)`;
  out.push(`tradecore engine pid ${v.pid} · ${segmentName} · ${live}`);
  out.push(`state ${name(STATE, v.state.state)} (${name(REASON, v.state.reason)}), ${v.state.changes} changes` +
    (v.control.kill ? ' · KILL WORD SET' : '') + (v.torn.length ? ` · stale blocks: ${v.torn.join(', ')}` : ''));
  const c = v.counters;
  out.push(`orders ${c.orders}  fills ${c.fills}  cancels ${c.cancels}  replaces ${c.replaces}  rejects ${c.rejects}  unknown reports ${c.unknownReports}` +
    (v.refusals.length ? `  refused: ${v.refusals.map((r) => `${name(REFUSAL, r.code)} ${r.count}`).join(', ')}` : ''));
  out.push('');
  if (v.symbols.length) {
    out.push(...table([
      ['symbol', 'bid ticks', 'qty', 'ask ticks', 'qty', 'imb', 'signal', 'regime', 'entropy', 'gate', 'fill', 'cancel', 'last NEV ₹'],
      ...v.symbols.map((s) => {
        const g = s.gate;
        const flags = [g.feedFresh ? 'F' : 'f', g.noGaps ? 'G' : 'g', g.bookUncrossed ? 'U' : 'u', g.rttHealthy ? 'R' : 'r', g.clocksSane ? 'C' : 'c'].join('');
        return [
          symbolName(s.symbolId), String(s.bidPrice), String(s.bidQty), String(s.askPrice), String(s.askQty), pct(s.imbalanceBp),
          (s.signalBp / 10000).toFixed(3), name(REGIME, s.regime), (s.entropyMilli / 1000).toFixed(3), `${g.open ? 'OPEN' : 'shut'} ${flags}`,
          pct(s.fillRateBp), pct(s.cancelRateBp), s.nevPaise.length ? rupees(s.nevPaise[0]!) : '-',
        ];
      }),
    ]));
    out.push('  gate inputs: F feed fresh, G no gaps, U book uncrossed, R RTT healthy, C clocks sane (lower case: failing)');
  } else {
    out.push('no symbols published yet');
  }
  out.push('');
  const t = v.totals;
  out.push(...table([
    ['position', 'qty', 'avg ₹', 'mark ₹', 'realized ₹', 'unrealized ₹', 'charges ₹', 'day P&L ₹', 'open'],
    ...v.positions.map((p) => [
      symbolName(p.symbolId), String(p.position), rupees(p.avgPricePaise), rupees(p.markPaise), rupees(p.realizedPaise), rupees(p.unrealizedPaise),
      rupees(p.chargesPaise), rupees(p.dayPnlPaise), String(p.openOrders),
    ]),
    ['total', '', '', '', rupees(t.realizedPaise ?? 0), rupees(t.unrealizedPaise ?? 0), rupees(t.chargesPaise ?? 0), rupees(t.dayPnlPaise ?? 0), ''],
  ]));
  out.push(`exposure gross ₹${rupees(t.grossExposurePaise ?? 0)}  net ₹${rupees(t.netExposurePaise ?? 0)}`);
  out.push('');
  const o = v.otr;
  out.push(`OTR ${((o.ratioMilli ?? 0) / 1000).toFixed(3)}  slab ${o.slab}  counted ${o.countedMessages}  trades ${o.trades}  ` +
    `budget left ${o.budgetLeft === 0x7fffffff ? 'unlimited' : o.budgetLeft}  projected penalty ₹${rupees(o.projectedPenaltyPaise ?? 0)}`);
  const w = v.brokerWindows;
  out.push(`broker windows  second ${w.second}/${w.secondCap}  minute ${w.minute}/${w.minuteCap}  day ${w.day}/${w.dayCap}`);
  const r = v.risk;
  out.push(`risk  position    ${bar(r.positionUsed ?? 0, r.positionLimit ?? 0)}  ${r.positionUsed}/${r.positionLimit}`);
  out.push(`      open orders ${bar(r.openOrdersUsed ?? 0, r.openOrdersLimit ?? 0)}  ${r.openOrdersUsed}/${r.openOrdersLimit}`);
  out.push(`      order rate  ${bar(r.orderRateUsed ?? 0, r.orderRateLimit ?? 0)}  ${r.orderRateUsed}/${r.orderRateLimit} per s`);
  out.push(`      daily loss  ${bar(r.dailyLossUsedPaise ?? 0, r.dailyLossLimitPaise ?? 0)}  ₹${rupees(r.dailyLossUsedPaise ?? 0)} of ₹${rupees(r.dailyLossLimitPaise ?? 0)}`);
  out.push(`      exposure    ${bar(r.exposureUsedPaise ?? 0, r.exposureLimitPaise ?? 0)}  ₹${rupees(r.exposureUsedPaise ?? 0)} of ₹${rupees(r.exposureLimitPaise ?? 0)}`);
  out.push(`RTT µs (newest first, ${v.rttSamples} samples): ${v.rttNs.length ? v.rttNs.map(us).join(' ') : '-'}`);
  out.push('');
  out.push(...table([
    ['latency µs', 'count', 'min', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'],
    ...SERIES.map(([key, label]) => {
      const l = v.latency[key];
      return [label, String(l.count), us(l.minNs), us(l.p50Ns), us(l.p90Ns), us(l.p95Ns), us(l.p99Ns), us(l.p999Ns), us(l.maxNs)];
    }),
  ]));
  out.push('');
  out.push(`CPU  ${v.cpu.busyBp.length ? v.cpu.busyBp.map((bp, i) => `cpu${i} ${pct(bp)}`).join('  ') : '-'}`);
  for (const th of v.threads) out.push(`     ${th.name.padEnd(16)} tid ${th.tid} on cpu${th.cpu}  ${pct(th.busyBp)}`);
  out.push('');
  out.push('last events:');
  if (events.length === 0) out.push('  none');
  for (const e of events) out.push(`  ${eventLine(e, v.heartbeatNs, symbolName)}`);
  return out.join('\n') + '\n';
}

interface Args {
  readonly segment: string;
  readonly once: boolean;
  readonly json: boolean;
  readonly intervalMs: number;
  readonly downAfterMs: number;
}

function positiveInt(option: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max) throw new UsageError(`--${option} must be an integer in [1, ${max}], got ${JSON.stringify(text)}`);
  return n;
}

function parse(argv: string[]): Args {
  const { values } = readCommandLine(argv, {
    segment: { type: 'string' }, once: { type: 'boolean' }, json: { type: 'boolean' }, 'interval-ms': { type: 'string' }, 'down-after-ms': { type: 'string' },
  });
  const segment = values.segment ?? DEFAULT_SEGMENT_NAME;
  if (!/^\/[^/]+$/.test(segment)) throw new UsageError(`--segment must be a name like ${DEFAULT_SEGMENT_NAME} (one leading /), got ${JSON.stringify(segment)}`);
  return {
    segment, once: values.once === true, json: values.json === true,
    intervalMs: positiveInt('interval-ms', values['interval-ms'], 250, 60_000),
    downAfterMs: positiveInt('down-after-ms', values['down-after-ms'], 1000, 600_000),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const KEEP_EVENTS = 10;

async function main(argv: string[]): Promise<void> {
  const args = parse(argv);
  const sab = mapSegmentFile(args.segment);
  const reader = new SegmentReader(sab, { clock: liveClock, engineDownAfterMs: args.downAfterMs, eventsFromStart: true });
  const recent: Readonly<Snapshot>[] = [];
  const drain = (): void => {
    for (let more = true; more;) {
      const { events } = reader.events.poll(256);
      recent.push(...events);
      more = events.length === 256;
    }
    recent.splice(0, Math.max(0, recent.length - KEEP_EVENTS));
  };
  const screen = (): string => {
    drain();
    return renderStatus(readTelemetry(reader), recent, args.segment);
  };
  if (args.once || args.json || !process.stdout.isTTY) {
    // Liveness is the heartbeat moving: watch it for up to the threshold (a live engine beats every few ms).
    const first = reader.liveness().heartbeat;
    const until = Date.now() + args.downAfterMs + 20;
    while (Date.now() < until && reader.liveness().heartbeat === first) await sleep(5);
    if (args.json) {
      drain();
      process.stdout.write(`${JSON.stringify({ ...readTelemetry(reader), events: recent })}\n`);
      return;
    }
    process.stdout.write(screen());
    return;
  }
  let stop = false;
  process.once('SIGINT', () => (stop = true));
  while (!stop) {
    process.stdout.write(`\x1b[H\x1b[2J${screen()}`);
    await sleep(args.intervalMs);
  }
}

if (isEntry(import.meta.url)) runCommand('status', USAGE, () => main(process.argv.slice(2)));
