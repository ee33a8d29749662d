// The core's one source of randomness: xoshiro128** seeded through splitmix32, its 16 bytes of state in
// memory at a host-given offset, so a simulation is a function of its seed and runs bit-identically in Node
// and in the browser. The same generator as the host's SeededRandom (host/platform/seeded-random.ts), which
// the tests use as the independent reference: only 32-bit integer steps, so any platform agrees.
// Draw counts never vary with the values drawn (a normal always takes two uniforms), so one decision
// changing cannot shift every later draw of a run.
//
// Layout at `state` (4-byte aligned), 16 bytes: +0 a u32 · +4 b u32 · +8 c u32 · +12 d u32

const A: usize = 0;
const B: usize = 4;
const C: usize = 8;
const D: usize = 12;
const TWO_PI: f64 = 6.283185307179586;
// The fdlibm kernel polynomials for sin and cos on [−π/4, π/4] (error below 1 ulp). Math.cos itself would
// link a π/2 reduction table into the module as static data, which the core may not have (core-rules.md);
// Box–Muller only needs cos(2πu) for u in [0, 1), reduced here by symmetry without any table.
const C1: f64 = 4.16666666666666019037e-02;
const C2: f64 = -1.38888888888741095749e-03;
const C3: f64 = 2.48015872894767294178e-05;
const C4: f64 = -2.75573143513906633035e-07;
const C5: f64 = 2.08757232129817482790e-09;
const C6: f64 = -1.13596475577881948265e-11;
const S1: f64 = -1.66666666666666324348e-01;
const S2: f64 = 8.33333333332248946124e-03;
const S3: f64 = -1.98412698298579493134e-04;
const S4: f64 = 2.75573137070700676789e-06;
const S5: f64 = -2.50507602534068634195e-08;
const S6: f64 = 1.58969099521155010221e-10;

export function randomBytes(): usize {
  return 16;
}

@inline function splitmix(s: u32): u32 {
  let z = s;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

/** Seeds the generator; any u32 seed, 0 included. */
export function randomSeed(state: usize, seed: u32): void {
  let s = seed;
  s += 0x9e3779b9; const a = splitmix(s);
  s += 0x9e3779b9; const b = splitmix(s);
  s += 0x9e3779b9; const c = splitmix(s);
  s += 0x9e3779b9; const d = splitmix(s);
  // The all-zero state is the generator's one fixed point.
  store<u32>(state + A, (a | b | c | d) == 0 ? 1 : a);
  store<u32>(state + B, b);
  store<u32>(state + C, c);
  store<u32>(state + D, d);
}

/** Uniform u32. */
export function randomU32(state: usize): u32 {
  let a = load<u32>(state + A);
  let b = load<u32>(state + B);
  let c = load<u32>(state + C);
  let d = load<u32>(state + D);
  const result = rotl<u32>(b * 5, 7) * 9;
  const t = b << 9;
  c ^= a;
  d ^= b;
  b ^= c;
  a ^= d;
  c ^= t;
  d = rotl<u32>(d, 11);
  store<u32>(state + A, a);
  store<u32>(state + B, b);
  store<u32>(state + C, c);
  store<u32>(state + D, d);
  return result;
}

/** Uniform in [0, 1), in steps of 2^-32. */
export function randomUniform(state: usize): f64 {
  return <f64>randomU32(state) / 4294967296.0;
}

/** Uniform integer in [0, n) (n ≥ 1): the high word of a 32×32-bit product, one draw whatever n is. */
export function randomBelow(state: usize, n: u32): u32 {
  return <u32>((<u64>randomU32(state) * <u64>n) >>> 32);
}

@inline function kernelCos(x: f64): f64 {
  const z = x * x;
  const w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  const v = 1.0 - hz;
  return v + (((1.0 - v) - hz) + z * r);
}

@inline function kernelSin(x: f64): f64 {
  const z = x * x;
  const w = z * z;
  const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  return x + z * x * (S1 + z * r);
}

/** cos(2πu) for u in [0, 1): fold u to [0, ½] (cos is even and 1-periodic in u), then one octant kernel. */
function cosTurns(u: f64): f64 {
  let r = u > 0.5 ? 1.0 - u : u;
  if (r <= 0.125) return kernelCos(TWO_PI * r);
  if (r <= 0.375) return kernelSin(TWO_PI * (0.25 - r));
  return -kernelCos(TWO_PI * (0.5 - r));
}

/** Standard normal from exactly two uniforms (Box–Muller). */
export function randomNormal(state: usize): f64 {
  const u1 = 1.0 - randomUniform(state); // (0, 1]: the log stays finite
  const u2 = randomUniform(state);
  return Math.sqrt(-2.0 * Math.log(u1)) * cosTurns(u2);
}

/** Exponential with `rate` per unit (> 0): a waiting time of a Poisson process, one uniform. */
export function randomExponential(state: usize, rate: f64): f64 {
  return -Math.log(1.0 - randomUniform(state)) / rate;
}
