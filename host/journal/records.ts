// The journal's byte format (docs/journal.md), described once. The file header, the record prefix
// (length, CRC-32) and every record type are layouts built with the protocol's `record()`
// (host/protocol/layout.ts): name, type and byte order of each field, offsets derived and checked for
// natural alignment. From RECORD_TYPES derive the writer's encoders (journal-writer.ts), the reader's
// decoders (journal-reader.ts) and the doc test (tests/journal/doc.test.ts).
//
// Differences from the protocol's use of the same machinery: an i64 here is a JS number (timestamps in
// ns of the monotonic clock, money in paise), exact up to 2^53 − 1 (104 days of ns), written as two u32
// stores so that appending allocates no BigInt; every record body is a multiple of 8 bytes so that, after
// the 24-byte file header and the 8-byte prefix, every i64 is 8-aligned in the file too.
import { compile, readSource, record, type Field, type Layout, type RecordLayout } from '../protocol/layout.js';

/** Format version in the file header; a reader refuses any other. */
export const JOURNAL_VERSION = 1;
/** The file's first 8 bytes, ASCII. */
export const JOURNAL_MAGIC = 'TCJOURNL';

/** File header: magic, format version, its own size, wall time of creation (ms since the Unix epoch). */
export const FileHeaderLayout = record('FileHeader', [
  ['magic', 'char[8]'],
  ['version', 'u16'],
  ['headerBytes', 'u16'],
  ['reserved', 'u8[4]'],
  ['createdWallMs', 'i64'],
] as const);
export const FILE_HEADER_BYTES = FileHeaderLayout.bytes;

/** Before every record body: its length in bytes and the CRC-32 (zlib's, ISO-HDLC) of those bytes. */
export const PrefixLayout = record('Prefix', [
  ['length', 'u32'],
  ['crc', 'u32'],
] as const);
export const PREFIX_BYTES = PrefixLayout.bytes;

/** The start of every body: record type, then the monotonic timestamp in ns. */
export const HeadLayout = record('head', [
  ['type', 'u8'],
  ['reserved', 'u8[7]'],
  ['timestampNs', 'i64'],
] as const);

/** What a control action asked for (the control block's kill word, flatten and reset requests, the
 *  parameter mailbox). Journal-local: no other module defines these codes yet. */
export const ControlAction = { KILL: 1, FLATTEN: 2, RESET: 3, PARAMS: 4 } as const;
export type ControlAction = (typeof ControlAction)[keyof typeof ControlAction];

/** Record type codes, the body's first byte. */
export const RecordType = {
  OrderNew: 1, OrderCancel: 2, OrderReplace: 3, Ack: 4, Reject: 5, Fill: 6, Canceled: 7, RiskRefusal: 8,
  TradingState: 9, Control: 10,
} as const;
export type RecordTypeName = keyof typeof RecordType;

// Every record type: its fields after the head, in byte order. Prices are i32 ticks, quantities u32,
// ids u64 (exact up to 2^53 − 1, as on the wire), money i64 paise. Codes: side, kind, tif
// (host/model/vocabulary.ts), reject and cancel reasons (host/model/reasons.ts), RiskRefusal,
// TradingState, TradingStateReason (vocabulary.ts), ControlAction (above).
const SPECS = {
  OrderNew: [
    ['clOrdId', 'u64'], ['symbol', 'u32'], ['side', 'u8'], ['kind', 'u8'], ['tif', 'u8'], ['reserved', 'u8[1]'],
    ['price', 'i32'], ['qty', 'u32'],
  ],
  OrderCancel: [
    ['clOrdId', 'u64'], ['origClOrdId', 'u64'], ['symbol', 'u32'], ['reserved', 'u8[4]'],
  ],
  OrderReplace: [
    ['clOrdId', 'u64'], ['origClOrdId', 'u64'], ['symbol', 'u32'], ['price', 'i32'], ['qty', 'u32'], ['reserved', 'u8[4]'],
  ],
  Ack: [
    ['clOrdId', 'u64'], ['exchOrderId', 'u64'], ['symbol', 'u32'], ['reserved', 'u8[4]'],
  ],
  Reject: [
    ['clOrdId', 'u64'], ['symbol', 'u32'], ['reason', 'u16'], ['reserved', 'u8[2]'], ['detail', 'u32'], ['reserved', 'u8[4]'],
  ],
  Fill: [
    ['clOrdId', 'u64'], ['tradeId', 'u64'], ['symbol', 'u32'], ['side', 'u8'], ['reserved', 'u8[3]'], ['price', 'i32'],
    ['qty', 'u32'], ['leavesQty', 'u32'], ['reserved', 'u8[4]'], ['chargesPaise', 'i64'],
  ],
  Canceled: [
    ['clOrdId', 'u64'], ['symbol', 'u32'], ['reason', 'u8'], ['reserved', 'u8[3]'], ['qty', 'u32'], ['reserved', 'u8[4]'],
  ],
  RiskRefusal: [
    ['symbol', 'u32'], ['side', 'u8'], ['refusal', 'u8'], ['reserved', 'u8[2]'], ['price', 'i32'], ['qty', 'u32'],
  ],
  TradingState: [
    ['state', 'u8'], ['previousState', 'u8'], ['reason', 'u8'], ['reserved', 'u8[5]'],
  ],
  Control: [
    ['action', 'u8'], ['accepted', 'u8'], ['reserved', 'u8[2]'], ['paramId', 'u32'], ['paramValue', 'i64'],
  ],
} as const;

