// Appends records to a journal file (docs/journal.md). The cool side drains the event ring, calls one
// append method per event (`writer.Fill(ts, clOrdId, …)`), then `flush()`: records collect in one
// reusable batch buffer and leave in one write per flush (or when the buffer is full); with fsync
// 'batch' each flush is followed by fdatasync. An append allocates nothing of its own: each record type
// has its own scratch body (its exact size, so zlib.crc32 takes it whole, no view made per record); the
// body is encoded there, its CRC taken, and it is copied into the batch behind its prefix. The one
// allocation is zlib's: crc32 returns a CRC >= 2^31 as a boxed number (16 B, about half the records).
//
// Opening an existing journal checks its header (JournalFormatError names the file and the fault) and
// walks its records. A torn tail (an append a crash left unfinished, see journal-reader.ts) is
// TRUNCATED to the end of the last good record and reported in `recovered`; appending continues
// there. A corrupt record before the tail is refused (JournalFormatError with its offset): truncating
// would destroy good records after it.
import { closeSync, constants, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { compile } from '../protocol/layout.js';
import { JournalScan, type Tear } from './journal-reader.js';
import {
  FILE_HEADER_BYTES, JournalFormatError, MAX_RECORD_BYTES, PREFIX_BYTES, RECORD_TYPES, encodeFileHeader,
  type RecordArgs, type RecordTypeName,
} from './records.js';

export type FsyncPolicy = 'none' | 'batch';

export interface JournalWriterOptions {
  /** 'none': the OS writes back when it will; 'batch': fdatasync after every flush. Default 'batch'. */
  readonly fsync?: FsyncPolicy;
  /** Batch buffer size in bytes (default 64 KiB); a full buffer is flushed before the next record. */
  readonly batchBytes?: number;
  /** Wall time for a new file's header (ms since the epoch); default Date.now(). */
  readonly createdWallMs?: number;
}

/** One append method per record type: (timestampNs, ...fields in byte order). */
export type JournalAppend = { readonly [K in RecordTypeName]: (timestampNs: number, ...args: RecordArgs<K>) => void };

export interface Recovered {
  /** Records found in the file when it was opened. */
  readonly records: number;
  /** The torn tail that was truncated, or null. */
  readonly tear: Tear | null;
}

class Writer {
  readonly batch: Uint8Array;
  used = 0;
  /** File offset the next flush writes at. */
  position: number;
  /** Records appended through this writer. */
  appended = 0;
  readonly scratch: Uint8Array[] = [];
  readonly scratchView: DataView[] = [];
  private readonly batchView: DataView;
  closed = false;

  constructor(readonly fd: number, readonly path: string, position: number, readonly fsync: FsyncPolicy, batchBytes: number,
    readonly recovered: Recovered) {
    if (!Number.isInteger(batchBytes) || batchBytes < MAX_RECORD_BYTES) {
      throw new RangeError(`batchBytes must be an integer >= ${MAX_RECORD_BYTES}, got ${batchBytes}`);
    }
    this.batch = new Uint8Array(batchBytes);
    this.batchView = new DataView(this.batch.buffer);
    this.position = position;
    for (const info of RECORD_TYPES) {
      const s = new Uint8Array(info.layout.bytes);
      this.scratch[info.code] = s;
      this.scratchView[info.code] = new DataView(s.buffer);
      // One small compiled method per type with its arguments spelled out (no rest array, no
      // closure sharing type feedback with the other types': each call site stays monomorphic).
      const params = ['timestampNs', ...info.args].join(', ');
      (this as unknown as Record<string, unknown>)[info.name] = compile(
        `function append${info.name}(${params}) {\n  encode(view, 0, ${params});\n  w.put(${info.code}, ${info.layout.bytes});\n}`,
        { encode: info.encode, view: this.scratchView[info.code], w: this },
      );
    }
  }

  /** Puts the scratch body of `code` behind its prefix into the batch. */
  put(code: number, bytes: number): void {
    if (this.closed) throw new Error(`journal ${this.path} is closed`);
    if (this.used + PREFIX_BYTES + bytes > this.batch.length) this.flush();
    const body = this.scratch[code]!;
    const at = this.used;
    this.batchView.setUint32(at, bytes, true);
    this.batchView.setUint32(at + 4, crc32(body), true);
    this.batch.set(body, at + PREFIX_BYTES);
    this.used = at + PREFIX_BYTES + bytes;
    this.appended++;
  }

  /** Writes the batch at the end of the file (and fdatasyncs it under 'batch'). */
  flush(): void {
    if (this.closed) throw new Error(`journal ${this.path} is closed`);
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.batch, done, this.used - done, this.position + done);
    this.position += this.used;
    this.used = 0;
    if (this.fsync === 'batch' && done > 0) fdatasyncSync(this.fd);
  }

  /** Flushes and closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }
}

export type JournalWriter = Writer & JournalAppend;

/**
 * Opens `path` for appending: creates it with its header when it does not exist or is empty; else checks
 * the header and the records, truncates a torn tail, and appends after the last good record.
 */
export function openJournal(path: string, options: JournalWriterOptions = {}): JournalWriter {
  const fsync = options.fsync ?? 'batch';
  if (fsync !== 'none' && fsync !== 'batch') throw new RangeError(`fsync must be none or batch, got ${JSON.stringify(fsync)}`);
  // Read-write, created if missing; every write is positional (pwrite), at the end of the good records.
  const rw = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  try {
    const size = fstatSync(rw).size;
    let position: number;
    let recovered: Recovered;
    if (size === 0) {
      const header = new Uint8Array(FILE_HEADER_BYTES);
      encodeFileHeader(new DataView(header.buffer), options.createdWallMs ?? Date.now());
      writeSync(rw, header, 0, header.length, 0);
      if (fsync === 'batch') fdatasyncSync(rw);
      position = FILE_HEADER_BYTES;
      recovered = { records: 0, tear: null };
    } else {
      const bytes = new Uint8Array(size);
      let got = 0;
      while (got < size) {
        const n = readSync(rw, bytes, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      const scan = new JournalScan(bytes.subarray(0, got), path).finish();
      if (scan.corruption) {
        throw new JournalFormatError(`${path}: damaged record at offset ${scan.corruption.offset} (${scan.corruption.why}), ` +
          'not at the tail; refusing to append');
      }
      if (scan.tear) {
        ftruncateSync(rw, scan.goodEnd);
        if (fsync === 'batch') fdatasyncSync(rw);
      }
      position = scan.goodEnd;
      recovered = { records: scan.count, tear: scan.tear };
    }
    return new Writer(rw, path, position, fsync, options.batchBytes ?? 1 << 16, recovered) as JournalWriter;
  } catch (err) {
    closeSync(rw);
    throw err;
  }
}
