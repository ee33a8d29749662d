// Host side of the Oracle (wasm-core/oracle.ts, wasm-core/ofi.ts): typed exports, config validation, layout.

/** Core exports of this module. */
export interface OracleExports {}
