// The row layout of a top-of-book snapshot, shared by bookSnapshot (book.ts) and matchSnapshot
// (matching.ts): 16 bytes per level, bid price, bid qty, ask price, ask qty (i32 each), best first;
// a missing level is NO_PRICE with quantity 0.

import { NO_PRICE } from "./vocabulary";

/** Writes one side (Side.BUY bid, Side.SELL ask) of a snapshot row. */
@inline export function storeSnapshotLevel(row: usize, side: u32, price: i32, qty: i32): void {
  const at = row + (<usize>side << 3);
  store<i32>(at, price);
  store<i32>(at, qty, 4);
}

/** Writes one side of a row as a missing level. */
@inline export function storeSnapshotGap(row: usize, side: u32): void {
  storeSnapshotLevel(row, side, NO_PRICE, 0);
}
