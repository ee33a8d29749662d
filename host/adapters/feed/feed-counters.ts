// What the feed handler counts, on top of what every venue connection counts.
import { ConnectionCounters } from '../connection-counters.js';

export class FeedCounters extends ConnectionCounters {
  // L2Deltas applied to a book (live or replayed), Trades, Snapshots received, Rejects the venue sent on MD.
  deltas = 0; trades = 0; snapshots = 0; rejects = 0;
  // Sequence gaps detected; snapshots loaded to recover from one (not a connection's first); SnapshotRequests sent.
  gaps = 0; resyncs = 0; snapshotRequests = 0;
  // Sequenced frames with seq ≤ last (ignored); frames held while SYNCING, and those dropped as the buffer was full.
  oldFrames = 0; buffered = 0; bufferOverflows = 0;
  // Book windows moved to the touch; non-zero levels that could not be placed in the window.
  recenters = 0; outOfBand = 0;
  // Snapshots compared with a LIVE book at the same seq, and those that differed; older than the book (ignored);
  // newer than a LIVE book (loaded, the deltas they include then skipped as old).
  audits = 0; auditMismatches = 0; staleSnapshots = 0; aheadSnapshots = 0;
}
