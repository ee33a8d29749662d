// Tv, the venue's send time in every frame header (docs/protocol.md, "Frame header": sendNs), is the
// moment the bytes are handed to the connection, not the moment the frame was encoded: frames wait
// in a batch until the end of the turn and, with outbound latency injected, in the delay line, and
// a client measuring wire-to-order (T4 − Tv) must not be charged for either wait. (Bytes a peer that
// stopped reading is held back from, consumer-backlog.ts, keep the time the venue let go of them.)
//
// Two u32 stores per frame rather than a BigInt per write (the clock's ns fit a double exactly).
const TWO_32 = 4294967296;
const SEND_NS_OFFSET = 8;
const MIN_FRAME = 16;

/** Writes `nowNs` into the header sendNs of every frame in `bytes` (whole frames, back to back). */
export function stampSendNs(bytes: Buffer, nowNs: number): void {
  const lo = nowNs >>> 0;
  const hi = Math.floor(nowNs / TWO_32) >>> 0;
  const end = bytes.length;
  for (let at = 0; at + MIN_FRAME <= end;) {
    const length = bytes.readUInt16LE(at);
    if (length < MIN_FRAME) return; // never in a batch of the venue's own frames; stop rather than spin
    bytes.writeUInt32LE(lo, at + SEND_NS_OFFSET);
    bytes.writeUInt32LE(hi, at + SEND_NS_OFFSET + 4);
    at += length;
  }
}

/** What encoders write as sendNs: every venue frame is stamped when it is written, so encoding reads
 *  no clock and builds no BigInt. */
export const UNSTAMPED = 0n;
