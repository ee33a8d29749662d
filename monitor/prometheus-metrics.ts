// GET /metrics: the engine's telemetry in Prometheus' text format (prom-client). Every figure is read from the
// segment at scrape time (collect callbacks), so a scrape costs the engine nothing and shows the same numbers
// as the cockpit. Units are Prometheus' base units: seconds, ratios in [0, 1], money in rupees. Counters and
// histograms are the engine's own totals since its start (a restarted engine starts them at 0, which
// Prometheus' rate() reads as a counter reset); the histograms' buckets are the segment's cumulative latency
// buckets (LATENCY_BUCKET_BOUNDS_NS), counted by the engine's cool side for every sample.
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import { RiskRefusal, TradingState } from '../host/model/vocabulary.js';
import { LATENCY_BUCKET_BOUNDS_NS, type LatencySeriesName, type TelemetryView } from '../host/telemetry/index.js';
import type { LinkState } from './engine-link.js';

export interface MetricsSource {
  link(): LinkState;
  view(): TelemetryView | null;
  /** The symbol's name for a segment slot (its engine.toml name), or the venue id as text. */
  symbolName(slot: number, symbolId: number): string;
}

type HistogramValue = { metricName: string; labels: Record<string, string | number>; value: number };

/** A histogram whose buckets the engine counted: prom-client's Histogram only observes, so this one reads. */
class EngineHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  constructor(readonly name: string, readonly help: string, private readonly series: LatencySeriesName,
    private readonly view: () => TelemetryView | null) {}

  get(): { name: string; help: string; type: string; aggregator: string; values: HistogramValue[] } {
    const v = this.view();
    const values: HistogramValue[] = [];
    if (v) {
      const b = v.latencyBuckets[this.series];
      const count = v.latency[this.series].count;
      LATENCY_BUCKET_BOUNDS_NS.forEach((bound, k) => values.push({ metricName: `${this.name}_bucket`, labels: { le: bound / 1e9 }, value: b.le[k]! }));
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels: {}, value: b.sumNs / 1e9 });
      values.push({ metricName: `${this.name}_count`, labels: {}, value: count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
const STATES = Object.entries(TradingState) as [string, number][];
const REFUSALS = new Map(Object.entries(RiskRefusal).map(([k, v]) => [v as number, k]));

export class PrometheusMetrics {
  readonly registry = new Registry();
  constructor(private readonly src: MetricsSource) {
    const r = this.registry;
    const view = (): TelemetryView | null => (src.link().status === 'up' ? src.view() : null);
    // The engine's own name for a slot (from the segment), else the config's.
    const symbolName = (v: TelemetryView, slot: number, symbolId: number): string =>
      v.symbols.find((x) => x.slot === slot)?.name || src.symbolName(slot, symbolId);
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
    // Per symbol, from the symbol blocks (the engine's counts since it started).
    const perSymbol = (name: string, help: string, field: 'orders' | 'fills' | 'cancels' | 'rejects'): void => {
      new Counter({
        name, help, labelNames: ['symbol'], registers: [r],
        collect() {
          this.reset();
          const v = view();
          if (v) for (const x of v.symbols) this.inc({ symbol: symbolName(v, x.slot, x.symbolId) }, x[field]);
        },
      });
    };
    perSymbol('tradecore_orders_total', 'New orders sent, by symbol.', 'orders');
    perSymbol('tradecore_fills_total', 'Fills received, by symbol.', 'fills');
    perSymbol('tradecore_cancels_total', 'Orders canceled at the venue, by symbol.', 'cancels');
    perSymbol('tradecore_rejects_total', 'Requests the venue rejected, by symbol.', 'rejects');
    new Counter({
      name: 'tradecore_risk_refusals_total', help: 'Orders refused by pre-trade risk, by reason.', labelNames: ['reason'], registers: [r],
      collect() {
        this.reset();
        const v = view();
        if (v) for (const x of v.refusals) this.inc({ reason: REFUSALS.get(x.code) ?? `#${x.code}` }, x.count);
      },
    });
    const histogram = (name: string, help: string, series: LatencySeriesName): void => {
      r.registerMetric(new EngineHistogram(name, help, series, view) as unknown as Metric);
    };
    histogram('tradecore_tick_to_order_seconds', 'Market-data arrival (T0) to order written (T4), every tick that sent an order.', 'TICK_TO_ORDER');
    histogram('tradecore_wire_to_order_seconds', 'Venue send time (Tv) to order written (T4).', 'WIRE_TO_ORDER');
    histogram('tradecore_rtt_seconds', 'Order-entry round trips: request written (T4) to its first answer (T5).', 'RTT');
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
        if (v) for (const p of v.positions) this.set({ symbol: symbolName(v, p.slot, p.symbolId) }, p.position);
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
          const symbol = symbolName(v, p.slot, p.symbolId);
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

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
