// What the feed handler counts, on top of what every venue connection counts.
import { ConnectionCounters } from '../connection-counters.js';

export class FeedCounters extends ConnectionCounters {
  /** L2Deltas applied to a book (live or replayed). */
  deltas = 0;
  trades = 0;
  snapshots = 0;
  /** Sequence gaps detected. */
  gaps = 0;
  /** Snapshots loaded to recover from a gap (not the initial one of a connection). */
  resyncs = 0;
  snapshotRequests = 0;
  /** Rejects the venue sent on MD. */
  rejects = 0;
  /** Sequenced frames with seq ≤ last (ignored). */
  oldFrames = 0;
  /** Frames buffered while SYNCING, and those dropped because the buffer was full. */
  buffered = 0;
  bufferOverflows = 0;
  recenters = 0;
  /** Non-zero levels that could not be placed in the book's window. */
  outOfBand = 0;
  /** Snapshots compared with a LIVE book at the same seq, and those that differed. */
  audits = 0;
  auditMismatches = 0;
  /** Snapshots older than the book (lastSeq < last): ignored. */
  staleSnapshots = 0;
  /** Snapshots newer than a LIVE book (lastSeq > last): loaded, the deltas they include then skipped as old. */
  aheadSnapshots = 0;
}
