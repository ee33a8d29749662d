// Questions tests ask of the venue's audit (venue-audit.ts), answered from the venue's side of the
// wire only: how many requests a user sent in its busiest window (the broker's caps count new, modify
// and cancel alike), how long each working order lived between the venue acknowledging it and its
// cancel arriving (the 200 ms rule), and which requests arrived after a moment (nothing new after a
// kill). Pure functions over the audit's lines.
import type { AuditLine } from './venue-audit.js';

type RequestType = 'new' | 'cancel' | 'replace';
const ALL_REQUESTS: readonly RequestType[] = ['new', 'cancel', 'replace'];

/** The user's requests of `types`, in arrival order. */
export function requestsOf(lines: readonly AuditLine[], user: number, types: readonly RequestType[] = ALL_REQUESTS): AuditLine[] {
  const wanted = new Set<string>(types);
  return lines.filter((l) => l.dir === 'in' && l.user === user && wanted.has(l.type));
}

/** The most requests of `types` the user had arrive within any `windowNs` (a window [t, t + windowNs)). */
export function maxRequestsInWindow(lines: readonly AuditLine[], user: number, windowNs: number,
  types: readonly RequestType[] = ALL_REQUESTS): { count: number; fromNs: number } {
  const times = requestsOf(lines, user, types).map((l) => l.ns).sort((a, b) => a - b);
  let best = 0;
  let fromNs = times[0] ?? 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowNs) lo++;
    if (hi - lo + 1 > best) {
      best = hi - lo + 1;
      fromNs = times[lo]!;
    }
  }
  return { count: best, fromNs };
}

export interface CancelDelay {
  /** The cancel request's id and the order's id it named. */
  readonly clOrdId: number;
  readonly origClOrdId: number;
  /** The cancel's arrival − the write of the order's last Ack or Replaced, ns. */
  readonly delayNs: number;
}

/** For each of the user's cancels, how long after the venue wrote the order's Ack (or, for a replaced
 *  order, its Replaced) the cancel arrived. Cancels of orders the audit never acknowledged are left out. */
export function cancelDelays(lines: readonly AuditLine[], user: number): CancelDelay[] {
  const ackedAt = new Map<string, number>(); // session:clOrdId → ns
  const out: CancelDelay[] = [];
  for (const l of lines) {
    if (l.user !== user) continue;
    if (l.dir === 'out' && (l.type === 'ack' || l.type === 'replaced')) ackedAt.set(`${l.session}:${l.clOrdId}`, l.ns);
    if (l.dir === 'in' && l.type === 'cancel') {
      const at = ackedAt.get(`${l.session}:${l.origClOrdId}`);
      if (at !== undefined) out.push({ clOrdId: l.clOrdId!, origClOrdId: l.origClOrdId!, delayNs: l.ns - at });
    }
  }
  return out;
}

/** The user's requests of `types` that arrived after `ns`. */
export function requestsAfter(lines: readonly AuditLine[], user: number, ns: number,
  types: readonly RequestType[] = ALL_REQUESTS): AuditLine[] {
  return requestsOf(lines, user, types).filter((l) => l.ns > ns);
}
