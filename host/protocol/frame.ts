// The frame header every message starts with (docs/protocol.md, "Frame header"), little-endian.
// Bodies start at 16, so a u64 at body offset 0 is 8-byte aligned within the frame. Browser-safe.
import { compileEncoder, record } from './layout.js';

export const PROTOCOL_VERSION = 1;

export const HeaderLayout = record('header', [
  ['length', 'u16'], //  whole frame incl. header; fixed per message type
  ['type', 'u8'], //     MessageType
  ['version', 'u8'], //  PROTOCOL_VERSION
  ['seq', 'u32'], //     OE: per session and direction, from 1; MD: per symbol, 0 = unsequenced
  ['sendNs', 'i64'], //  sender's monotonic clock, ns
]);
export const HEADER_BYTES = HeaderLayout.bytes;

/** Write the header. `length` is the message's fixed size; seq is a u32. */
export const writeHeader = compileEncoder(HeaderLayout, { version: PROTOCOL_VERSION }) as
  (view: DataView, at: number, length: number, type: number, seq: number, sendNs: bigint) => number;

export const {
  length: frameLength,
  type: frameType,
  version: frameVersion,
  seq: frameSeq,
  /** Allocates a BigInt: read it off the hot path (the receiver stamps its own clock at T0/T5). */
  sendNs: frameSendNs,
} = HeaderLayout.get;
