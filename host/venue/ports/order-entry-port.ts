// The order-entry TCP port: accepts connections, owns the sessions, the users and which user has a
// live session, hands out session ids, and runs the sessions' login/heartbeat clocks.
import { createServer, type Server, type Socket } from 'node:net';
import type { MarketBook } from '../market/market-book.js';
import { OrderEntrySession, type SessionContext } from './order-entry-session.js';
import type { OutputCycle } from './output-cycle.js';
import type { SymbolMarket } from '../market/symbol-market.js';
import type { VenueConfig, VenueUser } from '../venue-config.js';
import type { VenueLog } from '../venue-log.js';

/** Housekeeping period: login and heartbeat timeouts are checked this often. */
const TICK_MS = 20;

export class OrderEntryPort implements SessionContext {
  private readonly server: Server;
  private readonly sessions = new Set<OrderEntrySession>();
  private readonly byUser = new Map<number, OrderEntrySession>();
  private readonly users: Map<number, VenueUser>;
  private lastSessionId = 0;
  private connections = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly config: VenueConfig,
    readonly books: readonly MarketBook[],
    readonly markets: readonly (SymbolMarket | null)[],
    readonly cycle: OutputCycle,
    readonly log: VenueLog,
  ) {
    this.users = new Map(config.users.map((u) => [u.id, u]));
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens; resolves with the bound port. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.server.on('error', (err) => this.log.event('oe-server', err.message));
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
      this.timer = setInterval(() => this.tick(), TICK_MS);
    });
  }

  private accept(socket: Socket): void {
    try {
      const session = new OrderEntrySession(socket, this, ++this.connections);
      this.sessions.add(session);
    } catch (err) {
      this.log.event('internal', `oe: accepting a connection failed: ${(err as Error).stack ?? String(err)}`);
      socket.destroy();
    }
  }

  private tick(): void {
    const now = performance.now();
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
    if (this.timer !== null) clearInterval(this.timer);
    for (const s of [...this.sessions]) s.shutdown();
    this.cycle.flush();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get sessionCount(): number {
    return this.sessions.size;
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
  nextSessionId(): number {
    return ++this.lastSessionId;
  }
  ended(session: OrderEntrySession): void {
    this.sessions.delete(session);
  }
}
