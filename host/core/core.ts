// The WebAssembly core as the host sees it: its exports, typed, and its constants. Browser-safe (no
// Node imports): the playground's Web Workers instantiate the core through this same file.
import type { OracleExports } from '../modules/oracle.js';
import type { SonarExports } from '../modules/sonar.js';
import type { OtrLedgerExports } from '../modules/otr-ledger.js';
import type { CostModelExports } from '../modules/cost-model.js';
import type { FloodControlExports } from '../modules/flood-control.js';
import type { NevExports } from '../modules/nev.js';
import type { TradeRateExports } from '../modules/trade-rate.js';
import type { MatchingExports } from '../venue/market/matching.js';

/** Sides of a book. */
export const BID = 0;
export const ASK = 1;
/** Price of a missing level in book answers and snapshots. */
export const NO_PRICE = -2147483648;
/** Bytes per ring slot (one message). */
export const SLOT_BYTES = 64;
/** Bytes per row of a book snapshot: bid price, bid qty, ask price, ask qty (i32 each). */
export const SNAPSHOT_ROW_BYTES = 16;

export const RingStatus = { OK: 0, BAD_SLOTS: -1, MISALIGNED: -2 } as const;
export const BookStatus = {
  OK: 0, OUT_OF_BAND: -1, BAD_QTY: -2, BAD_SIDE: -3, BAD_LEVELS: -4, MISALIGNED: -5, OVERFLOW: -6, CLAMPED: 1,
} as const;

export interface CoreExports extends
  OracleExports, SonarExports, OtrLedgerExports, CostModelExports, FloodControlExports, NevExports, TradeRateExports,
  MatchingExports {
  readonly memory: WebAssembly.Memory;
  ringBytes(slots: number): number;
  ringInit(base: number, slots: number): number;
  ringCapacity(base: number): number;
  ringSize(base: number): number;
  ringWaitAddress(base: number): number;
  ringParkedAddress(base: number): number;
  ringPush(base: number, src: number): number;
  ringPushBatch(base: number, src: number, count: number): number;
  ringClaim(base: number): number;
  ringPublish(base: number): void;
  ringPop(base: number, dst: number): number;
  ringPopBatch(base: number, dst: number, max: number): number;
  ringPeek(base: number): number;
  ringRelease(base: number): void;
  bookBytes(levels: number): number;
  bookInit(base: number, levels: number, basePrice: number): number;
  bookClear(base: number): void;
  bookBasePrice(base: number): number;
  bookLevels(base: number): number;
  bookOutOfBand(base: number): number;
  bookLevelCount(base: number, side: number): number;
  bookSet(base: number, side: number, price: number, qty: number): number;
  bookAdd(base: number, side: number, price: number, qty: number): number;
  bookReduce(base: number, side: number, price: number, qty: number): number;
  bookLevelQty(base: number, side: number, price: number): number;
  bookBestBid(base: number): number;
  bookBestAsk(base: number): number;
  bookBestBidQty(base: number): number;
  bookBestAskQty(base: number): number;
  bookCrossed(base: number): number;
  bookSnapshot(base: number, dst: number, depth: number): number;
  bookRecenter(base: number, newBasePrice: number): number;
}

/** Instantiates the compiled core over `memory` (synchronous: the module is already compiled). */
export function instantiateCore(module: WebAssembly.Module, memory: WebAssembly.Memory): CoreExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as CoreExports;
}

/** A shared memory of exactly `bytes` (rounded up to 64 KiB pages) that never grows. */
export function createSharedMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.ceil(bytes / 65536);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}