type Specs = typeof SPECS;
type NumberArgs<F> = F extends readonly [infer H, ...infer R]
  ? H extends readonly [infer N, unknown] ? N extends 'reserved' ? NumberArgs<R> : [number, ...NumberArgs<R>] : NumberArgs<R>
  : [];
/** A record type's append arguments after the timestamp, in byte order, all numbers. */
export type RecordArgs<K extends RecordTypeName> = NumberArgs<Specs[K]>;

/** A decoded record: type name, timestamp and every field by name. */
export interface JournalRecord {
  readonly type: RecordTypeName;
  readonly timestampNs: number;
  readonly fields: Readonly<Record<string, number>>;
}

export interface RecordInfo {
  readonly name: RecordTypeName;
  readonly code: number;
  /** The body: head + fields. */
  readonly layout: Layout;
  /** Value field names after the head, in byte order (the append arguments after timestampNs). */
  readonly args: readonly string[];
  /** Writes a whole body at `at` (reserved bytes 0): (view, at, timestampNs, ...args) → bytes. */
  readonly encode: (view: DataView, at: number, ...values: number[]) => number;
  /** Reads the value fields of a body at `at` into `out` (timestampNs included). */
  readonly decode: (view: DataView, at: number, out: Record<string, number>) => void;
}

/** Statement writing `value` (a number expression) into field `f` at `o`. */
function writeNumber(f: Field, o: string, value: string): string[] {
  switch (f.type) {
    case 'u8': return [`view.setUint8(${o}, ${value});`];
    case 'u16': return [`view.setUint16(${o}, ${value}, true);`];
    case 'u32': return [`view.setUint32(${o}, ${value}, true);`];
    case 'i32': return [`view.setInt32(${o}, ${value}, true);`];
    case 'u64': return [`writeId(view, ${o}, ${value});`];
    case 'i64': return [
      `hi = Math.floor(${value} / 4294967296);`,
      `view.setUint32(${o}, ${value} - hi * 4294967296, true);`,
      `view.setInt32(${o} + 4, hi, true);`,
    ];
    default: throw new TypeError(`journal field ${f.name}: type ${f.type} is not supported`);
  }
}

/** Expression reading field `f` at `o` as a number. */
function readNumber(f: Field, o: string): string {
  if (f.type === 'i64') return `view.getInt32(${o} + 4, true) * 4294967296 + view.getUint32(${o}, true)`;
  return readSource(f, o);
}

/** Every field of a body in byte order, the head's expanded. */
export function flatFields(layout: Layout): Field[] {
  const out: Field[] = [];
  for (const f of layout.fields) {
    if (f.element) for (const e of f.element.fields) out.push({ ...e, offset: f.offset + e.offset });
    else out.push(f);
  }
  return out;
}

