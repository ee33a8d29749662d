// Prints a journal (docs/journal.md) as JSON lines, one per record, in file order. A torn last record
// (a crash mid-append) is reported on stderr and the exit code stays 0; a damaged record before the
// tail stops the listing there and exits 1 naming its offset; an unreadable file or a bad header exits 1.
import { readFile } from 'node:fs/promises';
import { JournalScan } from '../journal/journal-reader.js';
import { ControlAction, RECORD_TYPES, type JournalRecord, type RecordTypeName } from '../journal/records.js';
import { OrderKind, RiskRefusal, Side, TimeInForce, TradingState, TradingStateReason } from '../model/vocabulary.js';
import { CancelReason, RejectReason } from '../model/reasons.js';
import { readCommandLine, runCommand, UsageError } from './command-line.js';

/** 'OrderNew' → 'order-new'. */
export function typeArgument(name: RecordTypeName): string {
  return name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? '' : '-') + c.toLowerCase());
}
const TYPE_ARGS = RECORD_TYPES.map((r) => typeArgument(r.name));

const USAGE = `usage: journal <file> [--from-ns N] [--type ${TYPE_ARGS.join('|')}]
  Prints one JSON object per record: offset (byte in the file), type, timestamp_ns (monotonic clock), then the
  record's fields as docs/journal.md names them; codes also by name (side_name, reason_name, …), money both as
  integer paise and as rupees text (charges_rupees). Prices are ticks.
  --from-ns N   only records with timestamp_ns >= N
  --type T      only records of type T
  A torn last record (a crash mid-append) is reported on stderr (exit 0); a damaged record before the end
  stops the listing there (exit 1).`;

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

interface Args { readonly file: string; readonly fromNs: number; readonly type: RecordTypeName | null }

function parseCommandLine(argv: string[]): Args {
  const parsed = readCommandLine(argv, { 'from-ns': { type: 'string' }, type: { type: 'string' } }, true);
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError('expected a journal file');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const from = parsed.values['from-ns'];
  if (from !== undefined && (!/^\d+$/.test(from) || !Number.isSafeInteger(Number(from)))) {
    throw new UsageError(`--from-ns must be an integer in [0, 2^53 - 1], got ${JSON.stringify(from)}`);
  }
  const t = parsed.values.type;
  let type: RecordTypeName | null = null;
  if (t !== undefined) {
    const i = TYPE_ARGS.indexOf(t);
    if (i < 0) throw new UsageError(`--type must be one of ${TYPE_ARGS.join(', ')}, got ${JSON.stringify(t)}`);
    type = RECORD_TYPES[i]!.name;
  }
  return { file, fromNs: from === undefined ? 0 : Number(from), type };
}

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv);
  let bytes: Buffer;
  try {
    bytes = await readFile(args.file);
  } catch (err) {
    throw new Error(`cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const scan = new JournalScan(bytes, args.file);
  const lines: string[] = [];
  let printed = 0;
  for (const r of scan.records()) {
    if (r.timestampNs < args.fromNs || (args.type !== null && r.type !== args.type)) continue;
    lines.push(JSON.stringify(recordJson(r)));
    printed++;
    if (lines.length >= 4096) process.stdout.write(`${lines.splice(0).join('\n')}\n`);
  }
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  let summary = `journal: ${scan.count} records, ${printed} printed`;
  if (scan.tear) summary += `; torn last record at offset ${scan.tear.offset} (${scan.tear.bytes} bytes: ${scan.tear.why}) skipped`;
  process.stderr.write(`${summary}\n`);
  if (scan.corruption) {
    throw new Error(`${args.file}: damaged record at offset ${scan.corruption.offset}: ${scan.corruption.why}; stopped there`);
  }
}

runCommand('journal', USAGE, () => main(process.argv.slice(2)));
