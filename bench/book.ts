// `npm run bench -- book`: the core's matching against nodejs-order-book@10.1.1, one thread,
// the same seeded workloads, the same time budget per case and implementation.
//
// mixed: 1 000 000 operations: 55 % passive limits 1–20 ticks behind a random-walk mid (1–50 lots),
//        35 % cancels of a random live order, 10 % market orders of 1–10 lots. The mid moves one
//        tick with probability --walk-p per operation (default 0.1: a tick every 10 operations on
//        average). The walk rate sets how deep the book gets (cancels and fills balance the adds):
//        about 2 000 resting orders, ~50 per level near the touch, at 0.1; about 200 (~5 per level)
//        at 1, where every operation moves the mid. About 16 % of these limits are marketable on
//        arrival at either rate. nodejs-order-book's cost grows with orders per level (its cancel
//        re-indexes the level's queue), ours does not: the ratio depends on this knob.
// deep:  200 000 passive limits 1–500 ticks behind a fixed mid (a deep book), then 100 000
//        operations: 95 % cancels of a random live order, 5 % market sweeps of 50–500 lots.
//        ops counts every operation of the case, the build-up included.
//
// The workload is generated before timing. Each side keeps the same live-order list (array +
// index, swap-remove) to pick cancels from, updated from what matching reports: ours from the
// event ring (FILL with maker leaves 0), theirs from the `done` arrays. Ours is called from JS one
// call per operation; every event is written to the ring and read back by the harness (the real
// per-operation cost, event writes and reads included), batch-drained with ringPopBatch: at once
// after a call that sent more than one event (it may have filled makers), else every 256 events.
// The clock is read (process.hrtime.bigint) once per 1024 operations and that bigint passed as
// nowNs to each call: the i64 argument stays, without a new BigInt per call (a BigInt argument
// costs ~1–2 ns a call here).
// Before timing, each implementation runs the case's first --warmup-ops operations (default
// 100 000) untimed, on the same wasm instance re-initialised (ours) or a thrown-away OrderBook
// (theirs), so both are measured JIT-compiled. Each then runs the case until it is done or its
// budget is spent; ops/s is over the operations it completed. When both complete a case, their
// final books must agree (checked every run; a difference sets a failing exit code).
import { OrderBook, Side as TheirSide } from 'nodejs-order-book';
import { compileCore } from '../host/core/core-loader.js';
import { createSharedMemory, instantiateCore, type CoreExports } from '../host/core/core.js';
import { EventType, MatchStatus, StpMode } from '../host/venue/market/matching.js';
import { OrderKind, Side, TimeInForce } from '../host/model/vocabulary.js';
// Workloads come from the tests' seeded xorshift32, so a seed names the same workload in both.
import { rng } from '../tests/testkit/core.js';


export interface BookBenchOptions {
  readonly budgetS: number;
  readonly ops: number;
  readonly deepOrders: number;
  readonly seed: number;
  /** Probability per operation that the mixed case's mid moves one tick. */
  readonly walkP: number;
  /** Untimed operations each implementation runs first (same code paths, thrown-away book). */
  readonly warmupOps: number;
}

const OP_LIMIT = 0;
const OP_CANCEL = 1;
const OP_MARKET = 2;

interface Workload {
  readonly name: 'mixed' | 'deep';
  readonly n: number;
  readonly op: Uint8Array;
  readonly side: Uint8Array;
  readonly price: Int32Array;
  readonly qty: Int32Array;
  /** Uniform [0, 1) picking the live order a cancel targets. */
  readonly pick: Float64Array;
  /** Their order ids, made before timing. */
  readonly ids: string[];
  readonly minPrice: number;
  readonly maxPrice: number;
}

function alloc(name: Workload['name'], n: number): Workload {
  return {
    name, n, op: new Uint8Array(n), side: new Uint8Array(n), price: new Int32Array(n), qty: new Int32Array(n),
    pick: new Float64Array(n), ids: Array.from({ length: n }, (_, i) => String(i)), minPrice: Infinity, maxPrice: -Infinity,
  };
}

