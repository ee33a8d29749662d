// Walks a journal's bytes (docs/journal.md): checks the file header (a bad one throws JournalFormatError),
// then the records, verifying each one's length and CRC-32. Browser-safe (no Node imports): the playground
// reads an engine journal a person picks in the page; journal-reader.ts gives it a file and zlib's CRC.
//
// How a walk ends:
// - clean: the last record ends exactly at the end of the file;
// - torn: the bytes after the last good record are an unfinished append — fewer than a prefix, a record
//   whose length (one of the record sizes: a crash does not invent lengths) runs past the end of the
//   file or ends exactly there with a bad body or CRC, or nothing but zero bytes (a crash after the file was extended, before the data
//   landed). The reader yields every record before it and reports the tear's offset and size; the
//   writer truncates it away when it reopens the file.
// - corrupt: a bad record (length not its type's size, unknown type, CRC mismatch) with more bytes
//   after it than a tear can explain. The reader STOPS there and reports the offset and the fault:
//   the length of a damaged record cannot be trusted to find the next one, and a journal is an
//   audit trail, so nothing after the damage is presented as fact. The writer refuses to append to it.
import { crc32, type Crc32 } from './crc32.js';
import {
  FILE_HEADER_BYTES, PREFIX_BYTES, RECORD_TYPES, decodeFileHeader, recordTypeOf,
  type FileHeader, type JournalRecord, type RecordInfo,
} from './records.js';

/** The unfinished append at the end of a file. */
export interface Tear {
  readonly offset: number;
  readonly bytes: number;
  readonly why: string;
}

/** The first damaged record before the end of a file. */
export interface Corruption {
  readonly offset: number;
  readonly why: string;
}

/** A record's place in the file and its body. */
export interface RawRecord {
  readonly offset: number;
  readonly info: RecordInfo;
  /** Offset of the body in the file's bytes. */
  readonly body: number;
}

/** Every record type's body size: a torn append always has one of these in its length field. */
const RECORD_SIZES = new Set(RECORD_TYPES.map((r) => r.layout.bytes));

function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** What is wrong with the record at `at`, or null when it is good; `end` is where it ends (or would). */
function check(bytes: Uint8Array, view: DataView, at: number, crc: Crc32): { why: string | null; end: number } {
  const left = bytes.length - at;
  if (left < PREFIX_BYTES) return { why: `${left} bytes, shorter than a record prefix`, end: bytes.length + 1 };
  const length = view.getUint32(at, true);
  const end = at + PREFIX_BYTES + length;
  if (end > bytes.length) return { why: `length ${length} runs past the end of the file`, end };
  const body = at + PREFIX_BYTES;
  const info = length > 0 ? recordTypeOf(bytes[body]!) : undefined;
  if (!info) return { why: length === 0 ? 'length 0' : `unknown record type ${bytes[body]}`, end };
  if (info.layout.bytes !== length) return { why: `length ${length}, but a ${info.name} record is ${info.layout.bytes} bytes`, end };
  const want = view.getUint32(at + 4, true);
  const got = crc(bytes.subarray(body, end));
  if (want !== got) return { why: `CRC mismatch (stored ${want.toString(16).padStart(8, '0')}, computed ${got.toString(16).padStart(8, '0')})`, end };
  return { why: null, end };
}

/** A walk over a journal's bytes. After the iteration, `tear` or `corruption` says how it ended. */
export class JournalScan {
  readonly header: FileHeader;
  tear: Tear | null = null;
  corruption: Corruption | null = null;
  /** Where the last good record ends (the writer appends there). */
  goodEnd = FILE_HEADER_BYTES;
  count = 0;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array, readonly what: string, private readonly crc: Crc32 = crc32) {
    this.header = decodeFileHeader(bytes, what);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  *raw(): Generator<RawRecord> {
    const { bytes, view } = this;
    let at = FILE_HEADER_BYTES;
    while (at < bytes.length) {
      const { why, end } = check(bytes, view, at, this.crc);
      if (why !== null) {
        const torn = bytes.length - at < PREFIX_BYTES || (RECORD_SIZES.has(view.getUint32(at, true)) && end >= bytes.length);
        if (torn || allZero(bytes, at)) this.tear = { offset: at, bytes: bytes.length - at, why };
        else this.corruption = { offset: at, why };
        return;
      }
      yield { offset: at, info: recordTypeOf(bytes[at + PREFIX_BYTES]!)!, body: at + PREFIX_BYTES };
      this.count++;
      at = end;
      this.goodEnd = end;
    }
  }

  /** Decoded records, in file order. */
  *records(): Generator<JournalRecord & { readonly offset: number }> {
    for (const r of this.raw()) {
      const out: Record<string, number> = {};
      r.info.decode(this.view, r.body, out);
      const { timestampNs, ...fields } = out;
      yield { offset: r.offset, type: r.info.name, timestampNs: timestampNs!, fields };
    }
  }

  /** Walks to the end without decoding (sets tear, corruption, goodEnd, count). */
  finish(): this {
    for (const _ of this.raw()) { /* walk */ }
    return this;
  }
}

