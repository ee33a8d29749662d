// Order round trips recorded in an engine journal: each order's send (OrderNew) to its acknowledgement (Ack), in
// ns, in the order the acks were journaled. The simulator's recorded-latency model draws from them
// (`npm run sim -- --latency-from <journal>`, wasm-core/sim-latency.ts). Browser-safe: it takes decoded records.
import type { JournalRecord } from './records.js';

export function journalRoundTrips(records: Iterable<JournalRecord>): number[] {
  const sent = new Map<number, number>();
  const out: number[] = [];
  for (const r of records) {
    if (r.type === 'OrderNew') sent.set(r.fields['clOrdId']!, r.timestampNs);
    else if (r.type === 'Ack') {
      const at = sent.get(r.fields['clOrdId']!);
      if (at !== undefined && r.timestampNs > at) out.push(r.timestampNs - at);
      sent.delete(r.fields['clOrdId']!);
    }
  }
  return out;
}