function mixedWorkload(n: number, seed: number, walkP: number): Workload {
  const w = alloc('mixed', n);
  const r = rng(seed);
  let mid = 1_000_000;
  let lo = mid;
  let hi = mid;
  for (let i = 0; i < n; i++) {
    if (r() < walkP) mid += r() < 0.5 ? -1 : 1;
    const x = r();
    w.side[i] = r() < 0.5 ? Side.BUY : Side.SELL;
    if (x < 0.55) {
      w.op[i] = OP_LIMIT;
      const off = 1 + Math.floor(r() * 20);
      w.price[i] = w.side[i] === Side.BUY ? mid - off : mid + off;
      w.qty[i] = 1 + Math.floor(r() * 50);
      lo = Math.min(lo, w.price[i]!);
      hi = Math.max(hi, w.price[i]!);
    } else if (x < 0.9) {
      w.op[i] = OP_CANCEL;
      w.pick[i] = r();
    } else {
      w.op[i] = OP_MARKET;
      w.qty[i] = 1 + Math.floor(r() * 10);
    }
  }
  return { ...w, minPrice: lo, maxPrice: hi };
}

function deepWorkload(orders: number, seed: number): Workload {
  const n = orders + Math.floor(orders / 2);
  const w = alloc('deep', n);
  const r = rng(seed);
  const mid = 1_000_000;
  for (let i = 0; i < n; i++) {
    w.side[i] = r() < 0.5 ? Side.BUY : Side.SELL;
    if (i < orders) {
      w.op[i] = OP_LIMIT;
      const off = 1 + Math.floor(r() * 500);
      w.price[i] = w.side[i] === Side.BUY ? mid - off : mid + off;
      w.qty[i] = 1 + Math.floor(r() * 50);
    } else if (r() < 0.95) {
      w.op[i] = OP_CANCEL;
      w.pick[i] = r();
    } else {
      w.op[i] = OP_MARKET;
      w.qty[i] = 50 + Math.floor(r() * 451);
    }
  }
  return { ...w, minPrice: mid - 500, maxPrice: mid + 500 };
}

export interface CaseResult {
  readonly ops: number;
  readonly seconds: number;
  readonly completed: boolean;
  /** Resting orders at the end, and a digest of the book (for the cross-check). */
  readonly resting: number;
  readonly digest: string;
}

const STATE = 65536;

