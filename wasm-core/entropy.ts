// Market entropy: normalised Shannon entropy of mid-change signs and permutation entropy of mids.
//
// Fed one mid per book event. Shannon: the last W symbols of sign(mid − previous mid) in {−, 0, +},
// H = −Σ pᵢ ln pᵢ / ln 3. Permutation (Bandt & Pompe 2002): the W − d + 1 windows of d consecutive
// mids among the last W, each mapped to one of d! ordinal patterns (equal mids ranked by position,
// earlier first), H = −Σ p ln p / ln d!. Both lie in [0, 1].
//
// Everything is incremental: a push adds the newest symbol and pattern and removes the ones leaving
// their windows (circular buffers below), so a push costs O(d²) for the pattern plus a few table
// loads, never a re-scan. With counts cᵢ over n items, −Σ p ln p = ln n − (Σ cᵢ ln cᵢ)/n; the sum
// is kept as a running total of cᵢ ln cᵢ rounded to fixed point (× 2³⁷, i64), so the updates are
// exact integer additions: no drift however long it runs, and the total is always the rounded sum
// of the current counts (error ≤ 2⁻³⁸ per non-zero count). 2³⁷ keeps the largest total,
// 4096 ln 4096 · 2³⁷ ≈ 4.7e15, below 2⁵³ so its conversion to f64 is exact. c ln c for every
// possible count (0..W) is tabulated in the state at init: a push would otherwise take up to eight
// Math.log calls, about three times the cost of the whole push with the table.
//
// Until a window is full its entropy is 1.0 (maximal uncertainty): a handful of samples gives a low,
// noisy entropy that would let the regime enter Attack on nothing, while 1.0 keeps it in Veto.
// Shannon is full after W + 1 mids (W signs), permutation after W mids.
//
// Layout at `state` (8-byte aligned; host-given):
//   +0   window W u32 · +4 order d u32 · +8 source u32 (0 Shannon, 1 permutation)
//   +12  patterns P = W − d + 1 u32 (windows of d mids inside W mids)
//   +16  pushed u64          mids accepted since init or reset
//   +24  regFill u32         mids held in the shift register (≤ d)
//   +28  signHeld u32 · +32 signPos u32       symbols in the sign ring (≤ W); next slot (the oldest once full)
//   +36  patHeld u32 · +40 patPos u32         patterns in the pattern ring (≤ P); next slot
//   +44  signDistinct u32 · +48 patDistinct u32   symbols / patterns with a non-zero count
//   +52  patRing offset u32 (from state; written by init and reset, so a push never recomputes d!)
//   +56  signSum i64 · +64 patSum i64         Σ c ln c over the counts, fixed point × 2³⁷
//   +72  shannon f64 · +80 permutation f64    entropies after the last push
//   +88  ln W f64 · +96 ln P f64 · +104 1/ln 3 f64 · +112 1/ln d! f64
//   +120 signRing offset u32 · +124 cLogC offset u32 (from state, written by init and reset)
//   +128 mids f64[8]         shift register of the last d mids, oldest first
//   +192 signCounts u16[3]   counts of −, 0, + in the sign window
//   +208 patCounts u16[d!]   counts per Lehmer-code pattern index (counts ≤ W ≤ 4096)
//        patRing u16[P]      pattern index of each window, circular
//        signRing u8[W]      sign symbol of each change, circular
//        cLogC i64[W + 1]    round(c ln c · 2³⁷) for c = 0..W (8-byte aligned), written by init only
//        (each array from +208 on padded to a multiple of 8 bytes)

/** Status codes of entropyInit. */
export namespace EntropyStatus {
  export const OK: i32 = 0;
  /** entropyInit: window outside [order + 1, 4096]. */
  export const BAD_WINDOW: i32 = -1;
  /** entropyInit: order outside [3, 6]. */
  export const BAD_ORDER: i32 = -2;
  /** entropyInit: source neither 0 (Shannon) nor 1 (permutation). */
  export const BAD_SOURCE: i32 = -3;
  /** entropyInit: state not 8-byte aligned. */
  export const MISALIGNED: i32 = -4;
}

/** entropyPush's answers other than a score. */
export namespace EntropyScore {
  /** The mid is not finite; nothing changed. Negative, so never a score (scores are in [0, 1]). */
  export const BAD_MID: f64 = -1.0;
}

