// Named, atomic access to one element of a segment region (segment-layout.ts): every field is read and
// written with Atomics, 4-byte fields through an Int32Array, 8-byte ones through a BigInt64Array (seqlock.ts
// says why). Values are numbers: u32 fields read unsigned, i64 fields (ns stamps, ids) as integers below 2^53.
// Used by the engine side, the control side and the readers alike; off the hot path.
import type { Field } from '../protocol/layout.js';
import { RESERVED } from '../protocol/layout.js';
import { region } from './segment-layout.js';
import { SEQLOCK_MAX_RETRIES, seqlockRead, seqlockWriteBegin, seqlockWriteEnd, type SeqlockRead } from './seqlock.js';

interface Slot {
  readonly name: string;
  readonly wide: boolean;
  readonly unsigned: boolean;
  /** Index in the Int32Array (4-byte field) or the BigInt64Array (8-byte field). */
  readonly index: number;
}

export type Snapshot = Record<string, number>;

export class SegmentBlock {
  readonly i32: Int32Array;
  readonly i64: BigInt64Array;
  readonly slots: readonly Slot[];
  private readonly byName = new Map<string, Slot>();
  /** Int32 index of the `version` word, or -1 if the block has no seqlock. */
  readonly versionIndex: number;

  constructor(sab: SharedArrayBuffer, regionName: string, index = 0) {
    const r = region(regionName);
    if (index < 0 || index >= r.count) throw new RangeError(`segment region ${regionName}: index ${index} outside [0, ${r.count})`);
    const base = r.offset + index * r.layout.bytes;
    this.i32 = new Int32Array(sab);
    this.i64 = new BigInt64Array(sab, 0, Math.floor(sab.byteLength / 8));
    const slots: Slot[] = [];
    for (const f of r.layout.fields as readonly Field[]) {
      if (f.name === RESERVED) continue;
      if (f.size !== 4 && f.size !== 8) throw new TypeError(`segment field ${regionName}.${f.name}: ${f.type} is not a 4- or 8-byte integer`);
      const at = base + f.offset;
      const slot = { name: f.name, wide: f.size === 8, unsigned: f.type.startsWith('u'), index: f.size === 8 ? at / 8 : at / 4 };
      slots.push(slot);
      this.byName.set(f.name, slot);
    }
    this.slots = slots;
    this.versionIndex = this.byName.get('version')?.index ?? -1;
  }

  private slot(name: string): Slot {
    const s = this.byName.get(name);
    if (!s) throw new Error(`segment block has no field "${name}"`);
    return s;
  }

  private load(s: Slot): number {
    if (s.wide) return Number(Atomics.load(this.i64, s.index));
    const v = Atomics.load(this.i32, s.index);
    return s.unsigned ? v >>> 0 : v;
  }

  private store(s: Slot, v: number): void {
    if (s.wide) Atomics.store(this.i64, s.index, BigInt(v));
    else Atomics.store(this.i32, s.index, v | 0);
  }

  /** Where a 4-byte field lives in `i32` (for a futex on it, doorbell.ts). */
  wordIndex(name: string): number {
    const s = this.slot(name);
    if (s.wide) throw new TypeError(`wordIndex: ${name} is an 8-byte field`);
    return s.index;
  }

  get(name: string): number {
    return this.load(this.slot(name));
  }

  set(name: string, value: number): void {
    this.store(this.slot(name), value);
  }

  /** Add to a 4-byte field (wrapping); returns the new value. */
  add(name: string, delta: number): number {
    const s = this.slot(name);
    if (s.wide) throw new TypeError(`add: ${name} is an 8-byte field`);
    const v = (Atomics.add(this.i32, s.index, delta) + delta) | 0;
    return s.unsigned ? v >>> 0 : v;
  }

  /** Start a seqlocked write round (the block's single writer only); `set` the fields, then `end()`. For a
   *  writer that publishes from plain numbers without building an object per call. */
  begin(): void {
    if (this.versionIndex < 0) throw new Error('begin: this block has no seqlock');
    seqlockWriteBegin(this.i32, this.versionIndex);
  }

  /** End the write round `begin()` started. */
  end(): void {
    seqlockWriteEnd(this.i32, this.versionIndex);
  }

  /** Seqlocked write of the given fields (the block's single writer only). */
  publish(values: Readonly<Snapshot>): void {
    if (this.versionIndex < 0) throw new Error('publish: this block has no seqlock');
    seqlockWriteBegin(this.i32, this.versionIndex);
    try {
      for (const name in values) {
        if (name === 'version') continue;
        this.store(this.slot(name), values[name]!);
      }
    } finally {
      seqlockWriteEnd(this.i32, this.versionIndex);
    }
  }

  /** Seqlocked read of every field into `out` (the version too). TORN: `out` holds a torn copy, ignore it. */
  snapshot(out: Snapshot, maxRetries = SEQLOCK_MAX_RETRIES): SeqlockRead {
    if (this.versionIndex < 0) throw new Error('snapshot: this block has no seqlock');
    return seqlockRead(this.i32, this.versionIndex, () => {
      for (const s of this.slots) out[s.name] = this.load(s);
    }, maxRetries);
  }

  /** Every field, loaded one by one (no seqlock: for blocks whose fields are independent words). */
  read(): Snapshot {
    const out: Snapshot = {};
    for (const s of this.slots) out[s.name] = this.load(s);
    return out;
  }
}
