// FrameReader: splits a TCP byte stream into frames (docs/protocol.md, "Framing").
//
// Zero-copy where it can be: a frame lying wholly inside one chunk is handed out as a view into that
// chunk; only a frame split across chunks is assembled in one reusable internal buffer (at most
// MAX_FRAME_BYTES, allocated once). Nothing is allocated per frame; one DataView is made per distinct
// ArrayBuffer behind the chunks (Node usually reads a socket into fresh buffers, so about one per chunk).
//
// The length field is the only thing that finds the next frame, so a length that cannot be right —
// below the header size, above MAX_FRAME_BYTES, or not the fixed size of a known type — loses the
// stream for good. The reader then stops (sticky `error` = DisconnectReason.BAD_LENGTH, `errorDetail`
// = the length field) and the caller sends Logout and closes. It never throws on bad input. Unknown
// types with a plausible length pass through; validateFrame answers them with UNKNOWN_TYPE.
//
// Pull loop (hot path, no closure):
//   reader.push(chunk);
//   for (let n = reader.next(); n > 0; n = reader.next()) handle(reader.view, reader.at, n);
//   if (reader.error !== 0) disconnect(reader.error, reader.errorDetail);
import { HEADER_BYTES } from './frame.js';
import { FRAME_BYTES, MAX_FRAME_BYTES } from './messages.js';
import { DisconnectReason } from '../model/reasons.js';

/** Bytes that must be in hand before a frame's length and type can be checked. */
const PREFIX_BYTES = 3;

export class FrameReader {
  /** The current frame: `view` over its bytes, starting at byte `at`. Valid until the next call to
   *  next() or push() — copy what you keep. */
  view: DataView;
  at = 0;
  /** 0, or DisconnectReason.BAD_LENGTH once the stream is lost (sticky until reset()). */
  error = 0;
  /** With `error`: the offending length field. */
  errorDetail = 0;
  /** Frames handed out since construction or reset(). */
  frames = 0;

  private readonly sizes: Uint16Array;
  private readonly maxFrame: number;
  // Current chunk, as absolute offsets into its ArrayBuffer.
  private chunkBuffer: ArrayBufferLike | null = null;
  private chunkView: DataView;
  private chunkBytes: Uint8Array;
  private pos = 0;
  private end = 0;
  // A frame split across chunks, being assembled.
  private readonly partial: Uint8Array;
  private readonly partialView: DataView;
  private partialHave = 0;
  private partialNeed = 0;

  /** `sizes[type]` = fixed frame size, 0 for unknown types (default: this protocol's FRAME_BYTES). */
  constructor(sizes: Uint16Array = FRAME_BYTES, maxFrameBytes: number = MAX_FRAME_BYTES) {
    this.sizes = sizes;
    this.maxFrame = maxFrameBytes;
    this.partial = new Uint8Array(maxFrameBytes);
    this.partialView = new DataView(this.partial.buffer);
    this.chunkView = this.partialView;
    this.chunkBytes = this.partial;
    this.view = this.partialView;
  }

  /** Bytes of the current chunk not yet handed out or buffered. */
  get pending(): number {
    return this.end - this.pos;
  }
  /** Bytes held of a frame that spans chunks (0 when the stream is at a frame boundary). */
  get buffered(): number {
    return this.partialHave;
  }

  /** Hand the reader the next socket chunk: its first `length` bytes (default: all; a reused read buffer
   *  passes what the read returned). Drain the previous one first (next() returned ≤ 0): frames from it
   *  are views into its memory. */
  push(chunk: Uint8Array, length: number = chunk.byteLength): void {
    if (this.error !== 0) return; // the stream is lost: input is dropped until reset()
    if (this.pos !== this.end) throw new Error('FrameReader.push: previous chunk not drained (call next() until it returns <= 0)');
    if (chunk.buffer !== this.chunkBuffer) {
      this.chunkBuffer = chunk.buffer;
      this.chunkView = new DataView(chunk.buffer);
      this.chunkBytes = new Uint8Array(chunk.buffer);
    }
    this.pos = chunk.byteOffset;
    this.end = chunk.byteOffset + length;
  }

  /** The next frame's length (> 0; the frame is at view/at), 0 when the chunk is used up, −1 when
   *  the stream is lost (see `error`). */
  next(): number {
    if (this.error !== 0) return -1;
    if (this.partialHave > 0) return this.continuePartial();
    const avail = this.end - this.pos;
    if (avail === 0) return 0;
    if (avail < PREFIX_BYTES) {
      this.stash(avail);
      return 0;
    }
    const v = this.chunkView;
    const length = v.getUint16(this.pos, true);
    if (!this.lengthOk(length, v.getUint8(this.pos + 2))) return -1;
    if (avail < length) {
      this.partialNeed = length;
      this.stash(avail);
      return 0;
    }
    this.view = v;
    this.at = this.pos;
    this.pos += length;
    this.frames++;
    return length;
  }

  /** Push `chunk` and call onFrame(view, at, length) for every complete frame. Returns 0, or the
   *  DisconnectReason when the stream is lost (frames before the bad one are delivered). */
  feed(chunk: Uint8Array, onFrame: (view: DataView, at: number, length: number) => void): number {
    this.push(chunk);
    for (let n = this.next(); n > 0; n = this.next()) onFrame(this.view, this.at, n);
    return this.error;
  }

  /** Forget everything (new connection). */
  reset(): void {
    this.error = 0;
    this.errorDetail = 0;
    this.frames = 0;
    this.pos = this.end = 0;
    this.partialHave = this.partialNeed = 0;
  }

  private lengthOk(length: number, type: number): boolean {
    const size = this.sizes[type]!;
    if (length < HEADER_BYTES || length > this.maxFrame || (size !== 0 && length !== size)) {
      this.error = DisconnectReason.BAD_LENGTH;
      this.errorDetail = length;
      this.pos = this.end; // drop the rest: nothing after a bad length can be trusted
      return false;
    }
    return true;
  }

  /** Copy `n` bytes of the chunk into the partial buffer (≤ MAX_FRAME_BYTES, split frames only). */
  private stash(n: number): void {
    const src = this.chunkBytes;
    const dst = this.partial;
    const from = this.pos;
    const to = this.partialHave;
    for (let i = 0; i < n; i++) dst[to + i] = src[from + i]!;
    this.partialHave += n;
    this.pos += n;
  }

  private continuePartial(): number {
    // Still reading the length/type prefix?
    if (this.partialNeed === 0) {
      const take = Math.min(PREFIX_BYTES - this.partialHave, this.end - this.pos);
      this.stash(take);
      if (this.partialHave < PREFIX_BYTES) return 0;
      const length = this.partialView.getUint16(0, true);
      if (!this.lengthOk(length, this.partial[2]!)) {
        this.partialHave = 0;
        return -1;
      }
      this.partialNeed = length;
    }
    const take = Math.min(this.partialNeed - this.partialHave, this.end - this.pos);
    if (take > 0) this.stash(take);
    if (this.partialHave < this.partialNeed) return 0;
    const length = this.partialNeed;
    this.partialHave = this.partialNeed = 0;
    this.view = this.partialView;
    this.at = 0;
    this.frames++;
    return length;
  }
}