const SOURCE_PERMUTATION: u32 = 1;
const MIN_ORDER: u32 = 3;
const MAX_ORDER: u32 = 6;
const MAX_WINDOW: u32 = 4096;
const FIX_SCALE: f64 = 137438953472.0; // 2^37
const INV_FIX_SCALE: f64 = 1.0 / 137438953472.0;

const WINDOW: usize = 0;
const ORDER: usize = 4;
const SOURCE: usize = 8;
const PATTERNS: usize = 12;
const PUSHED: usize = 16;
const REG_FILL: usize = 24;
const SIGN_HELD: usize = 28;
const SIGN_POS: usize = 32;
const PAT_HELD: usize = 36;
const PAT_POS: usize = 40;
const SIGN_DISTINCT: usize = 44;
const PAT_DISTINCT: usize = 48;
const PAT_RING_AT: usize = 52;
const SIGN_SUM: usize = 56;
const PAT_SUM: usize = 64;
const SHANNON: usize = 72;
const PERMUTATION: usize = 80;
const LN_W: usize = 88;
const LN_P: usize = 96;
const INV_LN_SIGNS: usize = 104;
const INV_LN_PATTERNS: usize = 112;
const SIGN_RING_AT: usize = 120;
const C_LOG_C_AT: usize = 124;
const MIDS: usize = 128;
const SIGN_COUNTS: usize = 192;
const PAT_COUNTS: usize = 208;

@inline function factorial(n: u32): u32 {
  let f: u32 = 1;
  for (let i: u32 = 2; i <= n; i++) f *= i;
  return f;
}

@inline function align8(n: usize): usize {
  return (n + 7) & ~<usize>7;
}

// The arrays' offsets from the shape, computed once by storeOffsets; a push reads them from the header.
@inline function patRingOffset(order: u32): usize {
  return PAT_COUNTS + align8(<usize>factorial(order) << 1);
}

@inline function signRingOffset(order: u32, patterns: u32): usize {
  return patRingOffset(order) + align8(<usize>patterns << 1);
}

@inline function cLogCOffset(order: u32, patterns: u32, window: u32): usize {
  return signRingOffset(order, patterns) + align8(<usize>window);
}

function storeOffsets(state: usize): void {
  const order = load<u32>(state + ORDER);
  const patterns = load<u32>(state + PATTERNS);
  store<u32>(state + PAT_RING_AT, <u32>patRingOffset(order));
  store<u32>(state + SIGN_RING_AT, <u32>signRingOffset(order, patterns));
  store<u32>(state + C_LOG_C_AT, <u32>cLogCOffset(order, patterns, load<u32>(state + WINDOW)));
}

@inline function patRing(state: usize): usize {
  return state + <usize>load<u32>(state + PAT_RING_AT);
}

@inline function signRing(state: usize): usize {
  return state + <usize>load<u32>(state + SIGN_RING_AT);
}

@inline function cLogCTable(state: usize): usize {
  return state + <usize>load<u32>(state + C_LOG_C_AT);
}

@inline function validShape(window: u32, order: u32): bool {
  return order >= MIN_ORDER && order <= MAX_ORDER && window >= order + 1 && window <= MAX_WINDOW;
}

/** Bytes the entropy state for `window` mids at `order` occupies, rounded to a cache line; 0 for a shape entropyInit refuses. */
export function entropyBytes(window: u32, order: u32): usize {
  if (!validShape(window, order)) return 0;
  const raw = PAT_COUNTS + align8(<usize>factorial(order) << 1) + align8(<usize>(window - order + 1) << 1)
    + align8(<usize>window) + ((<usize>window + 1) << 3);
  return (raw + 63) & ~<usize>63;
}

