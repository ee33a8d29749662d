// The cockpit's one link to the monitor: the WebSocket (reconnecting with backoff), the latest frame, and the
// short histories the charts draw (RTT, counter rates, regime, WOBI per level), plus the blotter's journal
// polling. Panels read its fields; `tick` changes once per frame, so a canvas redraws when it does.
import { describeEvent, type Alert } from './lib/alerts.js';
import { Blotter, type BlotterRow, type JournalRecord } from './lib/blotter.js';
import { CounterRates } from './lib/counter-rates.js';
import { backoffMs, type Frame, type Hello } from './lib/frame.js';
import { symbolName } from './lib/names.js';
import { RttSamples } from './lib/rtt-samples.js';
import { Series } from './lib/series.js';

export type Connection = 'connecting' | 'open' | 'waiting';

/** Points kept per chart: 20 s at 15 Hz. */
const HISTORY = 300;
/** WOBI heatmap columns per symbol (one per frame). */
const HEAT_COLUMNS = 180;
const ALERTS_KEPT = 60;
/** No frame for this long on an open socket: the link is dead even if TCP has not noticed. */
const STALE_MS = 3000;
const JOURNAL_POLL_MS = 1000;
/** The page redraws at most this often: figures a person reads need no more than 5 Hz, and each redraw costs
 *  the browser layout work; the histories still take every frame. */
const RENDER_MS = 200;

export const RTT_LOCKDOWN_MS = 20;

class Live {
  connection = $state<Connection>('connecting');
  /** When the next attempt starts (ms since the epoch), while waiting. */
  retryAt = $state(0);
  failures = $state(0);
  hello = $state.raw<Hello | null>(null);
  frame = $state.raw<Frame | null>(null);
  tick = $state(0);
  rates = $state.raw<Record<'orders' | 'fills' | 'cancels' | 'rejects', number | null>>({ orders: null, fills: null, cancels: null, rejects: null });
  alerts = $state.raw<Alert[]>([]);
  blotter = $state.raw<BlotterRow[]>([]);
  journalProblem = $state<string | null>(null);
  eventsLost = $state(0);

  readonly rtt = new Series(3, HISTORY);
  readonly rateSeries = new Series(5, HISTORY);
  /** Per symbol slot: regime per frame, oldest first. */
  readonly regimes = new Map<number, number[]>();
  /** Per symbol slot: WOBI by level per frame, oldest first. */
  readonly wobi = new Map<number, (readonly number[])[]>();

  private ws: WebSocket | null = null;
  private counters = new CounterRates(1000);
  private rttSamples = new RttSamples();
  private book = new Blotter(40);
  private pid = -1;
  private staleTimer: ReturnType<typeof setInterval> | null = null;
  private journalTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private lastRenderAt = 0;
  private renderTimer: ReturnType<typeof setTimeout> | null = null;
  private pending: Frame | null = null;
  private pendingAlerts: Alert[] = [];

  start(): void {
    this.connect();
    this.staleTimer = setInterval(() => {
      if (this.connection === 'open' && Date.now() - this.lastFrameAt > STALE_MS) this.ws?.close();
    }, 500);
    this.journalTimer = setInterval(() => void this.pollJournal(), JOURNAL_POLL_MS);
  }

  symbol(slot: number, symbolId: number): string {
    return symbolName(this.hello?.symbols ?? [], slot, symbolId);
  }

  /** A venue symbol id's name, through the slot the latest view gives it. */
  symbolById(symbolId: number): string {
    const s = this.frame?.view?.symbols.find((x) => x.symbolId === symbolId) ?? this.frame?.view?.positions.find((x) => x.symbolId === symbolId);
    return s ? this.symbol(s.slot, symbolId) : `#${symbolId}`;
  }

