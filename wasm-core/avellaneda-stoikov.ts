// Avellaneda & Stoikov (2008), "High-frequency trading in a limit order book", Quantitative Finance 8(3):
// a dealer's quotes around an inventory-dependent reservation price, and the paper's Monte Carlo study.
//
//   reservation price   r(s, q, t) = s − q·γ·σ²·(T − t)
//   optimal spread      δa + δb    = γ·σ²·(T − t) + (2/γ)·ln(1 + γ/k)
//   quotes              r ± spread/2
//
// A trading strategy meets the formulas through asQuoteTicks: integer ticks in and out, each quote rounded
// away from the mid and kept at least one tick on its own side, so no quote can cross the mid whatever the
// inventory skew. The simulation (asSim*) is the paper's statistical model, in floats: a mid moving ±σ·√dt
// with equal probability each step, fills with probability λ(δ)·dt, λ(δ) = A·e^(−k·δ), profit x_T + q_T·s_T.
// Both strategies ("inventory": around r; "symmetric": around the mid with the same spread) run on the same
// draws, so their difference is the strategy's, not the luck of the paths. Every step takes exactly three
// uniforms (bid, ask, mid), so a path is a fixed slice of the seed's stream.
//
// Layout of the quote output at `out` (8-byte aligned), asQuoteBytes() = 16:
//   +0 bid ticks i64 · +8 ask ticks i64
//
// Layout of the simulation state at `state` (8-byte aligned), asSimBytes() = 96:
//   +0  s0 f64 (mid at t = 0)      +8  sigma f64          +16 horizon T f64      +24 dt f64
//   +32 A f64 (fill intensity at δ = 0)                    +40 k f64              +48 gamma f64
//   +56 steps i32 (round(T/dt))    +60 (unused)           +64 mean spread f64 (the quoted spread averaged
//   over the steps: the same for both strategies, since the spread does not depend on q)
//   +72 paths run u32 (since asSimInit)                    +76 (unused)
//   +80 generator state, 16 bytes (wasm-core/seeded-random.ts)
//
// Layout of one path's record at out + i·asSimPathBytes() (8-byte aligned), 32 bytes:
//   +0 inventory strategy profit f64 · +8 its final q f64 · +16 symmetric profit f64 · +24 its final q f64

import { randomSeed, randomUniform } from "./seeded-random";

const S0: usize = 0;
const SIGMA: usize = 8;
const HORIZON: usize = 16;
const DT: usize = 24;
const INTENSITY: usize = 32;
const K: usize = 40;
const GAMMA: usize = 48;
const STEPS: usize = 56;
const MEAN_SPREAD: usize = 64;
const PATHS: usize = 72;
const RNG: usize = 80;
const SIM_BYTES: usize = 96;
const PATH_BYTES: usize = 32;
/** Quotes beyond 2^53 ticks would not survive the host's number type. */
const MAX_TICKS: f64 = 9007199254740991.0;
/** More steps than this is not the paper's set-up but a typo (T/dt of a million steps per path). */
const MAX_STEPS: f64 = 1000000.0;

/** Status codes of asQuoteTicks, asSimInit and asSimRun. */
export namespace AsStatus {
  export const OK: i32 = 0;
  /** γ, k or the tick size not positive, σ or the time left negative, or a value not finite. */
  export const BAD_PARAMETER: i32 = -1;
  /** A quote would be below one tick or beyond 2^53 ticks. */
  export const OUT_OF_RANGE: i32 = -2;
  /** T/dt is not a whole number of steps in [1, 10^6]. */
  export const BAD_STEPS: i32 = -3;
}

/** Bytes of asQuoteTicks' output. */
export function asQuoteBytes(): usize {
  return 16;
}

/** Bytes of the simulation state. */
export function asSimBytes(): usize {
  return SIM_BYTES;
}

/** Bytes of one path's record in asSimRun's output. */
export function asSimPathBytes(): usize {
  return PATH_BYTES;
}

@inline function finite(x: f64): bool {
  return x - x == 0.0;
}

/** The reservation price r = s − q·γ·σ²·(T − t), in the units of s. */
export function asReservationPrice(s: f64, q: f64, gamma: f64, sigma: f64, timeLeft: f64): f64 {
  return s - q * gamma * sigma * sigma * timeLeft;
}

/** The optimal total spread δa + δb = γ·σ²·(T − t) + (2/γ)·ln(1 + γ/k), in the units of s. */
export function asOptimalSpread(gamma: f64, sigma: f64, timeLeft: f64, k: f64): f64 {
  return gamma * sigma * sigma * timeLeft + (2.0 / gamma) * Math.log(1.0 + gamma / k);
}

/**
 * Bid and ask in ticks for a mid of `midTicks`, inventory `q` lots and `timeLeft` (T − t): r ± spread/2,
 * bid rounded down and ask up, then held at least one tick below (bid) and above (ask) the mid.
 * σ is in price units per √time, `tick` the price of one tick. Returns AsStatus.
 */
