// Two-level bitmap over the price slots of a band: one bit per tick (set = the level holds
// quantity) and one summary bit per 64-tick word (set = the word is non-zero). Finding the next
// non-empty level after the best empties costs a few clz/ctz instructions instead of a walk over
// empty prices. Shared by the L2 book (book.ts) and matching (matching.ts).
//
// `bits` holds levels/64 u64 words; `sum` holds max(1, levels/4096) u64 words.

/** Summary words for a band of `levels` ticks. */
@inline export function summaryWords(levels: u32): u32 {
  const words = levels >> 6;
  return words < 64 ? 1 : words >> 6;
}

/** Highest set bit at index ≤ from, or −1. */
export function highestAtOrBelow(bits: usize, sum: usize, from: i32): i32 {
  if (from < 0) return -1;
  let w = from >> 6;
  let word = load<u64>(bits + (<usize>w << 3)) & (<u64>-1 >> <u64>(63 - (from & 63)));
  if (word != 0) return (w << 6) + 63 - <i32>clz<u64>(word);
  const sw = w - 1;
  if (sw < 0) return -1;
  let s = sw >> 6;
  let sword = load<u64>(sum + (<usize>s << 3)) & (<u64>-1 >> <u64>(63 - (sw & 63)));
  while (true) {
    if (sword != 0) {
      w = (s << 6) + 63 - <i32>clz<u64>(sword);
      word = load<u64>(bits + (<usize>w << 3));
      return (w << 6) + 63 - <i32>clz<u64>(word);
    }
    if (--s < 0) return -1;
    sword = load<u64>(sum + (<usize>s << 3));
  }
}

/** Lowest set bit at index ≥ from in a band of `levels`, or −1. */
export function lowestAtOrAbove(bits: usize, sum: usize, from: i32, levels: i32): i32 {
  if (from >= levels) return -1;
  const words = levels >> 6;
  let w = from >> 6;
  let word = load<u64>(bits + (<usize>w << 3)) & (<u64>-1 << <u64>(from & 63));
  if (word != 0) return (w << 6) + <i32>ctz<u64>(word);
  const sw = w + 1;
  if (sw >= words) return -1;
  const swords = words < 64 ? 1 : words >> 6;
  let s = sw >> 6;
  let sword = load<u64>(sum + (<usize>s << 3)) & (<u64>-1 << <u64>(sw & 63));
  while (true) {
    if (sword != 0) {
      w = (s << 6) + <i32>ctz<u64>(sword);
      word = load<u64>(bits + (<usize>w << 3));
      return (w << 6) + <i32>ctz<u64>(word);
    }
    if (++s >= swords) return -1;
    sword = load<u64>(sum + (<usize>s << 3));
  }
}

/** Sets the bit of level `idx` (and its word's summary bit). */
@inline export function bitmapSet(bits: usize, sum: usize, idx: i32): void {
  const w = idx >> 6;
  const p = bits + (<usize>w << 3);
  const before = load<u64>(p);
  store<u64>(p, before | (<u64>1 << <u64>(idx & 63)));
  if (before == 0) {
    const sp = sum + (<usize>(w >> 6) << 3);
    store<u64>(sp, load<u64>(sp) | (<u64>1 << <u64>(w & 63)));
  }
}

/** Clears the bit of level `idx` (and its word's summary bit when the word empties). */
@inline export function bitmapClear(bits: usize, sum: usize, idx: i32): void {
  const w = idx >> 6;
  const p = bits + (<usize>w << 3);
  const after = load<u64>(p) & ~(<u64>1 << <u64>(idx & 63));
  store<u64>(p, after);
  if (after == 0) {
    const sp = sum + (<usize>(w >> 6) << 3);
    store<u64>(sp, load<u64>(sp) & ~(<u64>1 << <u64>(w & 63)));
  }
}
