// The market-data TCP port: sequences every symbol's L2 deltas and trades (one seq per symbol from
// 1), fans the live stream out to every subscriber, and gives each new connection the directory and
// the books first: SymbolDefinition × N → Snapshot × N → live (docs/protocol.md, "Market data").
//
// Live frames are encoded once into a shared batch and the same Buffer goes to every subscriber at
// the end of the turn (OutputCycle), so fan-out costs one copy in total, not one per subscriber. A
// Snapshot is always preceded on its connection by every delta it includes (lastSeq), because the
// live batch is flushed before any snapshot is taken.
import { createServer, type Server, type Socket } from 'node:net';
import {
  L2DeltaLayout,
  SnapshotLayout,
  SymbolDefinitionLayout,
  TradeLayout,
  encodeL2Delta,
  encodeSnapshot,
  encodeSymbolDefinition,
  encodeTrade,
} from '../../protocol/index.js';
import { NS_PER_MS, liveClock, type Clock, type Timer } from '../../platform/clock.js';
import { FrameBatch } from './frame-batch.js';
import { UNSTAMPED, stampSendNs } from './send-stamp.js';
import { LevelsScratch, type MarketBook, type MarketDataSink } from '../market/market-book.js';
import { MarketDataSubscriber, type SubscriberContext } from './market-data-subscriber.js';
import type { Flushable, OutputCycle } from './output-cycle.js';
import { bindPort } from './port-binding.js';
import type { PortLatency, VenueConfig } from '../venue-config.js';
import type { VenueLog } from '../venue-log.js';
import type { VenueAudit } from '../venue-audit.js';

const HEARTBEAT_CHECK_MS = 50;

export class MarketDataPublisher implements MarketDataSink, SubscriberContext, Flushable {
  private readonly server: Server;
  private readonly subscribers = new Set<MarketDataSubscriber>();
  /** Last seq per symbol id (index 0 unused). */
  private readonly seq: Uint32Array;
  private readonly live = new FrameBatch(65536);
  private readonly scratch = new LevelsScratch();
  private connections = 0;
  private timer: Timer | null = null;
  private readonly firstSnapshotListeners: (() => void)[] = [];
  /** The injected latency new and existing subscribers use; setLatency changes it at run time. */
  latency: PortLatency;
  /** Frames published since start, by kind. */
  deltas = 0;
  trades = 0;

  constructor(
    readonly config: VenueConfig,
    private readonly books: readonly MarketBook[],
    readonly cycle: OutputCycle,
    readonly log: VenueLog,
    readonly clock: Clock = liveClock,
    /** Records every live frame written, per connection (audit_md), or null. */
    readonly audit: VenueAudit | null = null,
  ) {
    this.seq = new Uint32Array(books.length + 1);
    this.latency = config.mdLatency;
    this.server = createServer((socket) => this.accept(socket));
  }

  get symbolCount(): number {
    return this.books.length;
  }

  lastSeq(symbol: number): number {
    return this.seq[symbol]!;
  }

  /** Calls `listener` once, when the first subscriber has received its snapshots (replay start). */
  onFirstSubscriber(listener: () => void): void {
    this.firstSnapshotListeners.push(listener);
  }

  /** Subscribers connected now. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Cuts every subscriber's connection at once; returns how many (the port keeps listening). */
  dropAll(): number {
    const all = [...this.subscribers];
    for (const s of all) s.drop();
    return all.length;
  }

  /** New latency for every subscriber, connected or future (bytes already waiting keep their delay). */
  setLatency(latency: PortLatency): void {
    this.latency = latency;
    for (const s of this.subscribers) s.setLatency(latency);
  }

  /** The largest unsent backlog of any subscriber, bytes (replay pacing). */
  maxBacklog(): number {
    let max = 0;
    for (const s of this.subscribers) max = Math.max(max, s.backlog);
    return max;
  }

