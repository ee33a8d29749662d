// Host side of the NEV (wasm-core/nev.ts): typed exports, config validation, layout.

/** Core exports of this module. */
export interface NevExports {}
