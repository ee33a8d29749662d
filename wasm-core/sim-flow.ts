// Synthetic order flow for one symbol of the simulated venue: the ideas of the live venue's flow
// (host/venue/market/synthetic-flow.ts) in the core, on the core's seeded generator. A random-walk fair
// value; passive GTC limits 1..depth ticks behind it; cancels of random resting flow orders; marketable
// IOCs that eat stale quotes back to the fair value. Our orders meet this flow in the matching engine's
// price-time queue, exactly as at the venue.
//
// Noise takers: a share (flowSetNoiseTakers) of the marketable orders come from liquidity traders who know
// nothing of the fair value: a random side, priced at the touch (they take the best quote's level, no
// further), whatever the fair value says. The rest are the informed takers above, who eat stale quotes (and take a random side at the
// touch when no quote is stale: then they know no more than anyone). Without noise takers every
// fill of a passive quote is either a pick-off of a stale quote or a coin-flip fill while the fair value sits
// inside the spread, so a passive quoter can earn at most what the pick-offs leave; with them it earns the
// half-spread from flow whose side does not depend on where the value is going (Glosten–Milgrom 1985, Kyle
// 1985: market makers' gains from the uninformed pay for their losses to the informed).
//
// The information knob `info` ≥ 0: a hidden drift d (an AR(1) of unit variance whose memory halves every
// second of events) moves the fair value and tilts where passive orders rest:
//     fair += step·z + info·(σ/rate)·d      (step = σ/√rate ticks per event: info·σ·d ticks a second)
//     P(a passive order is a bid) = ½ + ½·clamp(info·d, −1, 1)
// so the book's imbalance leads the fair value's next moves by as much as `info` says. info = 0: sides are
// even and the fair value a pure random walk; the book tells nothing about the future. (A drift read back
// from the touch imbalance itself, the obvious first design, feeds on itself: a move eats the stale side,
// the book tilts the way it moved, the drift pushes on, and the fair value runs to the band.)
//
// Determinism: each event draws the same eight uniforms (a normal takes two) whatever happens, so the draws
// depend only on the seed and the event count. At info = 0 the drift's two are drawn and left unused (d = 0).
// The noise-or-informed choice of a marketable order reads the offset uniform, which only passive and cancel
// orders use: a noise share changes what an event does, never which uniforms it draws.
//
// The flow decides (simFlowDecide) and the simulator carries the decision out in the matching engine and
// tells the flow what rests (flowRemember) and what left (flowForget).
//
// Layout at `f` (8-byte aligned), flowBytes(maxResting, matchCapacity):
//   +0 fair f64 (ticks) · +8 step f64 (ticks per event) · +16 passive fraction f64 · +24 cancel fraction f64
//   +32 info f64 · +40 event interval i64 (ns) · +48 band low i32 · +52 band high i32 · +56 depth ticks i32
//   +60 min lots i32 · +64 max lots i32 · +68 lot size i32 · +72 max resting u32 · +76 resting u32
//   +80 events u64 · +88 generator (16 bytes, seeded-random.ts)
//   decision: +104 op i32 (FlowOp) · +108 side i32 · +112 price i32 · +116 qty i32 · +120 target id u32
//   +124 slot mask u32 (the matching engine's: an order id's slot is id & mask)
//   +128 hidden drift d f64 · +136 its per-event memory ρ f64 · +144 drift step σ/rate f64
//   +152 noise-taker share of marketable orders f64
//   +160 resting ids u32[maxResting] · then position + 1 per matching slot u32[matchCapacity + 1] (0: not ours)
import { matchBestAsk, matchBestBid } from "./matching";
import { randomNormal, randomSeed, randomU32, randomUniform } from "./seeded-random";
import { NO_PRICE, Side } from "./vocabulary";

