// Host side of the OTR ledger (wasm-core/otr-ledger.ts): typed exports, config validation, layout.

/** Core exports of this module. */
export interface OtrLedgerExports {}