async function runOurs(w: Workload, budgetNs: bigint, warmupOps: number): Promise<CaseResult> {
  const module = await compileCore();
  const capacity = 1 << 20;
  const levels = 1 << 16;
  const basePrice = Math.floor((w.minPrice + w.maxPrice) / 2) - levels / 2;
  if (w.minPrice < basePrice || w.maxPrice >= basePrice + levels) throw new Error(`workload prices ${w.minPrice}..${w.maxPrice} exceed the band`);
  const sizer = instantiateCore(module, createSharedMemory(65536));
  const stateBytes = sizer.matchBytes(capacity, levels);
  const ringSlots = 1 << 14;
  const ring = STATE + Math.ceil(stateBytes / 64) * 64;
  const batch = 256;
  const scratch = ring + sizer.ringBytes(ringSlots);
  const snap = scratch + batch * 64;
  const memory = createSharedMemory(snap + levels * 16);
  // One instance for warm-up and timed run: a second instance would send the JIT's call targets
  // (and the time) through a deoptimisation.
  const core: CoreExports = instantiateCore(module, memory);
  const u8 = new Uint8Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const slotMask = (1 << (32 - Math.clz32(capacity))) - 1;
  const live = new Int32Array(capacity);
  const liveAt = new Int32Array(capacity + 1);
  const { op, side, price, qty, pick } = w;

  // Warm-up and timed run share these closures: fresh ones would be new call targets for the
  // optimised loop (a deoptimisation inside the timed run).
  let nLive = 0;
  const drop = (id: number) => {
    const k = liveAt[id & slotMask]!;
    const last = live[--nLive]!;
    live[k] = last;
    liveAt[last & slotMask] = k;
  };
  // Drain with ringPopBatch: at once after a call that sent more than one event (it may have
  // filled makers, which leave the live list), else once 256 events wait. The head sequence is
  // watched through its public address (ringWaitAddress), with no call.
  const headIdx = core.ringWaitAddress(ring) >> 2;
  let consumed = 0;
  const drain = () => {
    for (;;) {
      const got = core.ringPopBatch(ring, scratch, batch);
      consumed = (consumed + got) | 0;
      for (let k = 0, at = scratch; k < got; k++, at += 64) {
        // A maker that fills completely leaves the book (and our live list).
        if (u8[at] === EventType.FILL && i32[(at + 40) >> 2] === 0) drop(i32[(at + 16) >> 2]!);
      }
      if (got < batch) return;
    }
  };

  const drive = (n: number): { done: number; seconds: number } => {
    if (core.ringInit(ring, ringSlots) !== 0) throw new Error('ringInit');
    const st0 = core.matchInit(STATE, capacity, levels, basePrice, StpMode.NONE);
    if (st0 !== 0) throw new Error(`matchInit ${st0}`);
    nLive = 0;
    let lastHead = Atomics.load(i32, headIdx);
    consumed = lastHead;
    const t0 = process.hrtime.bigint();
    let now = t0;
    let done = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 1023) === 0) {
        now = process.hrtime.bigint();
        if (now - t0 > budgetNs) break;
      }
      const o = op[i]!;
      let st: number;
      if (o === OP_LIMIT) {
        st = core.matchSubmit(STATE, ring, 0, i, side[i]!, OrderKind.LIMIT, TimeInForce.GTC, price[i]!, qty[i]!, now);
      } else if (o === OP_CANCEL) {
        if (nLive === 0) { done++; continue; }
        const id = live[(pick[i]! * nLive) | 0]!;
        drop(id);
        st = core.matchCancel(STATE, ring, id, i, now);
      } else {
        st = core.matchSubmit(STATE, ring, 0, i, side[i]!, OrderKind.MARKET, TimeInForce.IOC, 0, qty[i]!, now);
      }
      while (st === MatchStatus.NEED_DRAIN) {
        drain();
        st = core.matchResume(STATE, ring);
      }
      if (st < 0) throw new Error(`op ${i}: status ${st}`);
      const head = Atomics.load(i32, headIdx);
      if (((head - lastHead) | 0) > 1 || ((head - consumed) | 0) >= batch) drain();
      lastHead = head;
      if (st > 0) {
        liveAt[st & slotMask] = nLive;
        live[nLive++] = st;
      }
      done++;
    }
    drain();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (core.matchOrderCount(STATE) !== nLive) throw new Error('live list out of step with matching');
    return { done, seconds };
  };

  drive(Math.min(warmupOps, w.n));
  const { done, seconds } = drive(w.n);
  // Digest: every level, best first, both sides.
  const rows = core.matchSnapshot(STATE, snap, levels);
  const nb = rows & 0xffff;
  const na = rows >>> 16;
  let digest = '';
  for (let k = 0; k < nb; k++) digest += `b${i32[(snap >> 2) + 4 * k]}:${i32[(snap >> 2) + 4 * k + 1]};`;
  for (let k = 0; k < na; k++) digest += `a${i32[(snap >> 2) + 4 * k + 2]}:${i32[(snap >> 2) + 4 * k + 3]};`;
  return { ops: done, seconds, completed: done === w.n, resting: nLive, digest };
}

interface Done { id: string }