/** Empties both windows and sets the shape (window in [order + 1, 4096], order in [3, 6]) and the source (0 Shannon, 1 permutation). */
export function entropyInit(state: usize, window: u32, order: u32, source: u32): i32 {
  if (order < MIN_ORDER || order > MAX_ORDER) return EntropyStatus.BAD_ORDER;
  if (!validShape(window, order)) return EntropyStatus.BAD_WINDOW;
  if (source > SOURCE_PERMUTATION) return EntropyStatus.BAD_SOURCE;
  if ((state & 7) != 0) return EntropyStatus.MISALIGNED;
  memory.fill(state, 0, entropyBytes(window, order));
  const patterns = window - order + 1;
  store<u32>(state + WINDOW, window);
  store<u32>(state + ORDER, order);
  store<u32>(state + SOURCE, source);
  store<u32>(state + PATTERNS, patterns);
  store<f64>(state + SHANNON, 1.0);
  store<f64>(state + PERMUTATION, 1.0);
  store<f64>(state + LN_W, Math.log(<f64>window));
  store<f64>(state + LN_P, Math.log(<f64>patterns));
  store<f64>(state + INV_LN_SIGNS, 1.0 / Math.log(3.0));
  store<f64>(state + INV_LN_PATTERNS, 1.0 / Math.log(<f64>factorial(order)));
  storeOffsets(state);
  const table = cLogCTable(state);
  for (let c: u32 = 2; c <= window; c++) {
    store<i64>(table + (<usize>c << 3), <i64>nearest<f64>(<f64>c * Math.log(<f64>c) * FIX_SCALE));
  }
  return 0;
}

/** Forgets every mid (after a feed gap or resync), keeping window, order and source. */
export function entropyReset(state: usize): void {
  const table = cLogCTable(state);
  memory.fill(state + PUSHED, 0, SHANNON - PUSHED);
  store<f64>(state + SHANNON, 1.0);
  store<f64>(state + PERMUTATION, 1.0);
  memory.fill(state + MIDS, 0, table - (state + MIDS));
  storeOffsets(state);
}

// ── counts ───────────────────────────────────────────────────────────────────────────────────────

@inline function countAdd(state: usize, countAt: usize, sumAt: usize, distinctAt: usize): void {
  const c = <u32>load<u16>(countAt);
  store<u16>(countAt, <u16>(c + 1));
  const t = cLogCTable(state) + (<usize>c << 3);
  store<i64>(state + sumAt, load<i64>(state + sumAt) + (load<i64>(t, 8) - load<i64>(t)));
  if (c == 0) store<u32>(state + distinctAt, load<u32>(state + distinctAt) + 1);
}

@inline function countRemove(state: usize, countAt: usize, sumAt: usize, distinctAt: usize): void {
  const c = <u32>load<u16>(countAt);
  store<u16>(countAt, <u16>(c - 1));
  const t = cLogCTable(state) + (<usize>c << 3);
  store<i64>(state + sumAt, load<i64>(state + sumAt) + (load<i64>(t - 8) - load<i64>(t)));
  if (c == 1) store<u32>(state + distinctAt, load<u32>(state + distinctAt) - 1);
}

/** Normalised entropy of `n` items from their running Σ c ln c; 1.0 until the window holds `n`. */
@inline function normalised(held: u32, n: u32, distinct: u32, sum: i64, lnN: f64, invLnK: f64): f64 {
  if (held < n) return 1.0;
  // One symbol only: exactly 0, not the rounding residue of ln n − n ln n / n.
  if (distinct <= 1) return 0.0;
  const h = (lnN - <f64>sum * INV_FIX_SCALE / <f64>n) * invLnK;
  return h < 0.0 ? 0.0 : h > 1.0 ? 1.0 : h;
}

/** Appends a sign symbol (0 −, 1 zero, 2 +) to the sign window, dropping the oldest once full. */
@inline function slideSign(state: usize, sym: u32): void {
  const ring = signRing(state);
  const window = load<u32>(state + WINDOW);
  const pos = load<u32>(state + SIGN_POS);
  const held = load<u32>(state + SIGN_HELD);
  const slot = ring + <usize>pos;
  const counts = state + SIGN_COUNTS;
  if (held == window) {
    const leaving = <u32>load<u8>(slot);
    if (leaving != sym) {
      countRemove(state, counts + (<usize>leaving << 1), SIGN_SUM, SIGN_DISTINCT);
      countAdd(state, counts + (<usize>sym << 1), SIGN_SUM, SIGN_DISTINCT);
    }
  } else {
    store<u32>(state + SIGN_HELD, held + 1);
    countAdd(state, counts + (<usize>sym << 1), SIGN_SUM, SIGN_DISTINCT);
  }
  store<u8>(slot, <u8>sym);
  store<u32>(state + SIGN_POS, pos + 1 == window ? 0 : pos + 1);
}

