// Avellaneda & Stoikov (2008), written again from the paper in plain TypeScript, for the tests to compare the
// core with: the closed-form quotes and the paper's simulation procedure, fed uniforms by the host's
// SeededRandom (the same xoshiro128** stream the core draws from), three per step: bid, ask, mid.
import { SeededRandom } from '../../host/platform/seeded-random.js';

export interface RefModel {
  readonly gamma: number; readonly sigma: number; readonly k: number; readonly A: number;
  readonly T: number; readonly dt: number; readonly s0: number;
}

export const PAPER: Omit<RefModel, 'gamma'> = { sigma: 2, k: 1.5, A: 140, T: 1, dt: 0.005, s0: 100 };

/** r(s, q, t) = s − q·γ·σ²·(T − t). */
export function refReservation(s: number, q: number, gamma: number, sigma: number, tau: number): number {
  return s - q * gamma * sigma ** 2 * tau;
}

/** δa + δb = γ·σ²·(T − t) + (2/γ)·ln(1 + γ/k). */
export function refSpread(gamma: number, sigma: number, tau: number, k: number): number {
  return gamma * sigma ** 2 * tau + (2 / gamma) * Math.log(1 + gamma / k);
}

export interface RefPath { inventoryProfit: number; inventoryQ: number; symmetricProfit: number; symmetricQ: number }

export interface RefOptions {
  /** Judge a fill's distance from the mid after the step's move instead of the mid the quotes were set on. */
  readonly distanceFromNextMid?: boolean;
  /** A constant total spread for the symmetric strategy instead of the formula's. */
  readonly symmetricSpread?: number;
}

/**
 * `paths` paths of the paper's procedure. At each step t = i·dt: both strategies quote (inventory: r ± spread/2;
 * symmetric: s ± spread/2); the bid is hit when u_bid < A·e^(−k·δb)·dt, the ask when u_ask < A·e^(−k·δa)·dt;
 * the mid moves +σ√dt when u_mid < ½, else −σ√dt. Profit is cash + q·s at T.
 */
export function refSimulate(m: RefModel, paths: number, seed: number, opt: RefOptions = {}): RefPath[] {
  const rnd = new SeededRandom(seed);
  const steps = Math.round(m.T / m.dt);
  const move = m.sigma * Math.sqrt(m.dt);
  const out: RefPath[] = [];
  for (let p = 0; p < paths; p++) {
    let s = m.s0;
    const inv = { q: 0, x: 0 }, sym = { q: 0, x: 0 };
    for (let i = 0; i < steps; i++) {
      const tau = m.T - i * m.dt;
      const spread = refSpread(m.gamma, m.sigma, tau, m.k);
      const r = refReservation(s, inv.q, m.gamma, m.sigma, tau);
      const quotes = [
        { book: inv, bid: r - spread / 2, ask: r + spread / 2 },
        { book: sym, bid: s - (opt.symmetricSpread ?? spread) / 2, ask: s + (opt.symmetricSpread ?? spread) / 2 },
      ];
      const uBid = rnd.next(), uAsk = rnd.next(), uMid = rnd.next();
      const next = s + (uMid < 0.5 ? move : -move);
      const ref = opt.distanceFromNextMid ? next : s;
      for (const { book, bid, ask } of quotes) {
        if (uBid < m.A * Math.exp(-m.k * (ref - bid)) * m.dt) { book.q += 1; book.x -= bid; }
        if (uAsk < m.A * Math.exp(-m.k * (ask - ref)) * m.dt) { book.q -= 1; book.x += ask; }
      }
      s = next;
    }
    out.push({ inventoryProfit: inv.x + inv.q * s, inventoryQ: inv.q, symmetricProfit: sym.x + sym.q * s, symmetricQ: sym.q });
  }
  return out;
}

/** Mean and sample standard deviation (n − 1). */
export function refMeanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) };
}