function runTheirs(w: Workload, budgetNs: bigint, warmupOps: number): CaseResult {
  const { op, side, price, qty, pick, ids } = w;
  let ob = new OrderBook();
  const live: string[] = [];
  const liveAt = new Map<string, number>();
  const drop = (id: string) => {
    const k = liveAt.get(id)!;
    const last = live.pop()!;
    if (last !== id) { live[k] = last; liveAt.set(last, k); }
    liveAt.delete(id);
  };
  const drive = (n: number) => {
    ob = new OrderBook();
    live.length = 0;
    liveAt.clear();
    const t0 = process.hrtime.bigint();
    let done = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 1023) === 0 && process.hrtime.bigint() - t0 > budgetNs) break;
      const o = op[i]!;
      const s = side[i] === Side.BUY ? TheirSide.BUY : TheirSide.SELL;
      if (o === OP_LIMIT) {
        const id = ids[i]!;
        const res = ob.limit({ id, side: s, size: qty[i]!, price: price[i]! });
        const d = res.done as Done[];
        for (let k = 0; k < d.length; k++) if (d[k]!.id !== id) drop(d[k]!.id);
        if (d.length === 0 || d[d.length - 1]!.id !== id) { liveAt.set(id, live.length); live.push(id); }
      } else if (o === OP_CANCEL) {
        if (live.length === 0) { done++; continue; }
        const id = live[(pick[i]! * live.length) | 0]!;
        drop(id);
        ob.cancel(id);
      } else {
        const d = ob.market({ side: s, size: qty[i]! }).done as Done[];
        for (let k = 0; k < d.length; k++) drop(d[k]!.id);
      }
      done++;
    }
    return { done, seconds: Number(process.hrtime.bigint() - t0) / 1e9, resting: live.length };
  };
  drive(Math.min(warmupOps, w.n));
  const { done, seconds, resting } = drive(w.n);
  const [asks, bids] = ob.depth();
  let digest = '';
  for (const [p, q] of bids) digest += `b${p}:${q};`;
  for (const [p, q] of asks) digest += `a${p}:${q};`;
  return { ops: done, seconds, completed: done === w.n, resting, digest };
}

export interface BookLine {
  readonly bench: 'book';
  readonly case: Workload['name'];
  readonly impl: 'wasm' | 'nodejs-order-book';
  readonly ops: number;
  readonly seconds: number;
  readonly ops_per_s: number;
}

function line(w: Workload, impl: BookLine['impl'], r: CaseResult): BookLine {
  return { bench: 'book', case: w.name, impl, ops: r.ops, seconds: Math.round(r.seconds * 1000) / 1000, ops_per_s: Math.round(r.ops / r.seconds) };
}

/** Runs both cases for both implementations, one after the other; `emit` gets each result line. */
export async function bookBench(o: BookBenchOptions, emit: (l: object) => void, progress: (s: string) => void): Promise<void> {
  const budgetNs = BigInt(Math.round(o.budgetS * 1e9));
  const ratios: Record<string, number> = {};
  for (const w of [mixedWorkload(o.ops, o.seed, o.walkP), deepWorkload(o.deepOrders, o.seed + 1)]) {
    progress(`book ${w.name}: ${w.n} operations, budget ${o.budgetS} s each after ${Math.min(o.warmupOps, w.n)} untimed warm-up operations, wasm then nodejs-order-book`);
    const ours = await runOurs(w, budgetNs, o.warmupOps);
    emit(line(w, 'wasm', ours));
    const theirs = runTheirs(w, budgetNs, o.warmupOps);
    emit(line(w, 'nodejs-order-book', theirs));
    if (ours.completed && theirs.completed) {
      const same = ours.resting === theirs.resting && ours.digest === theirs.digest;
      progress(`book ${w.name}: final books ${same ? 'agree' : 'DIFFER'} (${ours.resting} resting orders)`);
      if (!same) process.exitCode = 1;
    }
    ratios[`${w.name}_ratio`] = Math.round((ours.ops / ours.seconds) / (theirs.ops / theirs.seconds) * 10) / 10;
  }
  emit({ bench: 'book_summary', mixed_ratio: ratios.mixed_ratio, deep_ratio: ratios.deep_ratio });
}
