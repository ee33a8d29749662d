// Status codes of the Oracle (wasm-core/oracle.ts) and its OFI block (wasm-core/ofi.ts), shared so the
// two files cannot drift apart. Imported by those files only, never re-exported by index.ts: exported
// from here they stay compile-time constants, not wasm globals. The host gets them through
// build/core-constants.ts (wasm-core/host-constants.mjs).

/** Status codes of oracle* and ofi*. */
export namespace OracleStatus {
  export const OK: i32 = 0;
  /** levels outside [1, 64]. */
  export const BAD_LEVELS: i32 = -1;
  /** lambda NaN or < 0. */
  export const BAD_LAMBDA: i32 = -2;
  /** ofiWindow outside [1, 4096]. */
  export const BAD_OFI_WINDOW: i32 = -3;
  /** zWindow outside [1, 4096]. */
  export const BAD_Z_WINDOW: i32 = -4;
  /** A signal weight that is NaN or infinite. */
  export const BAD_WEIGHT: i32 = -5;
  /** State offset not 8-byte aligned. */
  export const MISALIGNED: i32 = -6;
  /** State never initialised (oracleInit / ofiInit not called, or called with bad arguments). */
  export const UNINITIALISED: i32 = -7;
  /** The book offset does not hold an initialised book (misaligned, or its level count is not a power of two in [64, 2^20]). */
  export const BAD_BOOK: i32 = -8;
  /** ofiOnTop given a negative quantity. */
  export const BAD_QTY: i32 = -9;
}

export const MAX_DEPTH: u32 = 64;
export const MAX_WINDOW: u32 = 4096;