const FAIR: usize = 0;
const STEP: usize = 8;
const PASSIVE: usize = 16;
const CANCEL: usize = 24;
const INFO: usize = 32;
const INTERVAL: usize = 40;
const BAND_LOW: usize = 48;
const BAND_HIGH: usize = 52;
const DEPTH: usize = 56;
const MIN_LOTS: usize = 60;
const MAX_LOTS: usize = 64;
const LOT: usize = 68;
const MAX_RESTING: usize = 72;
const RESTING: usize = 76;
const EVENTS: usize = 80;
const RNG: usize = 88;
const OP: usize = 104;
const D_SIDE: usize = 108;
const D_PRICE: usize = 112;
const D_QTY: usize = 116;
const D_TARGET: usize = 120;
const SLOT_MASK: usize = 124;
const DRIFT: usize = 128;
const RHO: usize = 136;
const DRIFT_STEP: usize = 144;
const NOISE: usize = 152;
const IDS: usize = 160;

/** What simFlowDecide asks for. */
export namespace FlowOp {
  export const NONE: i32 = 0;
  /** A GTC limit (side, price, qty). */
  export const PASSIVE: i32 = 1;
  /** Cancel resting flow order `target`. */
  export const CANCEL: i32 = 2;
  /** An IOC limit (side, price, qty). */
  export const MARKETABLE: i32 = 3;
}

export namespace FlowStatus {
  export const BAD_CONFIG: i32 = -1;
}

/** Bytes of a flow state. */
export function flowBytes(maxResting: u32, matchCapacity: u32): usize {
  return (IDS + (<usize>maxResting << 2) + ((<usize>matchCapacity + 1) << 2) + 7) & ~<usize>7;
}

/**
 * Sets the flow up: fair value starts at `refPrice`; the band is the matching engine's; `eventsPerSecond` > 0;
 * fractions in [0, 1] with passive + cancel ≤ 1 (the rest marketable). 0 or BAD_CONFIG.
 */
export function flowInit(
  f: usize, seed: u32, refPrice: i32, bandLow: i32, bandHigh: i32, eventsPerSecond: f64, sigmaTicks: f64,
  passive: f64, cancel: f64, info: f64, depthTicks: i32, minLots: i32, maxLots: i32, lotSize: i32, maxResting: u32,
  matchCapacity: u32,
): i32 {
  if (!(eventsPerSecond > 0) || !(sigmaTicks >= 0) || !(passive >= 0) || !(cancel >= 0) || !(passive + cancel <= 1)
    || !(info >= 0) || depthTicks < 1 || minLots < 1 || maxLots < minLots || lotSize < 1 || maxResting < 1
    || bandLow > bandHigh || refPrice < bandLow || refPrice > bandHigh || matchCapacity < 1) return FlowStatus.BAD_CONFIG;
  memory.fill(f, 0, flowBytes(maxResting, matchCapacity));
  store<f64>(f + FAIR, <f64>refPrice);
  store<f64>(f + STEP, sigmaTicks / Math.sqrt(eventsPerSecond));
  store<f64>(f + PASSIVE, passive);
  store<f64>(f + CANCEL, cancel);
  store<f64>(f + INFO, info);
  store<i64>(f + INTERVAL, max<i64>(1, <i64>Math.round(1e9 / eventsPerSecond)));
  store<i32>(f + BAND_LOW, bandLow);
  store<i32>(f + BAND_HIGH, bandHigh);
  store<i32>(f + DEPTH, depthTicks);
  store<i32>(f + MIN_LOTS, minLots);
  store<i32>(f + MAX_LOTS, maxLots);
  store<i32>(f + LOT, lotSize);
  store<u32>(f + MAX_RESTING, maxResting);
  const slotBits = <u32>32 - clz<u32>(matchCapacity);
  store<u32>(f + SLOT_MASK, (<u32>1 << slotBits) - 1);
  // Memory halving every second of events: ρ^rate = ½.
  store<f64>(f + RHO, Math.exp(-Math.LN2 / eventsPerSecond));
  store<f64>(f + DRIFT_STEP, sigmaTicks / eventsPerSecond);
  randomSeed(f + RNG, seed);
  return 0;
}

