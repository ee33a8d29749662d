// Prints a journal (docs/journal.md) as JSON lines, one per record, in file order. A torn last record
// (a crash mid-append) is reported on stderr and the exit code stays 0; a damaged record before the
// tail stops the listing there and exits 1 naming its offset; an unreadable file or a bad header exits 1.
import { readFile } from 'node:fs/promises';
import { JournalScan } from '../journal/journal-reader.js';
import { RECORD_TYPES, type RecordTypeName } from '../journal/records.js';
import { recordJson, typeArgument } from '../journal/record-json.js';
import { readCommandLine, runCommand, UsageError } from './command-line.js';

const TYPE_ARGS = RECORD_TYPES.map((r) => typeArgument(r.name));

const USAGE = `usage: journal <file> [--from-ns N] [--type ${TYPE_ARGS.join('|')}]
  Prints one JSON object per record: offset (byte in the file), type, timestamp_ns (monotonic clock), then the
  record's fields as docs/journal.md names them; codes also by name (side_name, reason_name, …), money both as
  integer paise and as rupees text (charges_rupees). Prices are ticks.
  --from-ns N   only records with timestamp_ns >= N
  --type T      only records of type T
  A torn last record (a crash mid-append) is reported on stderr (exit 0); a damaged record before the end
  stops the listing there (exit 1).`;

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
