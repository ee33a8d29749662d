// The decision-trace hash: 64-bit FNV-1a over every order command the core emitted in a simulation, so two
// runs (Node and browser, or a replay against the live engine's commands) agree exactly when they decided
// the same orders at the same virtual times. Each command feeds, in this order and little-endian:
// virtual time i64 (ns), command type u8 (ExecCommand), clOrdId u64, symbol index u16, side u8,
// price i32 (ticks), qty i32: 28 bytes. FNV-1a 64: h = 0xcbf29ce484222325; per byte h = (h ^ b) × 0x100000001b3.
//
// Layout at `t` (8-byte aligned), 16 bytes: +0 hash u64 · +8 commands hashed u64

const OFFSET_BASIS: u64 = 0xcbf29ce484222325;
const PRIME: u64 = 0x100000001b3;

export function simTraceBytes(): usize {
  return 16;
}

export function simTraceInit(t: usize): void {
  store<u64>(t, OFFSET_BASIS);
  store<u64>(t + 8, 0);
}

@inline function mix(h: u64, v: u64, bytes: i32): u64 {
  let x = h;
  for (let k = 0; k < bytes; k++) {
    x = (x ^ ((v >> (<u64>k << 3)) & 0xff)) * PRIME;
  }
  return x;
}

/** Feeds one command into the hash. */
export function simTraceCommand(t: usize, timeNs: i64, type: i32, clOrdId: u64, symbol: i32, side: i32, price: i32, qty: i32): void {
  let h = load<u64>(t);
  h = mix(h, <u64>timeNs, 8);
  h = mix(h, <u64>type, 1);
  h = mix(h, clOrdId, 8);
  h = mix(h, <u64>symbol, 2);
  h = mix(h, <u64>side, 1);
  h = mix(h, <u64><u32>price, 4);
  h = mix(h, <u64><u32>qty, 4);
  store<u64>(t, h);
  store<u64>(t + 8, load<u64>(t + 8) + 1);
}

/** The hash so far. */
export function simTraceHash(t: usize): u64 {
  return load<u64>(t);
}

/** Commands hashed so far. */
export function simTraceCount(t: usize): u64 {
  return load<u64>(t + 8);
}
