// Worker for seqlock-torture.test.ts. role "writer": publishes symbol block 0 as fast as it can, round k
// writing values that are all functions of k, until the stop word is set. role "reader": takes snapshots for
// the given time and checks every one it is handed as OK is self-consistent; reports counts.
import { parentPort, workerData } from 'node:worker_threads';
import { SegmentBlock, SeqlockRead, type Snapshot } from '../../../host/telemetry/index.js';

export interface TortureData {
  readonly role: 'writer' | 'reader';
  readonly sab: SharedArrayBuffer;
  /** Int32Array over it: [0] stop, [1] writer running. */
  readonly flags: SharedArrayBuffer;
  readonly ms: number;
}

export interface TortureReport {
  readonly rounds: number;
  readonly ok: number;
  readonly torn: number;
  readonly fresh: number;
  readonly inconsistent: number;
  readonly firstBad: string | null;
}

/** The payload of round k: every field a different function of k. */
export function payload(k: number): Snapshot {
  return {
    symbolId: k >>> 0, bidPrice: (k * 3) | 0, bidQty: (k ^ 0x5555) | 0, askPrice: (k + 7) | 0, askQty: -k | 0,
    imbalanceBp: (k * 5) | 0, signalBp: ~k, regime: (k * 11) | 0, entropyMilli: (k * 13) | 0, updatedNs: k * 1000 + 1,
    // The block spans three cache lines: words on each of them.
    wobiBp9: (k * 17) | 0, gateOpen: k & 1, nevPaise0: -k * 7, nevPaise7: k * 1_000_003,
  };
}

function consistent(s: Snapshot): boolean {
  const want = payload(s.symbolId!);
  for (const k in want) if (s[k] !== want[k]) return false;
  return true;
}

const data = workerData as TortureData;
const flags = new Int32Array(data.flags);
const block = new SegmentBlock(data.sab, 'symbols', 0);

if (data.role === 'writer') {
  let k = 0;
  Atomics.store(flags, 1, 1);
  while (Atomics.load(flags, 0) === 0) block.publish(payload(++k));
  parentPort!.postMessage({ rounds: k, ok: 0, torn: 0, fresh: 0, inconsistent: 0, firstBad: null } satisfies TortureReport);
} else {
  const out: Snapshot = {};
  let ok = 0;
  let torn = 0;
  let fresh = 0;
  let inconsistent = 0;
  let firstBad: string | null = null;
  let last = -1;
  const end = Date.now() + data.ms;
  while (Date.now() < end) {
    for (let i = 0; i < 64; i++) {
      if (block.snapshot(out, 4) === SeqlockRead.TORN) {
        torn++;
        continue;
      }
      ok++;
      if (!consistent(out)) {
        inconsistent++;
        firstBad ??= JSON.stringify(out);
        continue;
      }
      if (out.symbolId! > last) fresh++;
      if (out.symbolId! < last) {
        inconsistent++;
        firstBad ??= `went back from ${last} to ${out.symbolId}`;
      }
      last = out.symbolId!;
    }
  }
  parentPort!.postMessage({ rounds: 0, ok, torn, fresh, inconsistent, firstBad } satisfies TortureReport);
}