function build(name: RecordTypeName): RecordInfo {
  const code = RecordType[name];
  const layout = record(name, SPECS[name] as unknown as readonly [string, string][] as never, HeadLayout) as RecordLayout;
  if (layout.bytes % 8 !== 0) throw new TypeError(`journal record ${name}: ${layout.bytes} bytes is not a multiple of 8`);
  const fields = flatFields(layout);
  const params: string[] = [];
  const body: string[] = [];
  const reads: string[] = [];
  for (const f of fields) {
    const o = `at + ${f.offset}`;
    if (f.name === 'reserved') {
      for (let i = 0; i < f.size; i++) body.push(`view.setUint8(at + ${f.offset + i}, 0);`);
    } else if (f.name === 'type') {
      body.push(`view.setUint8(${o}, ${code});`);
    } else {
      params.push(f.name);
      body.push(...writeNumber(f, o, f.name));
      reads.push(`out.${f.name} = ${readNumber(f, o)};`);
    }
  }
  const encode = compile<RecordInfo['encode']>(
    `function encode${name}(view, at, ${params.join(', ')}) {\n  let hi = 0;\n  ${body.join('\n  ')}\n  return ${layout.bytes};\n}`,
  );
  const decode = compile<RecordInfo['decode']>(`function decode${name}(view, at, out) {\n  ${reads.join('\n  ')}\n}`);
  return { name, code, layout, args: params.slice(1), encode, decode };
}

/** Every record type, in code order. */
export const RECORD_TYPES: readonly RecordInfo[] = (Object.keys(RecordType) as RecordTypeName[]).map(build);

/** The record type of a code, or undefined. */
export function recordTypeOf(code: number): RecordInfo | undefined {
  return code >= 1 && code <= RECORD_TYPES.length ? RECORD_TYPES[code - 1] : undefined;
}

/** The largest record (prefix included): a batch buffer must hold at least one. */
export const MAX_RECORD_BYTES = PREFIX_BYTES + Math.max(...RECORD_TYPES.map((r) => r.layout.bytes));

/** A bad header, or a journal that cannot be appended to (the message says why and where). */
export class JournalFormatError extends Error {}

/** Writes the file header into `view` at 0. */
export function encodeFileHeader(view: DataView, createdWallMs: number): number {
  for (let i = 0; i < FILE_HEADER_BYTES; i++) view.setUint8(i, 0);
  for (let i = 0; i < JOURNAL_MAGIC.length; i++) view.setUint8(FileHeaderLayout.offsets.magic + i, JOURNAL_MAGIC.charCodeAt(i));
  view.setUint16(FileHeaderLayout.offsets.version, JOURNAL_VERSION, true);
  view.setUint16(FileHeaderLayout.offsets.headerBytes, FILE_HEADER_BYTES, true);
  const hi = Math.floor(createdWallMs / 4294967296);
  view.setUint32(FileHeaderLayout.offsets.createdWallMs, createdWallMs - hi * 4294967296, true);
  view.setInt32(FileHeaderLayout.offsets.createdWallMs + 4, hi, true);
  return FILE_HEADER_BYTES;
}

export interface FileHeader {
  readonly version: number;
  readonly createdWallMs: number;
}

/** Reads and checks the file header; throws JournalFormatError naming `what` (the file) and the fault. */
export function decodeFileHeader(bytes: Uint8Array, what: string): FileHeader {
  if (bytes.length < FILE_HEADER_BYTES) {
    throw new JournalFormatError(`${what}: not a journal: ${bytes.length} bytes, shorter than the ${FILE_HEADER_BYTES}-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, FILE_HEADER_BYTES);
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(view.getUint8(i));
  if (magic !== JOURNAL_MAGIC) throw new JournalFormatError(`${what}: not a journal: magic ${JSON.stringify(magic)}, expected "${JOURNAL_MAGIC}"`);
  const version = view.getUint16(FileHeaderLayout.offsets.version, true);
  if (version !== JOURNAL_VERSION) {
    throw new JournalFormatError(`${what}: journal format version ${version}, this build reads version ${JOURNAL_VERSION}`);
  }
  const headerBytes = view.getUint16(FileHeaderLayout.offsets.headerBytes, true);
  if (headerBytes !== FILE_HEADER_BYTES) {
    throw new JournalFormatError(`${what}: header size ${headerBytes}, expected ${FILE_HEADER_BYTES}`);
  }
  const at = FileHeaderLayout.offsets.createdWallMs;
  return { version, createdWallMs: view.getInt32(at + 4, true) * 4294967296 + view.getUint32(at, true) };
}
