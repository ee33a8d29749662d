// Host side of the Sonar (wasm-core/entropy.ts, wasm-core/regime.ts, wasm-core/trust-gate.ts): typed exports, config validation, layout.

/** Core exports of this module. */
export interface SonarExports {}
