// Host side of the cost model (wasm-core/cost-model.ts): typed exports, config validation, layout.

/** Core exports of this module. */
export interface CostModelExports {}
