// What the order gateway counts, on top of what every venue connection counts.
import { ConnectionCounters } from '../connection-counters.js';

export class GatewayCounters extends ConnectionCounters {
  newOrders = 0;
  cancels = 0;
  replaces = 0;
  acks = 0;
  rejects = 0;
  fills = 0;
  canceled = 0;
  replaced = 0;
  timeouts = 0;
  /** First answers that came after their request's timeout. */
  lateAnswers = 0;
  /** Send slabs replaced because the socket still held the old one's bytes. */
  slabSwaps = 0;
}
