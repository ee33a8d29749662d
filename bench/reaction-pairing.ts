// Venue reaction: for each order the engine sent, the time from the venue writing the market-data
// frame that triggered it (Tv) to the order arriving back at the venue, both on the venue's clock,
// read from the venue's audit (host/venue/venue-audit.ts, with audit_md).
//
// The wire carries nothing that names the triggering frame, so the pairing is by time: the trigger is
// the latest market-data write of the order's symbol, to the engine's MD connection, at or before
// the engine stamped the order (the NewOrder header's sendNs, taken just before its socket write: a
// frame written after that cannot have caused it) minus `minReactionNs`. This is exact when the
// engine reacts faster than the market data's spacing, which the benchmark arranges (steady flow at
// a known spacing, reactions of tens of µs); an order with another write of its symbol in
// (sentNs − windowNs, trigger) is counted `ambiguous`: it may have reacted to that earlier frame, so
// its reaction may be understated. Pure: tested on hand-made audits.
import type { AuditLine } from '../host/venue/venue-audit.js';

export interface PairingOptions {
  /** The engine's user id at the venue. */
  readonly user: number;
  /** The MD connection the engine reads (the audit's `conn`); default: the one with the most writes. */
  readonly conn?: number;
  /** Order request types that count as reactions (default ['new']). */
  readonly types?: readonly string[];
  /** A frame written less than this before the order's stamp is too recent to have caused it (default 0). */
  readonly minReactionNs?: number;
  /** Ambiguity window before the order's stamp (default 1 ms). */
  readonly windowNs?: number;
}

export interface Pairing {
  /** Order arrival − Tv of its trigger, ns, in order of arrival. */
  readonly reactionNs: Float64Array;
  /** Order arrival − the order's own header stamp (engine write → venue read), ns, same order. */
  readonly wireInNs: Float64Array;
  /** Orders with no market-data write of their symbol before them. */
  readonly unpaired: number;
  /** Paired orders with another write of their symbol in the ambiguity window. */
  readonly ambiguous: number;
  /** The MD connection used. */
  readonly conn: number;
  /** Mean time between market-data writes to that connection (any symbol), ns; 0 with fewer than two. */
  readonly meanWriteSpacingNs: number;
}

/** Index of the last element of sorted `a` that is ≤ x, or −1. */
function lastAtOrBefore(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function busiestConnection(lines: readonly AuditLine[]): number {
  const counts = new Map<number, number>();
  for (const l of lines) if (l.dir === 'md') counts.set(l.conn!, (counts.get(l.conn!) ?? 0) + 1);
  let best = -1;
  let most = 0;
  for (const [conn, n] of counts) if (n > most) [best, most] = [conn, n];
  return best;
}

export function pairReactions(lines: readonly AuditLine[], o: PairingOptions): Pairing {
  const conn = o.conn ?? busiestConnection(lines);
  const types = new Set(o.types ?? ['new']);
  const minReactionNs = o.minReactionNs ?? 0;
  const windowNs = o.windowNs ?? 1_000_000;
  // Distinct write times per symbol, ascending (frames of one write share their Tv).
  const writes = new Map<number, number[]>();
  for (const l of lines) {
    if (l.dir !== 'md' || l.conn !== conn) continue;
    let w = writes.get(l.symbol!);
    if (w === undefined) writes.set(l.symbol!, (w = []));
    if (w.length === 0 || w[w.length - 1] !== l.ns) w.push(l.ns);
  }
  let first = Infinity;
  let last = -Infinity;
  const distinct = new Set<number>();
  for (const l of lines) {
    if (l.dir !== 'md' || l.conn !== conn) continue;
    distinct.add(l.ns);
    first = Math.min(first, l.ns);
    last = Math.max(last, l.ns);
  }
  const meanWriteSpacingNs = distinct.size > 1 ? (last - first) / (distinct.size - 1) : 0;
  const sorted = new Map<number, Float64Array>();
  for (const [symbol, w] of writes) sorted.set(symbol, Float64Array.from(w).sort());
  const orders = lines.filter((l) => l.dir === 'in' && l.user === o.user && types.has(l.type));
  const reaction: number[] = [];
  const wireIn: number[] = [];
  let unpaired = 0;
  let ambiguous = 0;
  for (const order of orders) {
    const w = sorted.get(order.symbol!);
    const stamp = order.sentNs!;
    const i = w === undefined ? -1 : lastAtOrBefore(w, stamp - minReactionNs);
    if (i < 0) {
      unpaired++;
      continue;
    }
    const tv = w![i]!;
    if (i > 0 && w![i - 1]! > stamp - windowNs) ambiguous++;
    reaction.push(order.ns - tv);
    wireIn.push(order.ns - stamp);
  }
  return { reactionNs: Float64Array.from(reaction), wireInNs: Float64Array.from(wireIn), unpaired, ambiguous, conn, meanWriteSpacingNs };
}