/**
 * The share of marketable orders that are noise takers (see the header), in [0, 1]; flowInit leaves it 0.
 * 0 or BAD_CONFIG (the share unchanged).
 */
export function flowSetNoiseTakers(f: usize, share: f64): i32 {
  if (!(share >= 0 && share <= 1)) return FlowStatus.BAD_CONFIG;
  store<f64>(f + NOISE, share);
  return 0;
}

export function flowNoiseTakers(f: usize): f64 {
  return load<f64>(f + NOISE);
}

/** Nanoseconds between two flow events. */
export function flowIntervalNs(f: usize): i64 {
  return load<i64>(f + INTERVAL);
}

export function flowFair(f: usize): f64 {
  return load<f64>(f + FAIR);
}

export function flowResting(f: usize): u32 {
  return load<u32>(f + RESTING);
}

export function flowEvents(f: usize): u64 {
  return load<u64>(f + EVENTS);
}

export function flowOp(f: usize): i32 { return load<i32>(f + OP); }
export function flowSide(f: usize): i32 { return load<i32>(f + D_SIDE); }
export function flowPrice(f: usize): i32 { return load<i32>(f + D_PRICE); }
export function flowQty(f: usize): i32 { return load<i32>(f + D_QTY); }
export function flowTarget(f: usize): u32 { return load<u32>(f + D_TARGET); }

@inline function posAt(f: usize, id: u32): usize {
  const max = load<u32>(f + MAX_RESTING);
  return f + IDS + (<usize>max << 2) + (<usize>(id & load<u32>(f + SLOT_MASK)) << 2);
}

/** Flow order `id` rests in the book. */
export function flowRemember(f: usize, id: u32): void {
  const n = load<u32>(f + RESTING);
  if (n >= load<u32>(f + MAX_RESTING)) return;
  store<u32>(f + IDS + (<usize>n << 2), id);
  store<u32>(posAt(f, id), n + 1);
  store<u32>(f + RESTING, n + 1);
}

/** Flow order `id` left the book (filled or canceled); ignored if it was not remembered. */
export function flowForget(f: usize, id: u32): void {
  const p = posAt(f, id);
  const pos = load<u32>(p);
  if (pos == 0) return;
  const i = pos - 1;
  if (load<u32>(f + IDS + (<usize>i << 2)) != id) return; // the slot holds a newer order
  const n = load<u32>(f + RESTING) - 1;
  const last = load<u32>(f + IDS + (<usize>n << 2));
  store<u32>(p, 0);
  if (i != n) {
    store<u32>(f + IDS + (<usize>i << 2), last);
    store<u32>(posAt(f, last), i + 1);
  }
  store<u32>(f + RESTING, n);
}

