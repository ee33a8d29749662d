// The field encodings wider than one DataView store (docs/protocol.md, "Conventions"): ids (u64 on the
// wire, `number` here) and fixed-width ASCII. Browser-safe: DataView only.

/** Ids (client order id, exchange order id, trade id, session id) are u64 on the wire and `number`
 *  here: values up to 2^53 − 1 stay exact, and reading them allocates no BigInt. Larger values are
 *  refused by validation (BAD_FIELD). */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
/** An id's high u32 may not exceed this (2^53 − 1 = 0x1FFFFF_FFFFFFFF). */
export const MAX_ID_HIGH = 0x1fffff;
const TWO_32 = 4294967296;

/** Write an id (0 ≤ id ≤ MAX_ID) as a little-endian u64 at byte `off`, as two u32 stores. */
export function writeId(view: DataView, off: number, id: number): void {
  view.setUint32(off, id >>> 0, true);
  view.setUint32(off + 4, Math.floor(id / TWO_32), true);
}
/** Read a u64 id as a number: exact up to MAX_ID; anything larger reads as a number above MAX_ID
 *  (the high word alone is then ≥ 2^53), which is how validation tells it apart. */
export function readId(view: DataView, off: number): number {
  return view.getUint32(off, true) + view.getUint32(off + 4, true) * TWO_32;
}
/** True when the u64 at `off` is a usable id: 1 ≤ id ≤ MAX_ID. */
export function isValidId(view: DataView, off: number): boolean {
  const hi = view.getUint32(off + 4, true);
  return hi <= MAX_ID_HIGH && (hi !== 0 || view.getUint32(off, true) !== 0);
}

/** Write `text` as fixed-width ASCII at `off`, NUL-padded to `width` bytes. Throws on non-ASCII
 *  (0x20..0x7E) characters or text longer than `width`: these are config values, not hot-path data. */
export function writeAscii(view: DataView, off: number, width: number, text: string): void {
  if (text.length > width) throw new RangeError(`"${text}" is longer than ${width} bytes`);
  for (let i = 0; i < width; i++) {
    let c = 0;
    if (i < text.length) {
      c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) throw new RangeError(`"${text}" has a non-printable-ASCII character at ${i}`);
    }
    view.setUint8(off + i, c);
  }
}
/** Read fixed-width ASCII up to the first NUL. Allocates a string. */
export function readAscii(view: DataView, off: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    const c = view.getUint8(off + i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** Zero `n` bytes at `off` (reserved fields: encoders write every byte of a frame, so a reused
 *  buffer never leaks an older frame's bytes onto the wire). */
export function writeZeros(view: DataView, off: number, n: number): void {
  for (let i = 0; i < n; i++) view.setUint8(off + i, 0);
}
