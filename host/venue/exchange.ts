// The venue assembled: one shared memory planned with planMemory (a matching state per matched
// symbol, one event ring, a snapshot scratch area), the core instantiated over it, a SymbolMarket
// per matched symbol with its synthetic flow, the replayed symbol's book and feed, and the two ports.
// Single-threaded: every matching call, report and publication happens on the main event loop, so
// nothing here needs a lock, and the one event ring holds only the current call's events.
import { compileCore } from '../core/core-loader.js';
import { createSharedMemory, instantiateCore, type CoreExports } from '../core/core.js';
import { initMatching, MIN_LEVELS } from './market/matching.js';
import { planMemory, type MemoryMap } from '../core/memory-map.js';
import { NS_PER_MS, liveClock, type Clock, type Timer } from '../platform/clock.js';
import { SNAPSHOT_DEPTH } from '../protocol/index.js';
import { BinanceReplay } from './replay/binance-source.js';
import { LobsterReplay } from './replay/lobster-source.js';
import { VenueIds } from './market/live-order.js';
import type { MarketBook, SymbolSpec } from './market/market-book.js';
import { MarketDataPublisher } from './ports/market-data-publisher.js';
import { OrderEntryPort, type OrderEntryPortOptions } from './ports/order-entry-port.js';
import { OutputCycle } from './ports/output-cycle.js';
import { ReplayBook } from './replay/replay-book.js';
import { ReplayFeed, type ReplaySource } from './replay/replay-feed.js';
import { SymbolMarket } from './market/symbol-market.js';
import { SyntheticFlow } from './market/synthetic-flow.js';
import { resolveBand, type PortLatency, type SymbolConfig, type VenueConfig } from './venue-config.js';
import type { VenueLog } from './venue-log.js';
import { VenueAudit } from './venue-audit.js';
import { ConfigError } from '../config/config-error.js';

export const EVENT_RING = 'venue-events';
export const SNAPSHOT_SCRATCH = 'venue-snapshot';
const stateName = (s: SymbolConfig): string => `match:${s.name}`;

/** The venue's counts at one moment (the runtime control's `stats`). */
export interface VenueStats {
  readonly users: Record<string, number>[];
  readonly sessions: number;
  readonly md_subscribers: number;
  readonly deltas: number;
  readonly trades: number;
}

export type PortName = 'oe' | 'md';

export interface VenueAddress {
  readonly oePort: number;
  readonly mdPort: number;
  readonly symbols: readonly string[];
}

function nextPowerOfTwo(n: number): number {
  let p = MIN_LEVELS;
  while (p < n) p *= 2;
  return p;
}

/** Matching band of a matched symbol: the engine's prices [basePrice, basePrice + levels). */
function matchingBand(spec: SymbolSpec): { basePrice: number; levels: number } {
  return { basePrice: spec.bandLow, levels: nextPowerOfTwo(spec.bandHigh - spec.bandLow + 1) };
}

