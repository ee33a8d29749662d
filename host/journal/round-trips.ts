// Order round trips recorded in an engine journal: each order's send (OrderNew) to its acknowledgement (Ack), in
// ns, in the order the acks were journaled. The simulator's recorded-latency model draws from them
// (`npm run sim -- --latency-from <journal>`, wasm-core/sim-latency.ts). Browser-safe: it takes decoded records,
// or a journal's bytes (the playground's file input), walked as the CLI walks a file.
import { JournalScan } from './journal-scan.js';
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

/** The round trips of a journal's bytes (`what` names it in a JournalFormatError): the records the CLI's
 *  readJournalFile yields, up to a tear or a damaged record, so the same file gives the same table. */
export function journalBytesRoundTrips(bytes: Uint8Array, what: string): number[] {
  return journalRoundTrips(new JournalScan(bytes, what).records());
}
