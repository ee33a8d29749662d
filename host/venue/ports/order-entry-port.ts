// The order-entry TCP port: accepts connections, owns the sessions, the users and which user has a
// live session, hands out session ids, and runs the sessions' login/heartbeat clocks.
import { createServer, type Server, type Socket } from 'node:net';
import type { MarketBook } from '../market/market-book.js';
import { NS_PER_MS, liveClock, type Clock, type Timer } from '../../platform/clock.js';
import { OrderEntrySession, type SessionContext } from './order-entry-session.js';
import { OrderRateWindow } from './order-rate-window.js';
import type { OutputCycle } from './output-cycle.js';
import { bindPort } from './port-binding.js';
import type { SymbolMarket } from '../market/symbol-market.js';
import { UserCounters } from './user-counters.js';
import type { PortLatency, VenueConfig, VenueUser } from '../venue-config.js';
import type { VenueLog } from '../venue-log.js';
import type { VenueAudit } from '../venue-audit.js';

/** Test-only settings of the port (never from the config). */
export interface OrderEntryPortOptions {
  /** The venue's first outgoing seq on each session (default 1), to test sequence exhaustion. */
  readonly firstSendSeq?: number;
}

/** Housekeeping period: login and heartbeat timeouts are checked this often. */
const TICK_MS = 20;

export class OrderEntryPort implements SessionContext {
  private readonly server: Server;
  private readonly sessions = new Set<OrderEntrySession>();
  private readonly byUser = new Map<number, OrderEntrySession>();
  private readonly users: Map<number, VenueUser>;
  /** Order-rate windows by user id: a limit belongs to the user, across logouts and reconnects. */
  private readonly rates = new Map<number, OrderRateWindow>();
  /** What each user sent and was sent, by user id (created at its first login). */
  private readonly counters = new Map<number, UserCounters>();
  /** The injected latency new and existing sessions use; setLatency changes it at run time. */
  latency: PortLatency;
  private lastSessionId = 0;
  private connections = 0;
  private timer: Timer | null = null;

  constructor(
    readonly config: VenueConfig,
    readonly books: readonly MarketBook[],
    readonly markets: readonly (SymbolMarket | null)[],
    readonly cycle: OutputCycle,
    readonly log: VenueLog,
    readonly clock: Clock = liveClock,
    private readonly options: OrderEntryPortOptions = {},
    readonly audit: VenueAudit | null = null,
  ) {
    this.users = new Map(config.users.map((u) => [u.id, u]));
    this.latency = config.oeLatency;
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens; resolves with the bound port. */
  listen(host: string, port: number): Promise<number> {
    this.timer = this.clock.setInterval(TICK_MS, () => this.tick());
    return bindPort(this.server, host, port, (err) => this.log.event('oe-server', err.message));
  }

  /** A new connection: its session waits for a Login (the server calls this for every accept). */
  accept(socket: Socket): void {
    try {
      const session = new OrderEntrySession(socket, this, ++this.connections, this.options.firstSendSeq);
      this.sessions.add(session);
    } catch (err) {
      this.log.event('internal', `oe: accepting a connection failed: ${(err as Error).stack ?? String(err)}`);
      socket.destroy();
    }
  }

  private tick(): void {
    const now = this.clock.nowNs() / NS_PER_MS;
    for (const s of this.sessions) {
      try {
        s.tick(now);
      } catch (err) {
        this.log.event('internal', `${s.describe()}: timer failed: ${(err as Error).stack ?? String(err)}`);
      }
    }
    this.cycle.flush();
  }

  /** Logout VENUE_SHUTDOWN to every session, then stop listening. */
  close(): Promise<void> {
    this.timer?.cancel();
    for (const s of [...this.sessions]) s.shutdown();
    this.cycle.flush();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Cuts every session's connection at once; returns how many (the port keeps listening). */
  dropAll(): number {
    const all = [...this.sessions];
    for (const s of all) s.drop();
    this.cycle.flush();
    return all.length;
  }

  /** New latency for every session, open or future (frames already waiting keep their delay). */
  setLatency(latency: PortLatency): void {
    this.latency = latency;
    for (const s of this.sessions) s.setLatency(latency);
  }

  /** Every user that has logged in, by id. */
  userCounters(): UserCounters[] {
    return [...this.counters.values()].sort((a, b) => a.userId - b.userId);
  }

  // ── SessionContext ────────────────────────────────────────────────────────────────────────────

  user(id: number): VenueUser | undefined {
    return this.users.get(id);
  }
  sessionOfUser(userId: number): OrderEntrySession | undefined {
    return this.byUser.get(userId);
  }
  bindUser(userId: number, session: OrderEntrySession): void {
    this.byUser.set(userId, session);
  }
  unbindUser(userId: number, session: OrderEntrySession): void {
    if (this.byUser.get(userId) === session) this.byUser.delete(userId);
  }
  orderRate(userId: number): OrderRateWindow {
    let rate = this.rates.get(userId);
    if (rate === undefined) {
      rate = new OrderRateWindow(this.config.ordersPerSecond);
      this.rates.set(userId, rate);
    }
    return rate;
  }
  countersOf(userId: number): UserCounters {
    let c = this.counters.get(userId);
    if (c === undefined) {
      c = new UserCounters(userId);
      this.counters.set(userId, c);
    }
    return c;
  }
  nextSessionId(): number {
    return ++this.lastSessionId;
  }
  ended(session: OrderEntrySession): void {
    this.sessions.delete(session);
  }
}