export function asQuoteTicks(
  out: usize, midTicks: i64, tick: f64, q: i64, timeLeft: f64, gamma: f64, sigma: f64, k: f64,
): i32 {
  if (!(gamma > 0.0) || !(k > 0.0) || !(tick > 0.0) || !(sigma >= 0.0) || !(timeLeft >= 0.0)
    || !finite(gamma) || !finite(k) || !finite(tick) || !finite(sigma) || !finite(timeLeft)) {
    return AsStatus.BAD_PARAMETER;
  }
  const mid = <f64>midTicks;
  // In tick units throughout: one division per term, no price ever leaves the tick grid's scale.
  const reservation = mid - (<f64>q * gamma * sigma * sigma * timeLeft) / tick;
  const half = asOptimalSpread(gamma, sigma, timeLeft, k) / (2.0 * tick);
  let bid = Math.floor(reservation - half);
  let ask = Math.ceil(reservation + half);
  if (bid > mid - 1.0) bid = mid - 1.0;
  if (ask < mid + 1.0) ask = mid + 1.0;
  if (!(bid >= 1.0) || !(ask <= MAX_TICKS)) return AsStatus.OUT_OF_RANGE;
  store<i64>(out, <i64>bid);
  store<i64>(out + 8, <i64>ask);
  return AsStatus.OK;
}

/**
 * Sets up a simulation: the paper's parameters (s0, σ, T, dt, A, k, γ) and the generator's seed. The spread
 * averaged over the steps is written at +64. Returns AsStatus (BAD_STEPS unless T/dt is a whole number).
 */
export function asSimInit(
  state: usize, s0: f64, sigma: f64, horizon: f64, dt: f64, intensity: f64, k: f64, gamma: f64, seed: u32,
): i32 {
  if (!(gamma > 0.0) || !(k > 0.0) || !(dt > 0.0) || !(horizon > 0.0) || !(sigma >= 0.0) || !(intensity >= 0.0)
    || !finite(s0) || !finite(sigma) || !finite(horizon) || !finite(dt) || !finite(intensity) || !finite(k)
    || !finite(gamma)) {
    return AsStatus.BAD_PARAMETER;
  }
  const ratio = horizon / dt;
  const steps = Math.round(ratio);
  if (!(steps >= 1.0) || steps > MAX_STEPS || Math.abs(ratio - steps) > 1e-9 * steps) return AsStatus.BAD_STEPS;
  const n = <i32>steps;
  store<f64>(state + S0, s0);
  store<f64>(state + SIGMA, sigma);
  store<f64>(state + HORIZON, horizon);
  store<f64>(state + DT, dt);
  store<f64>(state + INTENSITY, intensity);
  store<f64>(state + K, k);
  store<f64>(state + GAMMA, gamma);
  store<i32>(state + STEPS, n);
  store<i32>(state + STEPS + 4, 0);
  let sum = 0.0;
  for (let i = 0; i < n; i++) sum += asOptimalSpread(gamma, sigma, horizon - <f64>i * dt, k);
  store<f64>(state + MEAN_SPREAD, sum / <f64>n);
  store<u32>(state + PATHS, 0);
  store<u32>(state + PATHS + 4, 0);
  randomSeed(state + RNG, seed);
  return AsStatus.OK;
}

/** The spread averaged over the steps (the paper's "average spread"), after asSimInit. */
export function asSimMeanSpread(state: usize): f64 {
  return load<f64>(state + MEAN_SPREAD);
}

/** Paths run since asSimInit. */
export function asSimPathsRun(state: usize): u32 {
  return load<u32>(state + PATHS);
}

/**
 * Runs the next `paths` paths from the generator's current state and writes one 32-byte record each at
 * `out` (layout above). Chunking does not change the results: n paths in one call or in several are the
 * same draws. Returns the number of paths written.
 */
export function asSimRun(state: usize, out: usize, paths: i32): i32 {
  if (paths <= 0) return 0;
  const s0 = load<f64>(state + S0);
  const sigma = load<f64>(state + SIGMA);
  const horizon = load<f64>(state + HORIZON);
  const dt = load<f64>(state + DT);
  const intensity = load<f64>(state + INTENSITY);
  const k = load<f64>(state + K);
  const gamma = load<f64>(state + GAMMA);
  const steps = load<i32>(state + STEPS);
  const rng = state + RNG;
  const jump = sigma * Math.sqrt(dt);
  const riskPerTime = gamma * sigma * sigma;
  for (let p = 0; p < paths; p++) {
    let s = s0;
    let qInv = 0.0, xInv = 0.0, qSym = 0.0, xSym = 0.0;
    for (let i = 0; i < steps; i++) {
      const timeLeft = horizon - <f64>i * dt;
      const half = 0.5 * asOptimalSpread(gamma, sigma, timeLeft, k);
      const reservation = s - qInv * riskPerTime * timeLeft;
      const bidInv = reservation - half;
      const askInv = reservation + half;
      // Fill probabilities use the distance from the mid the quotes were set against (time t's mid).
      const pBidInv = intensity * Math.exp(-k * (s - bidInv)) * dt;
      const pAskInv = intensity * Math.exp(-k * (askInv - s)) * dt;
      const pSym = intensity * Math.exp(-k * half) * dt;
      const uBid = randomUniform(rng);
      const uAsk = randomUniform(rng);
      const uMid = randomUniform(rng);
      if (uBid < pBidInv) { qInv += 1.0; xInv -= bidInv; }
      if (uAsk < pAskInv) { qInv -= 1.0; xInv += askInv; }
      if (uBid < pSym) { qSym += 1.0; xSym -= s - half; }
      if (uAsk < pSym) { qSym -= 1.0; xSym += s + half; }
      s += uMid < 0.5 ? jump : -jump;
    }
    const rec = out + <usize>p * PATH_BYTES;
    store<f64>(rec, xInv + qInv * s);
    store<f64>(rec + 8, qInv);
    store<f64>(rec + 16, xSym + qSym * s);
    store<f64>(rec + 24, qSym);
  }
  store<u32>(state + PATHS, load<u32>(state + PATHS) + <u32>paths);
  return paths;
}
