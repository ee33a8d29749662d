// The frame: the 16-byte header every message starts with, and the field encodings messages share
// (docs/protocol.md, "Frame header" and "Field encodings"). Browser-safe: DataView only.
//
// Header, little-endian:
//   0  u16  length   whole frame incl. header; fixed per message type
//   2  u8   type     MessageType
//   3  u8   version  PROTOCOL_VERSION
//   4  u32  seq      OE: per session and direction, from 1; MD: per symbol, 0 = unsequenced
//   8  i64  sendNs   sender's monotonic clock, ns
// Bodies start at 16, so a u64 at body offset 0 is 8-byte aligned within the frame.

export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 16;

/** Header field offsets (names as in the doc's header table). */
export const HeaderLayout = { length: 0, type: 2, version: 3, seq: 4, sendNs: 8, bytes: HEADER_BYTES } as const;

/** Ids (client order id, exchange order id, trade id, session id) are u64 on the wire and `number`
 *  here: values up to 2^53 − 1 stay exact, and reading them allocates no BigInt. Larger values are
 *  refused by validation (BAD_FIELD). */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
/** An id's high u32 may not exceed this (2^53 − 1 = 0x1FFFFF_FFFFFFFF). */
export const MAX_ID_HIGH = 0x1fffff;
const TWO_32 = 4294967296;

/** Write the header. `length` is the message's fixed size; seq is a u32. */
export function writeHeader(view: DataView, at: number, length: number, type: number, seq: number, sendNs: bigint): void {
  view.setUint16(at, length, true);
  view.setUint8(at + 2, type);
  view.setUint8(at + 3, PROTOCOL_VERSION);
  view.setUint32(at + 4, seq, true);
  view.setBigInt64(at + 8, sendNs, true);
}

export function frameLength(view: DataView, at: number): number {
  return view.getUint16(at, true);
}
export function frameType(view: DataView, at: number): number {
  return view.getUint8(at + 2);
}
export function frameVersion(view: DataView, at: number): number {
  return view.getUint8(at + 3);
}
export function frameSeq(view: DataView, at: number): number {
  return view.getUint32(at + 4, true);
}
/** Allocates a BigInt: read it off the hot path (the receiver stamps its own clock at T0/T5). */
export function frameSendNs(view: DataView, at: number): bigint {
  return view.getBigInt64(at + 8, true);
}

/** Write an id (0 ≤ id ≤ MAX_ID) as a little-endian u64 at byte `off`, as two u32 stores. */
export function writeId(view: DataView, off: number, id: number): void {
  view.setUint32(off, id >>> 0, true);
  view.setUint32(off + 4, Math.floor(id / TWO_32), true);
}
/** Read a u64 id as a number; exact when validation passed (high word ≤ MAX_ID_HIGH). */
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
