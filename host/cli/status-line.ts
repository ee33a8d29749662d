// The one-line view of the running engine that `npm start` keeps on screen, drawn from a telemetry view
// (host/telemetry/telemetry-view.ts, the reader `npm run status` uses): trading state and reason, order
// rate, orders and fills, each symbol's position, the day's P&L after every charge in rupees, and
// tick-to-order p50/p99 in µs. Pure: the caller reads the segment and keeps the order rate's samples.
import { TradingState, TradingStateReason } from '../model/vocabulary.js';
import type { TelemetryView } from '../telemetry/index.js';
import { rupees } from './status.js';

const STATE_NAME = new Map<number, string>(Object.entries(TradingState).map(([k, v]) => [v, k]));
const REASON_NAME = new Map<number, string>(Object.entries(TradingStateReason).map(([k, v]) => [v, k]));

/** "ACTIVE", or "HALTED (KILL)" when the state has a reason. */
export function tradingStateText(state: number, reason: number): string {
  const s = STATE_NAME.get(state) ?? `state #${state}`;
  return reason === TradingStateReason.NONE ? s : `${s} (${REASON_NAME.get(reason) ?? `reason #${reason}`})`;
}

/** Orders sent per second between two readings of the orders counter (ms apart); 0 before there are two. */
export class OrderRate {
  private lastOrders = -1;
  private lastMs = 0;
  private rate = 0;

  sample(orders: number, nowMs: number): number {
    if (this.lastOrders >= 0 && nowMs > this.lastMs) this.rate = ((orders - this.lastOrders) * 1000) / (nowMs - this.lastMs);
    this.lastOrders = orders;
    this.lastMs = nowMs;
    return this.rate;
  }
}

const micros = (ns: number): string => (ns / 1000).toFixed(1);
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** The status line. `names`: venue symbol id → name (an unknown id shows as #id). */
export function statusLine(v: TelemetryView, names: ReadonlyMap<number, string>, ordersPerSecond: number): string {
  const parts: string[] = [];
  parts.push(v.liveness.up ? tradingStateText(v.state.state, v.state.reason)
    : `ENGINE DOWN (no heartbeat for ${(v.liveness.silentMs / 1000).toFixed(1)} s)`);
  parts.push(`${ordersPerSecond.toFixed(1)} orders/s`);
  parts.push(`orders ${v.counters['orders'] ?? 0}`);
  parts.push(`fills ${v.counters['fills'] ?? 0}`);
  parts.push(v.positions.length === 0 ? 'no positions'
    : `pos ${v.positions.map((p) => `${names.get(p.symbolId) ?? `#${p.symbolId}`} ${signed(p.position)}`).join(' ')}`);
  parts.push(`P&L after costs ₹${rupees(v.totals['dayPnlPaise'] ?? 0)}`);
  const t = v.latency.TICK_TO_ORDER;
  parts.push(t.count > 0 ? `tick→order p50 ${micros(t.p50Ns)} µs p99 ${micros(t.p99Ns)} µs` : 'tick→order -');
  return parts.join(' · ');
}
