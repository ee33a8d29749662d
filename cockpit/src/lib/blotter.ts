// The recent trades blotter: the journal's order records (as GET /api/journal serves them) folded into one row
// per order: what was sent, where it stands, what filled, and the order's latency to the venue's answer, the
// ack's (or reject's) journal time minus the new order's. Records arrive oldest first, in pages; the blotter
// keeps the newest `keep` orders.

export type JournalRecord = Readonly<Record<string, unknown>> & { readonly type: string; readonly timestamp_ns: number };

export type OrderStatus = 'sent' | 'live' | 'partial' | 'filled' | 'canceled' | 'rejected' | 'pending cancel';

export interface BlotterRow {
  readonly clOrdId: number;
  readonly symbolId: number;
  readonly side: string;
  /** Limit price, ticks. */
  readonly price: number;
  readonly qty: number;
  readonly sentNs: number;
  status: OrderStatus;
  filledQty: number;
  /** Σ price × qty of the fills, ticks × lots (for the average fill price). */
  fillValue: number;
  chargesPaise: number;
  /** Venue answer (ack or reject) − sent, ns; null until it comes. */
  latencyNs: number | null;
  /** Why it was rejected or cancelled. */
  why: string;
}

const num = (r: JournalRecord, k: string): number => (typeof r[k] === 'number' ? (r[k] as number) : 0);
const text = (r: JournalRecord, k: string): string => (typeof r[k] === 'string' ? (r[k] as string) : '');

export class Blotter {
  private readonly rows = new Map<number, BlotterRow>();
  /** The newest journal time seen: the next poll's `since`. */
  lastNs = 0;
  /** The file offset of the newest record seen (with `lastNs`, what tells a record already folded in). */
  private lastOffset = -1;

  constructor(private readonly keep = 50) {}

  /** Folds in records, oldest first; records already seen (a reconnect's hello repeats recent ones) are skipped,
   *  judged by journal time and then file offset, so a fill is never counted twice. */
  add(records: readonly JournalRecord[]): void {
    for (const r of records) {
      const offset = typeof r['offset'] === 'number' ? (r['offset'] as number) : 0;
      if (r.timestamp_ns < this.lastNs || (r.timestamp_ns === this.lastNs && offset <= this.lastOffset)) continue;
      this.lastNs = r.timestamp_ns;
      this.lastOffset = offset;
      const id = num(r, 'cl_ord_id');
      if (r.type === 'order-new') {
        this.rows.set(id, {
          clOrdId: id, symbolId: num(r, 'symbol'), side: text(r, 'side_name'), price: num(r, 'price'), qty: num(r, 'qty'),
          sentNs: r.timestamp_ns, status: 'sent', filledQty: 0, fillValue: 0, chargesPaise: 0, latencyNs: null, why: '',
        });
        continue;
      }
      const row = this.rows.get(id);
      if (!row) continue;
      switch (r.type) {
        case 'ack':
          row.latencyNs ??= r.timestamp_ns - row.sentNs;
          if (row.status === 'sent') row.status = 'live';
          break;
        case 'reject':
          row.latencyNs ??= r.timestamp_ns - row.sentNs;
          row.status = 'rejected';
          row.why = text(r, 'reason_name');
          break;
        case 'fill':
          row.filledQty += num(r, 'qty');
          row.fillValue += num(r, 'qty') * num(r, 'price');
          row.chargesPaise += num(r, 'charges_paise');
          row.status = num(r, 'leaves_qty') === 0 ? 'filled' : 'partial';
          break;
        case 'order-cancel':
          if (row.status === 'live' || row.status === 'partial' || row.status === 'sent') row.status = 'pending cancel';
          break;
        case 'canceled':
          row.status = 'canceled';
          row.why = text(r, 'reason_name');
          break;
        default:
          break;
      }
    }
    if (this.rows.size > this.keep) {
      const ids = [...this.rows.keys()].sort((a, b) => this.rows.get(a)!.sentNs - this.rows.get(b)!.sentNs);
      for (const id of ids.slice(0, this.rows.size - this.keep)) this.rows.delete(id);
    }
  }

  /** Newest first. */
  list(): BlotterRow[] {
    return [...this.rows.values()].sort((a, b) => b.sentNs - a.sentNs);
  }

  /** Average fill price of a row, ticks (null before a fill). */
  static avgFill(row: BlotterRow): number | null {
    return row.filledQty > 0 ? row.fillValue / row.filledQty : null;
  }
}
