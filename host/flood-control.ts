// Host side of the flood controller (wasm-core/flood-control.ts): typed exports, config validation, layout.

/** Core exports of this module. */
export interface FloodControlExports {}
