// Sequenced frames held while their symbol waits for its Snapshot, in arrival order, in one
// fixed-size buffer shared by all symbols (columns, nothing allocated per frame). After the
// Snapshot the sequencer replays its symbol's entries and releases them; released entries are
// squeezed out when the buffer fills.

/** What a held entry was. */
export const HeldKind = { DELTA: 0, TRADE: 1 } as const;

export class ResyncBuffer {
  /** Entries in use, released ones included (their symbol is 0). */
  length = 0;
  readonly symbol: Uint16Array;
  readonly kind: Uint8Array;
  readonly side: Uint8Array;
  readonly seq: Float64Array;
  readonly price: Int32Array;
  readonly qty: Int32Array;
  readonly t0: Float64Array;

  constructor(readonly capacity: number) {
    this.symbol = new Uint16Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.side = new Uint8Array(capacity);
    this.seq = new Float64Array(capacity);
    this.price = new Int32Array(capacity);
    this.qty = new Int32Array(capacity);
    this.t0 = new Float64Array(capacity);
  }

  /** Holds one frame; false when the buffer is full of live entries (the frame is not held). */
  hold(symbol: number, kind: number, side: number, seq: number, price: number, qty: number, t0: number): boolean {
    if (this.length === this.capacity) this.compact();
    if (this.length === this.capacity) return false;
    const i = this.length++;
    this.symbol[i] = symbol;
    this.kind[i] = kind;
    this.side[i] = side;
    this.seq[i] = seq;
    this.price[i] = price;
    this.qty[i] = qty;
    this.t0[i] = t0;
    return true;
  }

  release(i: number): void {
    this.symbol[i] = 0;
  }

  clear(): void {
    this.length = 0;
  }

  private compact(): void {
    let j = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.symbol[i] === 0) continue;
      if (i !== j) {
        this.symbol[j] = this.symbol[i]!;
        this.kind[j] = this.kind[i]!;
        this.side[j] = this.side[i]!;
        this.seq[j] = this.seq[i]!;
        this.price[j] = this.price[i]!;
        this.qty[j] = this.qty[i]!;
        this.t0[j] = this.t0[i]!;
      }
      j++;
    }
    this.length = j;
  }
}