/** Appends a pattern index to the pattern window, dropping the oldest once full. */
@inline function slidePattern(state: usize, pattern: u32): void {
  const ring = patRing(state);
  const patterns = load<u32>(state + PATTERNS);
  const pos = load<u32>(state + PAT_POS);
  const held = load<u32>(state + PAT_HELD);
  const slot = ring + (<usize>pos << 1);
  const counts = state + PAT_COUNTS;
  if (held == patterns) {
    const leaving = <u32>load<u16>(slot);
    if (leaving != pattern) {
      countRemove(state, counts + (<usize>leaving << 1), PAT_SUM, PAT_DISTINCT);
      countAdd(state, counts + (<usize>pattern << 1), PAT_SUM, PAT_DISTINCT);
    }
  } else {
    store<u32>(state + PAT_HELD, held + 1);
    countAdd(state, counts + (<usize>pattern << 1), PAT_SUM, PAT_DISTINCT);
  }
  store<u16>(slot, <u16>pattern);
  store<u32>(state + PAT_POS, pos + 1 == patterns ? 0 : pos + 1);
}

/**
 * Lehmer code of the ordinal pattern of the d mids at `reg`, in [0, d!). Lᵢ counts the later mids
 * that rank below mid i; a later equal mid ranks above (ties by position), so only strict < counts.
 * Horner form of Σ Lᵢ (d − 1 − i)!.
 */
@inline function lehmer(reg: usize, d: u32): u32 {
  let index: u32 = 0;
  for (let i: u32 = 0; i < d; i++) {
    const xi = load<f64>(reg + (<usize>i << 3));
    let below: u32 = 0;
    for (let j: u32 = i + 1; j < d; j++) {
      if (load<f64>(reg + (<usize>j << 3)) < xi) below++;
    }
    index = index * (d - i) + below;
  }
  return index;
}

/**
 * Takes one mid (ticks; half-ticks are fine, mids are compared exactly) and returns the configured
 * score in [0, 1] (1.0 until that window is full), or −1 when the mid is not finite (nothing changed).
 */
export function entropyPush(state: usize, midTicks: f64): f64 {
  if (!isFinite<f64>(midTicks)) return EntropyScore.BAD_MID;
  const d = load<u32>(state + ORDER);
  const reg = state + MIDS;
  let fill = load<u32>(state + REG_FILL);
  if (fill > 0) {
    const prev = load<f64>(reg + (<usize>(fill - 1) << 3));
    slideSign(state, midTicks > prev ? 2 : midTicks < prev ? 0 : 1);
  }
  if (fill < d) {
    store<f64>(reg + (<usize>fill << 3), midTicks);
    store<u32>(state + REG_FILL, ++fill);
  } else {
    // Word moves, not memory.copy: on a shared memory that is a runtime call, dearer than the d − 1 moves.
    const last = reg + (<usize>(d - 1) << 3);
    for (let at = reg; at < last; at += 8) store<f64>(at, load<f64>(at, 8));
    store<f64>(last, midTicks);
  }
  if (fill == d) slidePattern(state, lehmer(reg, d));
  store<u64>(state + PUSHED, load<u64>(state + PUSHED) + 1);

  const shannon = normalised(
    load<u32>(state + SIGN_HELD), load<u32>(state + WINDOW), load<u32>(state + SIGN_DISTINCT),
    load<i64>(state + SIGN_SUM), load<f64>(state + LN_W), load<f64>(state + INV_LN_SIGNS));
  const permutation = normalised(
    load<u32>(state + PAT_HELD), load<u32>(state + PATTERNS), load<u32>(state + PAT_DISTINCT),
    load<i64>(state + PAT_SUM), load<f64>(state + LN_P), load<f64>(state + INV_LN_PATTERNS));
  store<f64>(state + SHANNON, shannon);
  store<f64>(state + PERMUTATION, permutation);
  return load<u32>(state + SOURCE) == SOURCE_PERMUTATION ? permutation : shannon;
}

/** Normalised Shannon entropy of the last W mid-change signs (1.0 until W signs are held). */
export function entropyShannon(state: usize): f64 {
  return load<f64>(state + SHANNON);
}

/** Normalised permutation entropy of the last W mids (1.0 until W mids are held). */
export function entropyPermutation(state: usize): f64 {
  return load<f64>(state + PERMUTATION);
}

/** The entropy the regime runs on, per the configured source. */
export function entropyScore(state: usize): f64 {
  return load<u32>(state + SOURCE) == SOURCE_PERMUTATION ? load<f64>(state + PERMUTATION) : load<f64>(state + SHANNON);
}

/** Mids accepted since init or reset. */
export function entropyCount(state: usize): u64 {
  return load<u64>(state + PUSHED);
}
