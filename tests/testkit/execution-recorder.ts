// ExecutionEvents that keep every report as an object, with promise helpers to wait for one. For
// tests, tools and the bench's control path — it allocates per report, so not for the hot path.
import type { ExecutionEvents } from '../../host/adapters/gateway/execution-events.js';

export type Report =
  | { kind: 'ack'; clOrdId: number; exchOrderId: number; symbol: number; side: number; price: number; qty: number; rttNs: number; t5: number }
  | { kind: 'reject'; clOrdId: number; reason: number; detail: number; refType: number; rttNs: number; t5: number }
  | {
    kind: 'fill'; clOrdId: number; exchOrderId: number; tradeId: number; symbol: number; side: number; price: number; qty: number;
    leavesQty: number; flags: number; t5: number;
  }
  | {
    kind: 'canceled'; clOrdId: number; origClOrdId: number; exchOrderId: number; symbol: number; side: number; canceledQty: number;
    reason: number; rttNs: number; t5: number;
  }
  | {
    kind: 'replaced'; clOrdId: number; origClOrdId: number; oldExchOrderId: number; exchOrderId: number; symbol: number;
    side: number; price: number; qty: number; leavesQty: number; rttNs: number; t5: number;
  }
  | { kind: 'testResponse'; testId: number; rttNs: number; t5: number }
  | { kind: 'timeout'; clOrdId: number; type: number; t4: number }
  | { kind: 'sessionEnd'; reason: number; detail: number; byVenue: boolean };

export type ReportKind = Report['kind'];
export type ReportOf<K extends ReportKind> = Extract<Report, { kind: K }>;

interface Waiter {
  match: (r: Report) => boolean;
  resolve: (r: Report) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ExecutionRecorder implements ExecutionEvents {
  readonly reports: Report[] = [];
  private waiters: Waiter[] = [];

  onAck(clOrdId: number, exchOrderId: number, symbol: number, side: number, price: number, qty: number, rttNs: number, t5: number): void {
    this.push({ kind: 'ack', clOrdId, exchOrderId, symbol, side, price, qty, rttNs, t5 });
  }
  onReject(clOrdId: number, reason: number, detail: number, refType: number, rttNs: number, t5: number): void {
    this.push({ kind: 'reject', clOrdId, reason, detail, refType, rttNs, t5 });
  }
  onFill(clOrdId: number, exchOrderId: number, tradeId: number, symbol: number, side: number, price: number, qty: number,
    leavesQty: number, flags: number, t5: number): void {
    this.push({ kind: 'fill', clOrdId, exchOrderId, tradeId, symbol, side, price, qty, leavesQty, flags, t5 });
  }
  onCanceled(clOrdId: number, origClOrdId: number, exchOrderId: number, symbol: number, side: number, canceledQty: number,
    reason: number, rttNs: number, t5: number): void {
    this.push({ kind: 'canceled', clOrdId, origClOrdId, exchOrderId, symbol, side, canceledQty, reason, rttNs, t5 });
  }
  onReplaced(clOrdId: number, origClOrdId: number, oldExchOrderId: number, exchOrderId: number, symbol: number, side: number,
    price: number, qty: number, leavesQty: number, rttNs: number, t5: number): void {
    this.push({ kind: 'replaced', clOrdId, origClOrdId, oldExchOrderId, exchOrderId, symbol, side, price, qty, leavesQty, rttNs, t5 });
  }
  onTestResponse(testId: number, rttNs: number, t5: number): void {
    this.push({ kind: 'testResponse', testId, rttNs, t5 });
  }
  onTimeout(clOrdId: number, type: number, t4: number): void {
    this.push({ kind: 'timeout', clOrdId, type, t4 });
  }
  onSessionEnd(reason: number, detail: number, byVenue: boolean): void {
    this.push({ kind: 'sessionEnd', reason, detail, byVenue });
  }

  /** Reports of one kind (optionally for one clOrdId), in arrival order. */
  of<K extends ReportKind>(kind: K, clOrdId?: number): ReportOf<K>[] {
    return this.reports.filter((r): r is ReportOf<K> => r.kind === kind && (clOrdId === undefined || ('clOrdId' in r && r.clOrdId === clOrdId)));
  }

  /** The first report (already received or coming) of `kind` matching `pred`; rejects after `timeoutMs`. */
  waitFor<K extends ReportKind>(kind: K, pred: (r: ReportOf<K>) => boolean = () => true, timeoutMs = 2000): Promise<ReportOf<K>> {
    const match = (r: Report): boolean => r.kind === kind && pred(r as ReportOf<K>);
    const have = this.reports.find(match);
    if (have) return Promise.resolve(have as ReportOf<K>);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        match, resolve: resolve as (r: Report) => void, reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new Error(`no ${kind} report within ${timeoutMs} ms (have: ${this.reports.map((r) => r.kind).join(',') || 'none'})`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  /** The first answer to request `clOrdId` (ack, reject, canceled or replaced). */
  answer(clOrdId: number, timeoutMs = 2000): Promise<Report> {
    const match = (r: Report): boolean =>
      (r.kind === 'ack' || r.kind === 'reject' || r.kind === 'canceled' || r.kind === 'replaced') && r.clOrdId === clOrdId;
    const have = this.reports.find(match);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        match, resolve, reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new Error(`no answer to ${clOrdId} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  clear(): void {
    this.reports.length = 0;
  }

  private push(r: Report): void {
    this.reports.push(r);
    if (this.waiters.length === 0) return;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.match(r)) {
        clearTimeout(w.timer);
        w.resolve(r);
      } else {
        keep.push(w);
      }
    }
    this.waiters = keep;
  }
}
