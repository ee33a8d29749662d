// The capture file (docs/record-replay.md): every call the execution thread makes into the decision core, with
// its arguments and the commands it appended, so `npm run sim -- --capture <file>` can make the same calls on
// the same starting state and compare the commands.
//
// File: a 64-byte header, the validated engine config as JSON (padded to 8 bytes), the execution region's bytes
// at the start, then 64-byte records in the order the execution thread made the calls. Little-endian.
// Header:
//   +0  u8[8] magic "TCCAPT\0\0"   +8 u32 version   +12 u32 state (CaptureState)
//   +16 f64 records written        +24 f64 records dropped (the ring was full)
//   +32 u32 execution region offset in the core's memory   +36 u32 its bytes
//   +40 u32 config JSON bytes      +44 u32 record bytes (64)   +48 f64 start time ns   +56 u32 symbols   +60 u32 0
// Record (a capture-ring slot, written by the execution thread, copied as is):
//   +0 u32 kind (CaptureKind | CaptureFlag)   +4 i32 the call's result   +8 f64 its time ns (NaN: the call takes none)
//   +16 u32 commands the call appended   +20 u32 FNV-1a (32-bit) of their 32-byte records   +24.. the kind's fields
// (CaptureField).

export const CAPTURE_MAGIC = 'TCCAPT\0\0';
export const CAPTURE_VERSION = 1;
export const CAPTURE_HEADER_BYTES = 64;
export const CAPTURE_RECORD_BYTES = 64;
/** Slots of the capture ring (64 bytes each): 4 MiB, seconds of a busy engine's calls; the cool side drains it every 1 ms. */
export const CAPTURE_RING_SLOTS = 65536;

export const CaptureHeader = {
  MAGIC: 0, VERSION: 8, STATE: 12, RECORDS: 16, DROPPED: 24, EXEC_OFFSET: 32, EXEC_BYTES: 36, CONFIG_BYTES: 40,
  RECORD_BYTES: 44, START_NS: 48, SYMBOLS: 56,
} as const;

/** The header's state: RECORDING until the engine ends cleanly (a crash leaves it), then COMPLETE, or
 *  INCOMPLETE when the ring refused records (the replay cannot be exact: it says so and compares nothing). */
export const CaptureState = { RECORDING: 0, COMPLETE: 1, INCOMPLETE: 2 } as const;

/** Flags in the kind word's upper 16 bits. KILL_RACE: the kill word changed while the call ran (the core may
 *  have seen either value; a KILL record follows). */
export const CaptureFlag = { KILL_RACE: 0x10000 } as const;
export const CAPTURE_KIND_MASK = 0xffff;

/** Record kinds: the core call each one repeats. */
export const CaptureKind = {
  QUOTE: 1, // fused execOnBook, as execOnQuote on the values it read (wasm-core/capture-calls.ts)
  MARKET: 2, // modules hotOnMarket
  TRADE: 3, // hotOnTrade
  SYMBOL: 4, // execSetSymbol
  GATE: 5, // execSetGate (Sonar's verdict, applied on the execution thread)
  PARAM: 6, // execSetParam (an operator's parameter, applied on the execution thread)
  KILL: 7, // the kill word as the execution thread found (or stored) it
  RTT: 8, // hotOnRtt (the login's round trip)
  ACK: 9, // hotOnAck
  REJECT: 10, // hotOnReject
  FILL: 11, // hotOnFill
  CANCELED: 12, // hotOnCanceled
  REPLACED: 13, // hotOnReplaced
  PROBE: 14, // hotOnProbe (a TestResponse, a lost probe: RTT −1)
  TIMER: 15, // hotOnTimer
  FLATTEN: 16, // hotFlatten
  RESET: 17, // hotReset
} as const;
export type CaptureKindName = keyof typeof CaptureKind;
export const CAPTURE_KIND_NAMES: Readonly<Record<number, CaptureKindName>> = Object.fromEntries(
  Object.entries(CaptureKind).map(([k, v]) => [v, k as CaptureKindName]),
);

/** Field offsets inside a record. The i32 fields of QUOTE/MARKET/TRADE/SYMBOL/GATE/FLATTEN/KILL/PARAM start at
 *  A; ids and round trips of the reports are f64 at X, Y, Z (ids stay below 2^53, as the protocol's). */
export const CaptureField = {
  KIND: 0, RESULT: 4, TIME: 8, COMMANDS: 16, HASH: 20,
  // i32s
  A: 24, B: 28, C: 32, D: 36, E: 40,
  // f64s
  X: 24, Y: 32, Z: 40, F: 48, G: 56,
} as const;
// QUOTE / MARKET: A index · B bid ticks · C bid qty · D ask ticks · E ask qty · F signal · G fair (QUOTE only)
// TRADE: A index · B price ticks · C qty          SYMBOL: A index · B venue id · C tick paise · D lot
// GATE: A index · B regime · C gate word          PARAM: A key · F value        KILL: A the word's value
// RTT: F rtt ns        ACK: X clOrdId · Y exchOrderId · Z rtt ns        REJECT: X clOrdId · C reason
// FILL: X clOrdId · C price ticks · D qty          CANCELED: X clOrdId          PROBE: X probe id · Y rtt ns
// REPLACED: X orig clOrdId · Y new clOrdId · Z exchOrderId       FLATTEN: A collar ticks       TIMER, RESET: –

/** 32-bit FNV-1a of `n` bytes of `u8` from `at`, continuing from `h` (2166136261 to start). */
export function fnv1a(u8: Uint8Array, at: number, n: number, h = 0x811c9dc5): number {
  for (let k = 0; k < n; k++) h = Math.imul(h ^ u8[at + k]!, 0x01000193);
  return h >>> 0;
}

/** Byte offset of the first record in a file whose config JSON has `configBytes` and execution region `execBytes`. */
export function recordsOffset(configBytes: number, execBytes: number): number {
  return CAPTURE_HEADER_BYTES + Math.ceil(configBytes / 8) * 8 + Math.ceil(execBytes / 8) * 8;
}
