// The recent end of the engine's journal, for the cockpit's blotter (GET /api/journal?since=): reads only the
// bytes appended since its last look and keeps the newest `keep` records decoded. A journal that shrank or was
// replaced (another file under the path) is read again from its start. A torn record at the end (the engine is
// mid-append, or crashed there) is simply not consumed yet; damage before the end stops the tail there and is
// reported, because reading past it could invent records.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { JournalScan } from '../host/journal/journal-reader.js';
import { FILE_HEADER_BYTES } from '../host/journal/records.js';
import { recordJson } from '../host/journal/record-json.js';

export type JournalEntry = Record<string, unknown> & { readonly offset: number; readonly timestamp_ns: number };

export interface JournalTailState {
  readonly path: string;
  /** The file is there and its header is good. */
  readonly readable: boolean;
  /** Why not, or the damage that stopped the tail. */
  readonly problem: string | null;
  /** Bytes consumed (whole records). */
  readonly bytes: number;
  /** Records read since the file was (re)opened. */
  readonly records: number;
}

export class JournalTail {
  private header: Uint8Array | null = null;
  private identity = '';
  private consumed = 0;
  private count = 0;
  private problem: string | null = null;
  private readonly recent: JournalEntry[] = [];

  constructor(private readonly path: string, private readonly keep = 2000) {}

  /** Reads what was appended; returns how many records it added. */
  poll(): number {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (err) {
      this.problem = `journal ${this.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      return 0;
    }
    try {
      const st = fstatSync(fd);
      const id = `${st.ino}`;
      if (id !== this.identity || st.size < this.consumed) {
        this.identity = id;
        this.header = null;
        this.consumed = 0;
        this.count = 0;
        this.recent.length = 0;
      }
      if (this.header === null) {
        if (st.size < FILE_HEADER_BYTES) {
          this.problem = `journal ${this.path}: ${st.size} bytes, no header yet`;
          return 0;
        }
        const h = new Uint8Array(FILE_HEADER_BYTES);
        readSync(fd, h, 0, FILE_HEADER_BYTES, 0);
        this.header = h;
        this.consumed = FILE_HEADER_BYTES;
      }
      const fresh = st.size - this.consumed;
      if (fresh <= 0) {
        this.problem = null;
        return 0;
      }
      // The scanner reads a whole journal: give it the header followed by the new bytes.
      const bytes = new Uint8Array(FILE_HEADER_BYTES + fresh);
      bytes.set(this.header, 0);
      const got = readSync(fd, bytes, FILE_HEADER_BYTES, fresh, this.consumed);
      let scan: JournalScan;
      try {
        scan = new JournalScan(bytes.subarray(0, FILE_HEADER_BYTES + got), this.path);
      } catch (err) {
        this.problem = (err as Error).message;
        this.header = null;
        return 0;
      }
      const base = this.consumed - FILE_HEADER_BYTES;
      let added = 0;
      for (const r of scan.records()) {
        this.recent.push(recordJson({ ...r, offset: r.offset + base }) as JournalEntry);
        added++;
      }
      if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
      this.consumed += scan.goodEnd - FILE_HEADER_BYTES;
      this.count += added;
      this.problem = scan.corruption ? `journal ${this.path}: damaged record at byte ${scan.corruption.offset + base}: ${scan.corruption.why}` : null;
      return added;
    } finally {
      closeSync(fd);
    }
  }

  /** Records newer than `sinceNs` (timestamp_ns > sinceNs), oldest first, at most `limit` (the newest ones). */
  since(sinceNs: number, limit: number): JournalEntry[] {
    this.poll();
    let i = this.recent.length;
    while (i > 0 && this.recent[i - 1]!.timestamp_ns > sinceNs) i--;
    return this.recent.slice(Math.max(i, this.recent.length - limit));
  }

  state(): JournalTailState {
    return { path: this.path, readable: this.header !== null, problem: this.problem, bytes: this.consumed, records: this.count };
  }
}
