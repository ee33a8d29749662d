// What the order gateway counts, on top of what every venue connection counts.
import { ConnectionCounters } from '../connection-counters.js';

export class GatewayCounters extends ConnectionCounters {
  // Requests sent, by kind.
  newOrders = 0; cancels = 0; replaces = 0;
  // RTT probes: TestRequests sent, TestResponses received (not orders: in none of the counts above).
  testRequests = 0; testResponses = 0;
  // Execution reports received, by kind.
  acks = 0; rejects = 0; fills = 0; canceled = 0; replaced = 0;
  // Requests with no first answer within requestTimeoutMs, and first answers that came after that.
  timeouts = 0; lateAnswers = 0;
  /** Send slabs replaced because the socket still held the old one's bytes. */
  slabSwaps = 0;
}
