// The WebAssembly core as the host sees it: its exports, typed, and its constants. Browser-safe (no
// Node imports): the playground's Web Workers instantiate the core through this same file.
//
// The export types are generated: `asc --bindings raw` (asconfig.json) writes build/core.d.ts from
// wasm-core/, every export with its parameters (i64 as bigint). Only its types are used: the core
// is instantiated raw below, not through the generated JS glue, which wraps u32 results in `>>> 0`
// and instantiates asynchronously.
import type { instantiate } from '../../build/core.js';
import { BookStatus, RingStatus } from '../../build/core-constants.js';
export { BookStatus, RingStatus };

/** Every export of the core, as build/core.d.ts types it. */
export type CoreExports = Awaited<ReturnType<typeof instantiate>>;

/** Bytes per ring slot (one message). */
export const SLOT_BYTES = 64;
/** Bytes per row of a book snapshot: bid price, bid qty, ask price, ask qty (i32 each). */
export const SNAPSHOT_ROW_BYTES = 16;

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
