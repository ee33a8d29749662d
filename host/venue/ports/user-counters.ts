// What the venue has seen of one user, across all its sessions (reconnects included): the requests it
// sent and the answers it got. Read by the runtime control's `stats` command, so a test or benchmark
// checks the venue's own count instead of trusting the client's.
export class UserCounters {
  /** NewOrder requests received after login (whatever the answer). */
  orders = 0;
  /** Cancel requests received after login. */
  cancels = 0;
  /** Replace requests received after login. */
  replaces = 0;
  /** Reports sent, by kind. */
  acks = 0;
  fills = 0;
  canceled = 0;
  replaced = 0;
  rejects = 0;
  /** TestRequests (RTT probes) answered: not orders, so in none of the counts above. */
  testRequests = 0;

  constructor(readonly userId: number) {}

  toJSON(): Record<string, number> {
    return {
      user: this.userId, orders: this.orders, cancels: this.cancels, replaces: this.replaces, acks: this.acks,
      fills: this.fills, canceled: this.canceled, replaced: this.replaced, rejects: this.rejects,
      testRequests: this.testRequests,
    };
  }
}