function openAudit(file: string, md: boolean, clock: Clock): VenueAudit {
  try {
    return new VenueAudit(file, md, clock);
  } catch (err) {
    throw new ConfigError('venue.audit_file', 'a file the venue can append to', `${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export class Exchange {
  private flowTimer: Timer | null = null;
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly config: VenueConfig,
    readonly memory: WebAssembly.Memory,
    readonly map: MemoryMap,
    readonly core: CoreExports,
    readonly books: readonly MarketBook[],
    readonly markets: readonly (SymbolMarket | null)[],
    readonly flows: readonly SyntheticFlow[],
    readonly replay: ReplayFeed | null,
    readonly md: MarketDataPublisher,
    readonly oe: OrderEntryPort,
    private readonly cycle: OutputCycle,
    private readonly log: VenueLog,
    private readonly clock: Clock,
    /** The order-arrival audit (config audit_file), or null. */
    readonly audit: VenueAudit | null,
  ) {}

  /** Compiles the core, plans and initialises memory, opens the replay source. Every time read and
   *  timer of the venue goes through `clock`; `oeOptions` are test-only. */
  static async create(config: VenueConfig, log: VenueLog, clock: Clock = liveClock,
    oeOptions: OrderEntryPortOptions = {}): Promise<Exchange> {
    const module = await compileCore();
    const sizes = instantiateCore(module, createSharedMemory(65536));

    let source: ReplaySource | null = null;
    const rep = config.replay;
    if (rep !== undefined) {
      source = rep.kind === 'lobster'
        ? await LobsterReplay.open(rep.messageFile!, rep.orderbookFile!, rep.priceUnitsPerTick, rep.maxLines)
        : await BinanceReplay.open(rep.file!, rep.tickSize, rep.lotSize, rep.maxLines, log);
    }

    const specs: SymbolSpec[] = config.symbols.map((s) => {
      const replayed = rep !== undefined && s.name === rep.symbol;
      const ref = s.refPrice ?? source!.refPrice;
      const { bandLow, bandHigh } = resolveBand(s, ref, !replayed);
      return {
        id: s.id, name: s.name, tickPaise: s.tickPaise, lotSize: s.lotSize, bandLow, bandHigh,
        refPrice: Math.min(bandHigh, Math.max(bandLow, ref)),
      };
    });
    const matched = config.symbols.filter((s) => rep === undefined || s.name !== rep.symbol);
    const map = planMemory({
      rings: [{ name: EVENT_RING, slots: config.eventRingSlots }],
      states: [
        ...matched.map((s) => {
          const { levels } = matchingBand(specs[s.id - 1]!);
          return { name: stateName(s), bytes: sizes.matchBytes(s.capacity, levels) };
        }),
        { name: SNAPSHOT_SCRATCH, bytes: SNAPSHOT_DEPTH * 16 },
      ],
    }, sizes);
    const memory = createSharedMemory(map.totalBytes);
    const core = instantiateCore(module, memory);
    const ring = map.rings[EVENT_RING]!;
    const ringStatus = core.ringInit(ring.offset, ring.slots);
    if (ringStatus !== 0) throw new Error(`ringInit failed with status ${ringStatus}`);
    const scratch = map.states[SNAPSHOT_SCRATCH]!.offset;

    const cycle = new OutputCycle();
    const ids = new VenueIds();
    // The publisher needs the books and the markets need the publisher: a forwarding sink breaks the cycle.
    let md: MarketDataPublisher | null = null;
    const sink = {
      l2Delta: (symbol: number, side: number, price: number, qty: number): void => md!.l2Delta(symbol, side, price, qty),
      trade: (symbol: number, side: number, price: number, qty: number, tradeId: number): void => md!.trade(symbol, side, price, qty, tradeId),
    };
    const books: MarketBook[] = [];
    const markets: (SymbolMarket | null)[] = [];
    const flows: SyntheticFlow[] = [];
    let replayBook: ReplayBook | null = null;
    for (const s of config.symbols) {
      const spec = specs[s.id - 1]!;
      if (rep !== undefined && s.name === rep.symbol) {
        replayBook = new ReplayBook(spec);
        books.push(replayBook);
        markets.push(null);
        continue;
      }
      const state = map.states[stateName(s)]!.offset;
      initMatching(core, state, { capacity: s.capacity, ...matchingBand(spec), stp: config.stp }, `symbols[${s.id - 1}]`);
      const market = new SymbolMarket(core, memory, { ring: ring.offset, state, scratch }, spec, sink, ids, log, clock);
      books.push(market);
      markets.push(market);
      if (s.flow !== undefined) flows.push(new SyntheticFlow(market, s.flow, log));
    }
    const audit = config.auditFile === undefined ? null : openAudit(config.auditFile, config.auditMd, clock);
    md = new MarketDataPublisher(config, books, cycle, log, clock, audit !== null && audit.md ? audit : null);
    const replay = source !== null && replayBook !== null
      ? new ReplayFeed(source, replayBook, md, cycle, ids, rep!.speed, log, clock)
      : null;
    const oe = new OrderEntryPort(config, books, markets, cycle, log, clock, oeOptions, audit);
    return new Exchange(config, memory, map, core, books, markets, flows, replay, md, oe, cycle, log, clock, audit);
  }

  /** Warms the books up, opens both ports and starts the flow clock (and the replay, if immediate). */
  async start(): Promise<VenueAddress> {
    const now = this.nowMs();
    for (const f of this.flows) f.start(now);
    this.cycle.flush();
    const [oePort, mdPort] = await Promise.all([
      this.oe.listen(this.config.host, this.config.oePort),
      this.md.listen(this.config.host, this.config.mdPort),
    ]);
    if (this.flows.length > 0) {
      this.flowTimer = this.clock.setInterval(this.config.flowTickMs, () => this.flowTick());
    }
    if (this.replay !== null) {
      if (this.config.replay!.start === 'immediate') this.replay.start();
      else this.md.onFirstSubscriber(() => this.replay!.start());
    }
    return { oePort, mdPort, symbols: this.books.map((b) => b.spec.name) };
  }

  private flowTick(): void {
    const now = this.nowMs();
    for (const f of this.flows) {
      try {
        f.tick(now);
      } catch (err) {
        this.log.event('internal', `flow: ${(err as Error).stack ?? String(err)}`);
      }
    }
    this.cycle.flush();
  }

  private nowMs(): number {
    return this.clock.nowNs() / NS_PER_MS;
  }

  /** The injected latency of a port now. */
  latency(port: PortName): PortLatency {
    return port === 'oe' ? this.oe.latency : this.md.latency;
  }

  /** Changes a port's injected latency for every connection, open or future. */
  setLatency(port: PortName, latency: PortLatency): void {
    if (port === 'oe') this.oe.setLatency(latency);
    else this.md.setLatency(latency);
    this.log.info(`latency of ${port} now inbound ${latency.inbound.fixedUs} µs (+${latency.inbound.jitterUs} jitter), `
      + `outbound ${latency.outbound.fixedUs} µs (+${latency.outbound.jitterUs} jitter)`);
  }

  /** Cuts every connection of a port at once, as a network failure would; the port keeps listening,
   *  so clients may reconnect. Returns how many connections were cut. */
  disconnect(port: PortName): number {
    const n = port === 'oe' ? this.oe.dropAll() : this.md.dropAll();
    this.log.info(`control: ${n} ${port} connection(s) cut`);
    return n;
  }

  /** Writes the audit's waiting lines now (the runtime control's `flush`). */
  flushAudit(): void {
    this.audit?.flush();
  }

  stats(): VenueStats {
    return {
      users: this.oe.userCounters().map((c) => c.toJSON()),
      sessions: this.oe.sessionCount,
      md_subscribers: this.md.subscriberCount,
      deltas: this.md.deltas,
      trades: this.md.trades,
    };
  }

  /** Stops the flow and the replay, Logout VENUE_SHUTDOWN to every session, closes every socket. */
  stop(): Promise<void> {
    if (this.stopping !== null) return this.stopping;
    this.flowTimer?.cancel();
    this.replay?.stop();
    this.stopping = Promise.all([this.oe.close(), this.md.close()]).then(() => this.audit?.close());
    return this.stopping;
  }
}
