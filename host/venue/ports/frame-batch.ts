// Outgoing frames collected for one write: encoders write into a reusable buffer at `reserve(n)`,
// and take() hands the bytes out as one Buffer (copied, so the batch buffer is reused at once and the
// Buffer can sit in a delay line or a socket's queue). One write per batch instead of one per frame.
export class FrameBatch {
  bytes: Buffer;
  view: DataView;
  private used = 0;

  constructor(initialBytes = 4096) {
    this.bytes = Buffer.alloc(initialBytes);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /** Bytes waiting. */
  get size(): number {
    return this.used;
  }

  /** Room for one frame of `n` bytes; returns its offset in `view`. */
  reserve(n: number): number {
    if (this.used + n > this.bytes.length) {
      let cap = this.bytes.length * 2;
      while (cap < this.used + n) cap *= 2;
      const grown = Buffer.alloc(cap);
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
      this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
    }
    const at = this.used;
    this.used += n;
    return at;
  }

  /** The frames written so far as one Buffer (null when none); the batch is empty afterwards. */
  take(): Buffer | null {
    if (this.used === 0) return null;
    const out = Buffer.allocUnsafe(this.used);
    this.bytes.copy(out, 0, 0, this.used);
    this.used = 0;
    return out;
  }

  clear(): void {
    this.used = 0;
  }
}
