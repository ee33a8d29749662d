// A journal record as JSON (what `npm run journal` prints and the monitor's /api/journal serves): offset,
// type, timestamp_ns, then the record's fields in snake_case as docs/journal.md names them; codes also by name
// (side_name, reason_name, …), money both as integer paise and as rupees text.
import { ControlAction, type JournalRecord, type RecordTypeName } from './records.js';
import { OrderKind, RiskRefusal, Side, TimeInForce, TradingState, TradingStateReason } from '../model/vocabulary.js';
import { CancelReason, RejectReason } from '../model/reasons.js';

/** 'OrderNew' → 'order-new'. */
export function typeArgument(name: RecordTypeName): string {
  return name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? '' : '-') + c.toLowerCase());
}
function names(codes: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(codes).map(([k, v]) => [v, k]));
}

/** Which vocabulary names a field's code, per record type (undefined: the field is a plain number). */
const CODE_NAMES: Partial<Record<RecordTypeName, Record<string, Map<number, string>>>> = {
  OrderNew: { side: names(Side), kind: names(OrderKind), tif: names(TimeInForce) },
  Reject: { reason: names(RejectReason) },
  Fill: { side: names(Side) },
  Canceled: { reason: names(CancelReason) },
  RiskRefusal: { side: names(Side), refusal: names(RiskRefusal) },
  TradingState: { state: names(TradingState), previousState: names(TradingState), reason: names(TradingStateReason) },
  Control: { action: names(ControlAction) },
};

/** Paise as rupees text: 12345 → "123.45", -5 → "-0.05". */
export function rupees(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** One record as its JSON line's object. */
export function recordJson(r: JournalRecord & { readonly offset: number }): Record<string, unknown> {
  const out: Record<string, unknown> = { offset: r.offset, type: typeArgument(r.type), timestamp_ns: r.timestampNs };
  const codes = CODE_NAMES[r.type] ?? {};
  for (const [k, v] of Object.entries(r.fields)) {
    const key = snake(k);
    out[key] = v;
    const table = codes[k];
    if (table) out[`${key}_name`] = table.get(v) ?? `unknown ${v}`;
    if (k.endsWith('Paise')) out[`${key.slice(0, -'_paise'.length)}_rupees`] = rupees(v);
  }
  return out;
}

