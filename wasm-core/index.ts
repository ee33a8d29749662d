// The one WebAssembly core. Every export takes the offsets it works on as arguments: the core owns
// no memory of its own (no heap, no data segments, no globals), so any number of instances, in
// worker threads or Web Workers, can share one WebAssembly.Memory.
export {
  ringBytes, ringInit, ringCapacity, ringSize, ringWaitAddress, ringParkedAddress,
  ringPush, ringPushBatch, ringClaim, ringPublish, ringPop, ringPopBatch, ringPeek, ringRelease,
} from "./ring";
export {
  bookBytes, bookInit, bookClear, bookBasePrice, bookLevels, bookOutOfBand, bookLevelCount,
  bookSet, bookAdd, bookReduce, bookLevelQty, bookBestBid, bookBestAsk, bookBestBidQty, bookBestAskQty,
  bookCrossed, bookSnapshot, bookRecenter,
} from "./book";
export * from "./oracle";
export * from "./ofi";
export * from "./entropy";
export * from "./regime";
export * from "./trust-gate";
export * from "./otr-ledger";
export * from "./cost-model";
export * from "./flood-control";
export * from "./nev";
export * from "./trade-rate";
export * from "./seeded-random";
export * from "./queue-position";
export * from "./matching";
export * from "./rtt-watchdog";
export * from "./circuit-breaker";
export * from "./positions";
export * from "./order-table";
export * from "./broker-windows";
export * from "./pre-trade-risk";
export * from "./execution";
export * from "./hot-calls";
export * from "./capture-calls";
export * from "./avellaneda-stoikov";
export * from "./sonar-tick";
export * from "./sim-queue";
export * from "./sim-latency";
export * from "./sim-trace";
export * from "./sim-flow";
export * from "./sim-replay";
export * from "./sim-run";
