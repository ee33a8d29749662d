// GET /metrics: the engine's telemetry in Prometheus' text format (prom-client). Every figure is read from the
// segment at scrape time (collect callbacks), so a scrape costs the engine nothing and shows the same numbers
// as the cockpit. Units are Prometheus' base units: seconds, ratios in [0, 1], money in rupees. Counters are
// the engine's own totals since its start (a restarted engine starts them at 0, which Prometheus' rate()
// reads as a counter reset). The RTT histogram is built here from the segment's ring of recent samples, one
// observation per sample, so it counts only what the monitor saw while it ran.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RiskRefusal, TradingState } from '../host/model/vocabulary.js';
import { RTT_HISTORY, type TelemetryView } from '../host/telemetry/index.js';
import type { LinkState } from './engine-link.js';

export interface MetricsSource {
  link(): LinkState;
  view(): TelemetryView | null;
  /** The symbol's name for a segment slot (its engine.toml name), or the venue id as text. */
  symbolName(slot: number, symbolId: number): string;
}

const LATENCY_BUCKETS_S = [10e-6, 25e-6, 50e-6, 100e-6, 200e-6, 500e-6, 1e-3, 2e-3, 5e-3, 10e-3, 20e-3, 50e-3, 100e-3, 250e-3, 1];
const STATES = Object.entries(TradingState) as [string, number][];
const REFUSALS = new Map(Object.entries(RiskRefusal).map(([k, v]) => [v as number, k]));