  listen(host: string, port: number): Promise<number> {
    this.timer = this.clock.setInterval(HEARTBEAT_CHECK_MS, () => this.heartbeats());
    return bindPort(this.server, host, port, (err) => this.log.event('md-server', err.message));
  }

  close(): Promise<void> {
    this.timer?.cancel();
    this.flush();
    for (const s of [...this.subscribers]) s.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  // ── live stream (MarketDataSink) ─────────────────────────────────────────────────────────────

  l2Delta(symbol: number, side: number, price: number, qty: number): void {
    const seq = ++this.seq[symbol]!;
    this.deltas++;
    if (this.subscribers.size === 0) return;
    const at = this.live.reserve(L2DeltaLayout.bytes);
    encodeL2Delta(this.live.view, at, seq, UNSTAMPED, symbol, side, price, qty);
    this.cycle.touch(this);
  }

  trade(symbol: number, aggressorSide: number, price: number, qty: number, tradeId: number): void {
    const seq = ++this.seq[symbol]!;
    this.trades++;
    if (this.subscribers.size === 0) return;
    const at = this.live.reserve(TradeLayout.bytes);
    encodeTrade(this.live.view, at, seq, UNSTAMPED, symbol, aggressorSide, price, qty, tradeId);
    this.cycle.touch(this);
  }

  /** Hands the turn's live frames to every subscriber, Tv stamped now (docs/protocol.md: sendNs is
   *  when the frame is written; a subscriber behind a delay line restamps its own copy). */
  flush(): void {
    const bytes = this.live.take();
    if (bytes === null) return;
    const now = this.clock.nowNs();
    stampSendNs(bytes, now);
    for (const s of this.subscribers) s.sendShared(bytes, now);
  }

  // ── subscribers ──────────────────────────────────────────────────────────────────────────────

  /** A new connection: directory, snapshots, then live (the server calls this for every accept). */
  accept(socket: Socket): void {
    try {
      this.flush();
      const sub = new MarketDataSubscriber(socket, this, ++this.connections);
      const n = this.books.length;
      for (const book of this.books) {
        const s = book.spec;
        const at = sub.batch.reserve(SymbolDefinitionLayout.bytes);
        encodeSymbolDefinition(sub.batch.view, at, 0, UNSTAMPED, s.id, n, s.tickPaise, s.name, s.lotSize, s.bandLow, s.bandHigh, s.refPrice);
      }
      this.writeSnapshots(sub, 0);
      sub.touched();
      this.subscribers.add(sub);
      this.cycle.flush();
      const listeners = this.firstSnapshotListeners.splice(0);
      for (const l of listeners) l();
    } catch (err) {
      this.log.event('internal', `md: accepting a connection failed: ${(err as Error).stack ?? String(err)}`);
      socket.destroy();
    }
  }

  snapshotTo(sub: MarketDataSubscriber, symbol: number): void {
    this.flush();
    this.writeSnapshots(sub, symbol);
    sub.touched();
  }

  ended(sub: MarketDataSubscriber): void {
    this.subscribers.delete(sub);
  }

  /** Snapshot of `symbol` (0 = all) into the subscriber's own batch. */
  private writeSnapshots(sub: MarketDataSubscriber, symbol: number): void {
    for (const book of this.books) {
      const id = book.spec.id;
      if (symbol !== 0 && id !== symbol) continue;
      const l = this.scratch;
      book.topLevels(l);
      const at = sub.batch.reserve(SnapshotLayout.bytes);
      encodeSnapshot(sub.batch.view, at, 0, UNSTAMPED, id, this.seq[id]!,
        l.bidPrices, l.bidQtys, l.bidLevels, l.askPrices, l.askQtys, l.askLevels);
    }
  }

  private heartbeats(): void {
    const now = this.clock.nowNs() / NS_PER_MS;
    for (const s of this.subscribers) s.heartbeat(now, this.config.mdHeartbeatMs);
    this.cycle.flush();
  }
}