  private connect(): void {
    this.connection = 'connecting';
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      // Marks for whoever measures how fast the cockpit comes alive (the browser test does).
      performance.mark('cockpit:ws-open');
      this.connection = 'open';
      this.failures = 0;
      this.lastFrameAt = Date.now();
    };
    ws.onmessage = (m) => this.receive(String(m.data));
    ws.onclose = () => {
      if (this.ws === ws) this.retry();
    };
    // A failed connection also closes; the close handler retries.
    ws.onerror = () => {};
  }

  private retry(): void {
    this.ws = null;
    const wait = backoffMs(this.failures);
    this.failures++;
    this.connection = 'waiting';
    this.retryAt = Date.now() + wait;
    setTimeout(() => this.connect(), wait);
  }

  private receive(text: string): void {
    let msg: Hello | Frame;
    try {
      msg = JSON.parse(text) as Hello | Frame;
    } catch {
      return;
    }
    this.lastFrameAt = Date.now();
    if (msg.type === 'hello') {
      performance.mark('cockpit:hello');
      this.hello = msg;
      this.book.add(msg.journal);
      this.blotter = this.book.list();
      return;
    }
    if (msg.type === 'telemetry') this.onFrame(msg);
  }

  private onFrame(f: Frame): void {
    const v = f.view;
    if (v && v.pid !== this.pid) {
      // Another engine: its counters and RTT count start again.
      this.pid = v.pid;
      this.counters.clear();
      this.rttSamples.reset();
    }
    const tSec = f.wallMs / 1000;
    if (v) {
      this.counters.push({ wallMs: f.wallMs, pid: v.pid, counters: v.counters });
      const rates = {
        orders: this.counters.rate('orders'), fills: this.counters.rate('fills'),
        cancels: this.counters.rate('cancels'), rejects: this.counters.rate('rejects'),
      };
      this.rates = rates;
      if (rates.orders !== null) this.rateSeries.push([tSec, rates.orders, rates.fills ?? 0, rates.cancels ?? 0, rates.rejects ?? 0]);
      const fresh = this.rttSamples.take({ rttSamples: v.rttSamples, rttNs: v.rttNs });
      // Fresh samples came between the previous frame and this one: spread them over the frame's interval.
      const step = 1 / Math.max(1, (this.hello?.streamHz ?? 15) * Math.max(1, fresh.length));
      fresh.forEach((ns, i) => this.rtt.push([tSec - (fresh.length - 1 - i) * step, ns / 1e6, RTT_LOCKDOWN_MS]));
      for (const s of v.symbols) {
        push(this.regimes, s.slot, s.regime, HISTORY);
        push(this.wobi, s.slot, s.wobiBp, HEAT_COLUMNS);
      }
    }
    for (const e of f.events) {
      const a = describeEvent(e, (id) => this.symbolById(id));
      if (a) this.pendingAlerts.push(a);
    }
    this.pending = f;
    const wait = RENDER_MS - (Date.now() - this.lastRenderAt);
    if (wait <= 0) this.render();
    else this.renderTimer ??= setTimeout(() => this.render(), wait);
  }

  /** Shows the newest frame and what gathered since the last redraw. */
  private render(): void {
    if (this.renderTimer !== null) clearTimeout(this.renderTimer);
    this.renderTimer = null;
    const f = this.pending;
    if (!f) return;
    this.pending = null;
    this.lastRenderAt = Date.now();
    if (this.pendingAlerts.length > 0) {
      this.alerts = [...this.pendingAlerts.reverse(), ...this.alerts].slice(0, ALERTS_KEPT);
      this.pendingAlerts = [];
    }
    this.eventsLost = f.eventsLost;
    this.frame = f;
    if (this.tick === 0) performance.mark('cockpit:first-frame');
    this.tick++;
  }

  private async pollJournal(): Promise<void> {
    if (this.connection !== 'open') return;
    try {
      const res = await fetch(`/api/journal?since=${Math.floor(this.book.lastNs)}&limit=500`);
      if (!res.ok) {
        this.journalProblem = `journal: HTTP ${res.status}`;
        return;
      }
      const body = (await res.json()) as { journal: { problem: string | null }; records: JournalRecord[] };
      this.journalProblem = body.journal.problem;
      if (body.records.length > 0) {
        this.book.add(body.records);
        this.blotter = this.book.list();
      }
    } catch (err) {
      this.journalProblem = `journal: ${(err as Error).message}`;
    }
  }
}

function push<T>(m: Map<number, T[]>, slot: number, value: T, keep: number): void {
  let a = m.get(slot);
  if (!a) m.set(slot, (a = []));
  a.push(value);
  if (a.length > keep) a.splice(0, a.length - keep);
}

export const live = new Live();
