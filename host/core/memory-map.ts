// The memory map: the one place that decides where every ring, book and per-worker scratch area
// lives in the engine's shared WebAssembly.Memory. The core never picks an address; every core
// call receives the offsets planned here.
import { ConfigError } from '../config/config-error.js';
import { integerIn, nonEmptyString } from '../config/validate.js';

export interface RingPlan { readonly name: string; readonly slots: number }
export interface BookPlan { readonly symbol: string; readonly levels: number }
export interface ScratchPlan { readonly worker: string; readonly bytes: number }
/** A module's state block (oracle per symbol, ledger, gate...), sized by the core's own `*Bytes` function. */
export interface StatePlan { readonly name: string; readonly bytes: number }

export interface MemoryMapConfig {
  readonly rings?: readonly RingPlan[];
  readonly books?: readonly BookPlan[];
  readonly scratch?: readonly ScratchPlan[];
  readonly states?: readonly StatePlan[];
}

export interface Region { readonly offset: number; readonly bytes: number }
export interface RingRegion extends Region { readonly slots: number }
export interface BookRegion extends Region { readonly levels: number }

export interface MemoryMap {
  readonly rings: Readonly<Record<string, RingRegion>>;
  readonly books: Readonly<Record<string, BookRegion>>;
  readonly scratch: Readonly<Record<string, Region>>;
  readonly states: Readonly<Record<string, Region>>;
  /** Bytes the memory must have: the end of the last region, rounded up to whole 64 KiB pages. */
  readonly totalBytes: number;
  readonly pages: number;
}

/** Sizes come from the core itself so the layout of a ring or book is defined in one place. */
export interface RegionSizes {
  ringBytes(slots: number): number;
  bookBytes(levels: number): number;
}

/** Regions start on a cache line so no two regions share one. */
export const ALIGN = 64;
/** The first 64 KiB stay unused: a stray write through a null or small offset lands nowhere. */
export const RESERVED_LOW_BYTES = 65536;
export const MAX_RING_SLOTS = 1 << 24;
export const MAX_BOOK_LEVELS = 1 << 20;
export const MIN_BOOK_LEVELS = 64;
/** Memory limit of 32-bit wasm minus one page. */
export const MAX_MEMORY_BYTES = 65535 * 65536;

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
const alignUp = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

function checkName(key: string, name: unknown, seen: Set<string>): string {
  const text = nonEmptyString(key, name);
  if (seen.has(text)) throw new ConfigError(key, 'unique', text);
  seen.add(text);
  return text;
}

export function planMemory(config: MemoryMapConfig, sizes: RegionSizes): MemoryMap {
  let cursor = RESERVED_LOW_BYTES;
  const take = (bytes: number): number => {
    const offset = cursor;
    cursor = alignUp(cursor + bytes);
    return offset;
  };

  const rings: Record<string, RingRegion> = {};
  const ringNames = new Set<string>();
  (config.rings ?? []).forEach((r, i) => {
    const name = checkName(`rings[${i}].name`, r.name, ringNames);
    if (!isPowerOfTwo(r.slots) || r.slots < 2 || r.slots > MAX_RING_SLOTS) {
      throw new ConfigError(`rings[${i}].slots`, `a power of two in [2, ${MAX_RING_SLOTS}]`, r.slots);
    }
    const bytes = sizes.ringBytes(r.slots);
    rings[name] = { offset: take(bytes), bytes, slots: r.slots };
  });

  const books: Record<string, BookRegion> = {};
  const symbols = new Set<string>();
  (config.books ?? []).forEach((b, i) => {
    const symbol = checkName(`books[${i}].symbol`, b.symbol, symbols);
    if (!isPowerOfTwo(b.levels) || b.levels < MIN_BOOK_LEVELS || b.levels > MAX_BOOK_LEVELS) {
      throw new ConfigError(`books[${i}].levels`, `a power of two in [${MIN_BOOK_LEVELS}, ${MAX_BOOK_LEVELS}]`, b.levels);
    }
    const bytes = sizes.bookBytes(b.levels);
    books[symbol] = { offset: take(bytes), bytes, levels: b.levels };
  });

  const scratch: Record<string, Region> = {};
  const workers = new Set<string>();
  (config.scratch ?? []).forEach((s, i) => {
    const worker = checkName(`scratch[${i}].worker`, s.worker, workers);
    integerIn(`scratch[${i}].bytes`, s.bytes, ALIGN, MAX_MEMORY_BYTES);
    scratch[worker] = { offset: take(s.bytes), bytes: s.bytes };
  });

  const states: Record<string, Region> = {};
  const stateNames = new Set<string>();
  (config.states ?? []).forEach((s, i) => {
    const name = checkName(`states[${i}].name`, s.name, stateNames);
    integerIn(`states[${i}].bytes`, s.bytes, 1, MAX_MEMORY_BYTES);
    states[name] = { offset: take(s.bytes), bytes: s.bytes };
  });

  const pages = Math.ceil(cursor / 65536);
  const totalBytes = pages * 65536;
  if (totalBytes > MAX_MEMORY_BYTES) {
    throw new ConfigError('memory', `at most ${MAX_MEMORY_BYTES} bytes in total`, totalBytes);
  }
  return { rings, books, scratch, states, totalBytes, pages };
}