/** The next flow event against matching state `match`: the decision is left in the op fields (FlowOp). */
export function simFlowDecide(f: usize, match: usize): i32 {
  const rng = f + RNG;
  const info = load<f64>(f + INFO);
  const z = randomNormal(rng);
  // The drift's normal takes its two uniforms whatever happens; at info = 0 nothing reads the drift (every
  // use is info·d), so its log and cosine are skipped and d stays 0.
  let zd: f64 = 0;
  if (info != 0) zd = randomNormal(rng);
  else {
    randomU32(rng);
    randomU32(rng);
  }
  const uKind = randomUniform(rng);
  const uSide = randomUniform(rng);
  const uOffset = randomUniform(rng);
  const uQty = randomUniform(rng);
  store<u64>(f + EVENTS, load<u64>(f + EVENTS) + 1);

  const bid = matchBestBid(match);
  const ask = matchBestAsk(match);
  const step = load<f64>(f + STEP);
  let d: f64 = 0;
  if (info != 0) {
    const rho = load<f64>(f + RHO);
    d = rho * load<f64>(f + DRIFT) + Math.sqrt(1 - rho * rho) * zd;
    store<f64>(f + DRIFT, d);
  }
  const depth = load<i32>(f + DEPTH);
  const lo = <f64>(load<i32>(f + BAND_LOW) + depth + 1);
  const hi = <f64>(load<i32>(f + BAND_HIGH) - depth - 1);
  let fairF = load<f64>(f + FAIR) + step * z + info * load<f64>(f + DRIFT_STEP) * d;
  if (lo <= hi) fairF = min<f64>(hi, max<f64>(lo, fairF));
  store<f64>(f + FAIR, fairF);
  const fair = <i32>Math.round(fairF);
  const minLots = load<i32>(f + MIN_LOTS);
  const lots = minLots + <i32>Math.floor(uQty * <f64>(load<i32>(f + MAX_LOTS) - minLots + 1));
  const qty = lots * load<i32>(f + LOT);
  const passive = load<f64>(f + PASSIVE);
  const resting = load<u32>(f + RESTING);
  let op = uKind < passive ? FlowOp.PASSIVE : uKind < passive + load<f64>(f + CANCEL) ? FlowOp.CANCEL : FlowOp.MARKETABLE;
  if (op == FlowOp.PASSIVE && resting >= load<u32>(f + MAX_RESTING)) op = FlowOp.CANCEL;
  if (op == FlowOp.CANCEL && resting == 0) op = FlowOp.PASSIVE;
  let side: i32 = uSide < 0.5 ? <i32>Side.BUY : <i32>Side.SELL;
  let price: i32 = 0;
  if (op == FlowOp.PASSIVE) {
    side = uSide < 0.5 + 0.5 * min<f64>(1, max<f64>(-1, info * d)) ? <i32>Side.BUY : <i32>Side.SELL;
    const offset = 1 + <i32>Math.floor(uOffset * <f64>depth);
    if (side == <i32>Side.BUY) {
      price = fair - offset;
      if (ask != NO_PRICE && price >= ask) price = ask - 1;
    } else {
      price = fair + offset;
      if (bid != NO_PRICE && price <= bid) price = bid + 1;
    }
    if (price < load<i32>(f + BAND_LOW) || price > load<i32>(f + BAND_HIGH)) op = FlowOp.NONE;
  } else if (op == FlowOp.CANCEL) {
    const i = <u32>Math.floor(uOffset * <f64>resting);
    store<u32>(f + D_TARGET, load<u32>(f + IDS + (<usize>i << 2)));
  } else if (uOffset < load<f64>(f + NOISE)) {
    // A noise taker: the side uSide drew, at the touch, whatever the fair value.
    if (side == <i32>Side.BUY) {
      if (ask == NO_PRICE) op = FlowOp.NONE;
      else price = ask;
    } else {
      if (bid == NO_PRICE) op = FlowOp.NONE;
      else price = bid;
    }
  } else {
    if (ask != NO_PRICE && ask < fair) side = <i32>Side.BUY;
    else if (bid != NO_PRICE && bid > fair) side = <i32>Side.SELL;
    if (side == <i32>Side.BUY) {
      if (ask == NO_PRICE) op = FlowOp.NONE;
      else price = min<i32>(load<i32>(f + BAND_HIGH), max<i32>(ask, fair));
    } else {
      if (bid == NO_PRICE) op = FlowOp.NONE;
      else price = max<i32>(load<i32>(f + BAND_LOW), min<i32>(bid, fair));
    }
  }
  store<i32>(f + OP, op);
  store<i32>(f + D_SIDE, side);
  store<i32>(f + D_PRICE, price);
  store<i32>(f + D_QTY, qty);
  return op;
}

/** The hidden drift d (see the header); 0 throughout at info = 0. */
export function flowDrift(f: usize): f64 {
  return load<f64>(f + DRIFT);
}
