// Reads a journal file (docs/journal.md) with zlib's CRC-32: the walk itself, how it ends (clean, torn,
// corrupt) and why, is journal-scan.ts, which the browser uses too.
import { crc32 } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { JournalScan as Scan } from './journal-scan.js';
import { RECORD_TYPES } from './records.js';

export type { Corruption, RawRecord, Tear } from './journal-scan.js';

/** A walk over a journal's bytes, checking each record's CRC with zlib's. */
export class JournalScan extends Scan {
  constructor(bytes: Uint8Array, what: string) {
    super(bytes, what, crc32);
  }
}

/** A scan of a journal file (read whole). Throws JournalFormatError for a bad header, naming the file. */
export function readJournalFile(path: string): JournalScan {
  return new JournalScan(readFileSync(path), path);
}

export { RECORD_TYPES };