export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly rtt: Histogram<string>;
  private lastRttSamples = -1;
  private lastPid = -1;

  constructor(private readonly src: MetricsSource) {
    const r = this.registry;
    const self = this;
    const view = (): TelemetryView | null => (src.link().status === 'up' ? src.view() : null);
    new Gauge({
      name: 'tradecore_engine_up', help: 'The engine\'s heartbeat moves (1) or not (0).', registers: [r],
      collect() { this.set(src.link().status === 'up' ? 1 : 0); },
    });
    new Gauge({
      name: 'tradecore_trading_state', help: 'Trading state: 1 for the current one (ACTIVE, REDUCING, HALTED).', labelNames: ['state'], registers: [r],
      collect() {
        this.reset();
        const v = view();
        if (v) for (const [name, code] of STATES) this.set({ state: name }, v.state.state === code ? 1 : 0);
      },
    });
    const counter = (name: string, help: string, field: string): void => {
      new Counter({
        name, help, registers: [r],
        collect() {
          this.reset();
          const v = view();
          if (v) this.inc(v.counters[field] ?? 0);
        },
      });
    };
    counter('tradecore_orders_total', 'New orders sent.', 'orders');
    counter('tradecore_fills_total', 'Fills received.', 'fills');
    counter('tradecore_cancels_total', 'Orders canceled.', 'cancels');
    counter('tradecore_rejects_total', 'Requests the venue rejected.', 'rejects');
    counter('tradecore_replaces_total', 'Orders replaced.', 'replaces');
    new Counter({
      name: 'tradecore_risk_refusals_total', help: 'Orders refused by pre-trade risk, by reason.', labelNames: ['reason'], registers: [r],
      collect() {
        this.reset();
        const v = view();
        if (v) for (const x of v.refusals) this.inc({ reason: REFUSALS.get(x.code) ?? `#${x.code}` }, x.count);
      },
    });
    const latency = (name: string, help: string, series: 'TICK_TO_ORDER' | 'WIRE_TO_ORDER' | 'RTT'): void => {
      new Gauge({
        name, help, labelNames: ['quantile'], registers: [r],
        collect() {
          this.reset();
          const l = view()?.latency[series];
          if (!l || l.count === 0) return;
          this.set({ quantile: '0.5' }, l.p50Ns / 1e9);
          this.set({ quantile: '0.9' }, l.p90Ns / 1e9);
          this.set({ quantile: '0.99' }, l.p99Ns / 1e9);
          this.set({ quantile: '0.999' }, l.p999Ns / 1e9);
        },
      });
    };
    latency('tradecore_tick_to_order_quantile_seconds', 'Market-data arrival (T0) to order written (T4), engine-side percentiles.', 'TICK_TO_ORDER');
    latency('tradecore_wire_to_order_quantile_seconds', 'Venue send time (Tv) to order written (T4), engine-side percentiles.', 'WIRE_TO_ORDER');
    this.rtt = new Histogram({
      name: 'tradecore_rtt_seconds', help: 'Order-entry round trips (request written to its first answer) seen by the monitor.',
      buckets: LATENCY_BUCKETS_S, registers: [r],
      collect() { self.observeRtt(view()); },
    });
    new Gauge({
      name: 'tradecore_otr_ratio', help: 'Order-to-trade ratio of the day (the exchange\'s counting).', registers: [r],
      collect() { const v = view(); if (v) this.set((v.otr['ratioMilli'] ?? 0) / 1000); },
    });
    new Gauge({
      name: 'tradecore_otr_penalty_projected_rupees', help: 'OTR penalty the day would pay at the current ratio.', registers: [r],
      collect() { const v = view(); if (v) this.set((v.otr['projectedPenaltyPaise'] ?? 0) / 100); },
    });
    new Gauge({
      name: 'tradecore_otr_budget_left', help: 'Orders left before the OTR budget is spent.', registers: [r],
      collect() { const v = view(); if (v) this.set(v.otr['budgetLeft'] ?? 0); },
    });
    new Gauge({
      name: 'tradecore_position', help: 'Net position per symbol, units.', labelNames: ['symbol'], registers: [r],
      collect() {
        this.reset();
        const v = view();
        if (v) for (const p of v.positions) this.set({ symbol: src.symbolName(p.slot, p.symbolId) }, p.position);
      },
    });
    new Gauge({
      name: 'tradecore_pnl_rupees', help: 'P&L per symbol in rupees: realized and unrealized before charges, charges, day (after charges).',
      labelNames: ['symbol', 'kind'], registers: [r],
      collect() {
        this.reset();
        const v = view();
        if (!v) return;
        for (const p of v.positions) {
          const symbol = src.symbolName(p.slot, p.symbolId);
          this.set({ symbol, kind: 'realized' }, p.realizedPaise / 100);
          this.set({ symbol, kind: 'unrealized' }, p.unrealizedPaise / 100);
          this.set({ symbol, kind: 'charges' }, p.chargesPaise / 100);
          this.set({ symbol, kind: 'day' }, p.dayPnlPaise / 100);
        }
      },
    });
    new Gauge({
      name: 'tradecore_risk_utilisation_ratio', help: 'Use of each pre-trade risk limit, used / limit.', labelNames: ['limit'], registers: [r],
      collect() {
        this.reset();
        const v = view();
        if (!v) return;
        const k = v.risk;
        const ratio = (used: number | undefined, limit: number | undefined): number => (limit && limit > 0 ? (used ?? 0) / limit : 0);
        this.set({ limit: 'position' }, ratio(k['positionUsed'], k['positionLimit']));
        this.set({ limit: 'open_orders' }, ratio(k['openOrdersUsed'], k['openOrdersLimit']));
        this.set({ limit: 'order_rate' }, ratio(k['orderRateUsed'], k['orderRateLimit']));
        this.set({ limit: 'daily_loss' }, ratio(k['dailyLossUsedPaise'], k['dailyLossLimitPaise']));
        this.set({ limit: 'exposure' }, ratio(k['exposureUsedPaise'], k['exposureLimitPaise']));
      },
    });
    new Gauge({
      name: 'tradecore_broker_window_used_ratio', help: 'Messages in the broker\'s current second, minute and day, over the cap.',
      labelNames: ['window'], registers: [r],
      collect() {
        this.reset();
        const v = view();
        if (!v) return;
        const b = v.brokerWindows;
        for (const w of ['second', 'minute', 'day']) {
          const cap = b[`${w}Cap`] ?? 0;
          this.set({ window: w }, cap > 0 ? (b[w] ?? 0) / cap : 0);
        }
      },
    });
    new Gauge({
      name: 'tradecore_cpu_busy_ratio', help: 'Busy share of each CPU core over the last sample.', labelNames: ['cpu'], registers: [r],
      collect() {
        this.reset();
        const v = view();
        if (v) v.cpu.busyBp.forEach((bp, i) => this.set({ cpu: String(i) }, bp / 10_000));
      },
    });
  }

  /** Adds the RTT samples that arrived since the last scrape (at most the ring's 64). */
  private observeRtt(v: TelemetryView | null): void {
    if (!v) return;
    if (v.pid !== this.lastPid) {
      this.lastPid = v.pid;
      this.lastRttSamples = v.rttSamples;
      return;
    }
    const fresh = Math.min(v.rttSamples - this.lastRttSamples, RTT_HISTORY, v.rttNs.length);
    for (let i = fresh - 1; i >= 0; i--) this.rtt.observe(v.rttNs[i]! / 1e9);
    this.lastRttSamples = v.rttSamples;
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
