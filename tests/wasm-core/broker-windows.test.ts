// The broker's nested order-rate windows: hand-worked edges (the message at exactly t + 1 s, the
// minute cap, the tightest of several refusing windows, the trading-day reset, batches, run-time caps)
// and 10 000 seeded random message-time sequences, bursty and spread, against a reference written
// from the definition: a message sent at s counts at t while t − W < s ≤ t; m messages go when every
// capped window then holds at most cap − m; the next free time is found by trying every instant at
// which some send leaves some window (no ring, no k-th-newest formula).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { ConfigError } from '../../host/config/config-error.js';
import type { CoreExports } from '../../host/core/core.js';
import {
  BrokerWindow, BrokerWindowsStatus, DEFAULT_BROKER_WINDOWS, brokerWindowsStatePlan, describeBrokerWindowsAnswer,
  initBrokerWindows, readBrokerWindows, resolveBrokerWindowsConfig, type BrokerWindowsConfig,
} from '../../host/modules/broker-windows.js';
import { RiskRefusal } from '../../host/model/vocabulary.js';

const STATE = 65536;
const MS = 1_000_000n;
const S = 1_000_000_000n;
const { RATE_PER_SECOND, RATE_PER_MINUTE, RATE_PER_DAY } = RiskRefusal;
const { SECOND, MINUTE, DAY } = BrokerWindow;

async function setup(config: Partial<BrokerWindowsConfig> = {}) {
  const { core } = await testCore();
  initBrokerWindows(core, STATE, config);
  return core;
}

function sendN(core: CoreExports, nowNs: bigint, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(core.brokerWindowsTry(STATE, nowNs, 1));
  return out;
}

test('10 per second: the 11th in a second is refused until exactly one second after the first', async () => {
  const core = await setup();
  const t = 7n * S + 123n;
  assert.deepEqual(sendN(core, t, 10), Array(10).fill(0));
  assert.equal(core.brokerWindowsTry(STATE, t, 1), RATE_PER_SECOND);
  assert.equal(core.brokerWindowsNextFree(STATE, t, 1), t + S);
  // at t + 1 s − 1 ns all ten are still in (t + 1 s − 1 ns − 1 s, …] = (t − 1 ns, …]
  assert.equal(core.brokerWindowsUsed(STATE, SECOND, t + S - 1n), 10n);
  assert.equal(core.brokerWindowsTry(STATE, t + S - 1n, 1), RATE_PER_SECOND);
  // at exactly t + 1 s the window is (t, t + 1 s]: the ten sent at t have left
  assert.equal(core.brokerWindowsUsed(STATE, SECOND, t + S), 0n);
  assert.equal(core.brokerWindowsTry(STATE, t + S, 1), 0);
  // the minute window still holds all eleven, the day too
  assert.equal(core.brokerWindowsUsed(STATE, MINUTE, t + S), 11n);
  assert.equal(core.brokerWindowsUsed(STATE, DAY, t + S), 11n);
  // spread sends: one every 100 ms is exactly 10 in any second and never refused
  const { core: c2 } = await testCore();
  initBrokerWindows(c2, STATE);
  for (let i = 0n; i < 50n; i++) assert.equal(c2.brokerWindowsTry(STATE, i * 100n * MS, 1), 0, `send ${i}`);
  // …but a 51st at 4.95 s would make 11 in (3.95 s, 4.95 s]: sends at 4.0 … 4.9 s are 10
  assert.equal(c2.brokerWindowsTry(STATE, 4950n * MS, 1), RATE_PER_SECOND);
  assert.equal(c2.brokerWindowsNextFree(STATE, 4950n * MS, 1), 5000n * MS); // the send at 4.0 s leaves at 5.0 s
  assert.equal(c2.brokerWindowsRefusals(STATE, RATE_PER_SECOND), 1);
});

test('400 per minute: ten a second for 40 s fills the minute; the sends of second 0 free it at exactly 60 s', async () => {
  const core = await setup();
  for (let s = 0n; s < 40n; s++) assert.deepEqual(sendN(core, s * S, 10), Array(10).fill(0), `second ${s}`);
  // at 40 s the second window (39 s, 40 s] is empty, the minute window (−20 s, 40 s] holds 400
  assert.equal(core.brokerWindowsUsed(STATE, SECOND, 40n * S), 0n);
  assert.equal(core.brokerWindowsUsed(STATE, MINUTE, 40n * S), 400n);
  assert.equal(core.brokerWindowsTry(STATE, 40n * S, 1), RATE_PER_MINUTE);
  // the 400th newest send is one of second 0's: it leaves (0 s + 60 s) and frees one place
  assert.equal(core.brokerWindowsNextFree(STATE, 40n * S, 1), 60n * S);
  assert.equal(core.brokerWindowsTry(STATE, 60n * S - 1n, 1), RATE_PER_MINUTE);
  assert.equal(core.brokerWindowsUsed(STATE, MINUTE, 60n * S - 1n), 400n);
  assert.equal(core.brokerWindowsUsed(STATE, MINUTE, 60n * S), 390n);
  assert.deepEqual(sendN(core, 60n * S, 10), Array(10).fill(0));
  // an 11th at 60 s: second 1's sends still fill the minute (they leave at 61 s), and the second is full too.
  // The minute frees at 61 s, the second at 61 s: a tie names the longer window.
  assert.equal(core.brokerWindowsTry(STATE, 60n * S, 1), RATE_PER_MINUTE);
  assert.equal(core.brokerWindowsNextFree(STATE, 60n * S, 1), 61n * S);
  assert.equal(core.brokerWindowsRefusals(STATE, RATE_PER_MINUTE), 3);
  assert.equal(core.brokerWindowsRefusals(STATE, RATE_PER_SECOND), 0);
  assert.equal(core.brokerWindowsUsed(STATE, DAY, 60n * S), 410n);
});

test('several windows refuse: the answer names the one that refuses longest', async () => {
  // caps 2/s and 3/min
  const core = await setup({ perSecond: 2, perMinute: 3, perDay: 0 });
  assert.equal(core.brokerWindowsTry(STATE, 0n, 1), 0);
  assert.equal(core.brokerWindowsTry(STATE, 59_500n * MS, 1), 0);
  assert.equal(core.brokerWindowsTry(STATE, 59_600n * MS, 1), 0);
  // at 59.7 s: the second holds 59.5 and 59.6 (frees at 60.5 s when 59.5 leaves); the minute holds
  // all three (frees at 60 s when 0 leaves). The second refuses longer.
  assert.equal(core.brokerWindowsTry(STATE, 59_700n * MS, 1), RATE_PER_SECOND);
  assert.equal(core.brokerWindowsNextFree(STATE, 59_700n * MS, 1), 60_500n * MS);
  // at 60.2 s the minute has room (0 s left), the second not
  assert.equal(core.brokerWindowsTry(STATE, 60_200n * MS, 1), RATE_PER_SECOND);
  assert.equal(core.brokerWindowsTry(STATE, 60_500n * MS, 1), 0);
  // now 59.5, 59.6, 60.5 in the minute: at 60.55 s both refuse; the second frees at 60.6 s, the minute at 119.5 s
  assert.equal(core.brokerWindowsTry(STATE, 60_550n * MS, 1), RATE_PER_MINUTE);
  assert.equal(core.brokerWindowsNextFree(STATE, 60_550n * MS, 1), 119_500n * MS);
  // the day beats both: it frees only at the next trading day
  core.brokerWindowsSetCaps(STATE, 2, 3, 3n);
  assert.equal(core.brokerWindowsUsed(STATE, DAY, 0n), 4n);
  assert.equal(core.brokerWindowsTry(STATE, 60_550n * MS, 1), RATE_PER_DAY);
  assert.equal(core.brokerWindowsNextFree(STATE, 60_550n * MS, 1), -1n);
  assert.equal(core.brokerWindowsRefusals(STATE, RATE_PER_SECOND), 2);
  assert.equal(core.brokerWindowsRefusals(STATE, RATE_PER_MINUTE), 1);
  assert.equal(core.brokerWindowsRefusals(STATE, RATE_PER_DAY), 1);
});

test('the trading day: 5000 a day, reset only by brokerWindowsNewDay, never by the clock', async () => {
  const core = await setup({ perSecond: 0, perMinute: 0 });
  for (let i = 0; i < 5000; i++) assert.equal(core.brokerWindowsTry(STATE, BigInt(i), 1), 0);
  assert.equal(core.brokerWindowsUsed(STATE, DAY, 0n), 5000n);
  assert.equal(core.brokerWindowsTry(STATE, 5000n, 1), RATE_PER_DAY);
  // days of monotonic time later, still the same trading day until the host says otherwise
  assert.equal(core.brokerWindowsTry(STATE, 10n * 86_400n * S, 1), RATE_PER_DAY);
  assert.equal(core.brokerWindowsNextFree(STATE, 10n * 86_400n * S, 1), -1n);
  core.brokerWindowsNewDay(STATE);
  assert.equal(core.brokerWindowsUsed(STATE, DAY, 0n), 0n);
  assert.equal(core.brokerWindowsNextFree(STATE, 5000n, 1), 5000n);
  assert.equal(core.brokerWindowsTry(STATE, 5000n, 4999), 0);
  assert.equal(core.brokerWindowsTry(STATE, 5000n, 2), RATE_PER_DAY); // 4999 + 2 > 5000
  assert.equal(core.brokerWindowsTry(STATE, 5000n, 1), 0);
  assert.equal(core.brokerWindowsDays(STATE), 1);
  assert.equal(core.brokerWindowsAllowed(STATE), 10_000n);
  assert.equal(core.brokerWindowsRefusals(STATE, RATE_PER_DAY), 3);
  // a new day keeps the sliding history: the per-second window does not forget at midnight
  const c2 = await setup();
  assert.deepEqual(sendN(c2, S, 10), Array(10).fill(0));
  c2.brokerWindowsNewDay(STATE);
  assert.equal(c2.brokerWindowsTry(STATE, S, 1), RATE_PER_SECOND);
  assert.equal(c2.brokerWindowsUsed(STATE, SECOND, S), 10n);
});

test('batches: m messages go only when the windows hold at most cap − m; more than a cap never', async () => {
  const core = await setup();
  assert.equal(core.brokerWindowsTry(STATE, 0n, 8), 0);
  assert.equal(core.brokerWindowsTry(STATE, 1n, 3), RATE_PER_SECOND); // 8 + 3 > 10
  assert.equal(core.brokerWindowsNextFree(STATE, 1n, 3), S); // all 8 leave at 1 s
  assert.equal(core.brokerWindowsNextFree(STATE, 1n, 2), 1n);
  assert.equal(core.brokerWindowsTry(STATE, 1n, 2), 0);
  assert.equal(core.brokerWindowsUsed(STATE, SECOND, 1n), 10n);
  // at 1 s the window (0, 1 s] has the 2 sent at 1 ns: 8 more fit. The 2 leave at 1 s + 1 ns
  assert.equal(core.brokerWindowsTry(STATE, S, 9), RATE_PER_SECOND);
  assert.equal(core.brokerWindowsTry(STATE, S, 8), 0);
  assert.equal(core.brokerWindowsNextFree(STATE, S, 2), S + 1n);
  assert.equal(core.brokerWindowsNextFree(STATE, S, 3), 2n * S); // needs one of the 8 sent at 1 s to leave
  assert.equal(core.brokerWindowsTry(STATE, S, 11), RATE_PER_SECOND);
  assert.equal(core.brokerWindowsNextFree(STATE, S, 11), -1n); // 11 > 10: never
  assert.equal(core.brokerWindowsTry(STATE, 100n * S, 11), RATE_PER_SECOND);
  assert.equal(core.brokerWindowsTry(STATE, 100n * S, 0), BrokerWindowsStatus.BAD_REQUEST);
  assert.equal(core.brokerWindowsTry(STATE, 100n * S, 65_536), BrokerWindowsStatus.BAD_REQUEST);
  assert.equal(core.brokerWindowsNextFree(STATE, 100n * S, 0), -1n);
  assert.equal(core.brokerWindowsRefusals(STATE, BrokerWindowsStatus.BAD_REQUEST), 2);
});

test('clock backwards is refused and records nothing; a read before the last send reads at the last send', async () => {
  const core = await setup();
  assert.equal(core.brokerWindowsTry(STATE, 10n * S, 3), 0);
  assert.equal(core.brokerWindowsTry(STATE, 10n * S - 1n, 1), BrokerWindowsStatus.CLOCK_BACKWARDS);
  assert.equal(core.brokerWindowsUsed(STATE, SECOND, 10n * S), 3n);
  assert.equal(core.brokerWindowsUsed(STATE, SECOND, 0n), 3n);
  assert.equal(core.brokerWindowsNextFree(STATE, 0n, 1), 10n * S);
  assert.equal(core.brokerWindowsTry(STATE, 10n * S, 1), 0); // the same instant again is fine
  assert.equal(core.brokerWindowsAllowed(STATE), 4n);
  assert.equal(core.brokerWindowsRefusals(STATE, BrokerWindowsStatus.CLOCK_BACKWARDS), 1);
  assert.equal(core.brokerWindowsRefusals(STATE, 12), 0);
});

test('caps change at run time within the ring capacity; 0 = none; a broker\'s 2000 per 30 min fits the minute window', async () => {
  const core = await setup();
  assert.equal(core.brokerWindowsTry(STATE, 0n, 6), 0);
  assert.equal(core.brokerWindowsSetCaps(STATE, 5, 400, 5000n), 0);
  assert.equal(core.brokerWindowsTry(STATE, 1n, 1), RATE_PER_SECOND); // 6 already in: above the new cap
  assert.equal(core.brokerWindowsSetCaps(STATE, 11, 400, 5000n), BrokerWindowsStatus.ABOVE_CAPACITY);
  assert.equal(core.brokerWindowsSetCaps(STATE, 10, 401, 5000n), BrokerWindowsStatus.ABOVE_CAPACITY);
  assert.equal(core.brokerWindowsSetCaps(STATE, -1, 400, 5000n), BrokerWindowsStatus.BAD_CONFIG);
  assert.equal(core.brokerWindowsSetCaps(STATE, 10, 400, -1n), BrokerWindowsStatus.BAD_CONFIG);
  assert.equal(core.brokerWindowsCap(STATE, SECOND), 5n);
  assert.equal(core.brokerWindowsSetCaps(STATE, 0, 0, 0n), 0); // no caps at all
  assert.deepEqual(sendN(core, 2n, 100), Array(100).fill(0));
  // with no cap the count saturates at the ring's capacity (10 send times kept)
  assert.equal(core.brokerWindowsUsed(STATE, SECOND, 2n), 10n);
  assert.equal(core.brokerWindowsUsed(STATE, DAY, 2n), 106n);
  // back to 10/s: the ring still knows the last ten sends (at 2 ns), exactly
  assert.equal(core.brokerWindowsSetCaps(STATE, 10, 400, 5000n), 0);
  assert.equal(core.brokerWindowsTry(STATE, S + 1n, 1), RATE_PER_SECOND);
  assert.equal(core.brokerWindowsTry(STATE, S + 2n, 1), 0);

  // "10/s, 500/min and 2000 per 30 min": the minute window set to 30 minutes (the day cap left for 500/min
  // would need a fourth window; the two sliding ones take any length)
  const c30 = await setup({ perSecond: 10, perMinute: 2000, perDay: 0, minuteWindowMs: 1_800_000 });
  for (let s = 0n; s < 200n; s++) assert.deepEqual(sendN(c30, s * S, 10), Array(10).fill(0));
  assert.equal(c30.brokerWindowsTry(STATE, 200n * S, 1), RATE_PER_MINUTE);
  assert.equal(c30.brokerWindowsNextFree(STATE, 200n * S, 1), 1800n * S);
  assert.equal(c30.brokerWindowsLengthNs(STATE, MINUTE), 1800n * S);
  assert.equal(c30.brokerWindowsLengthNs(STATE, DAY), -1n);
  assert.equal(c30.brokerWindowsCap(STATE, 3), -1n);
  assert.equal(c30.brokerWindowsUsed(STATE, 3, 0n), -1n);
});

// ── reference ────────────────────────────────────────────────────────────────────────────────────

interface RefCaps { sec: number; min: number; day: number }

/** The windows from the definition: every send time kept, counted by filtering. */
class RefWindows {
  /** Send times, ascending, one per message (only the last `maxW` matter, older ones are dropped). */
  sends: bigint[] = [];
  today = 0;
  last: bigint | null = null;
  allowed = 0;
  readonly refusals = new Map<number, number>();

  constructor(public caps: RefCaps, readonly ws: bigint, readonly wm: bigint, readonly capacity: { sec: number; min: number }) {}

  /** Messages sent in (t − w, t]. */
  count(t: bigint, w: bigint): number {
    let n = 0;
    for (const s of this.sends) if (s > t - w && s <= t) n++;
    return n;
  }

  fits(cap: number, t: bigint, w: bigint, m: number): boolean {
    return cap === 0 || this.count(t, w) + m <= cap;
  }

  /** The earliest instant ≥ t at which the window alone takes m messages (null: never), by trying every instant a send leaves it. */
  release(cap: number, t: bigint, w: bigint, m: number): bigint | null {
    if (cap !== 0 && m > cap) return null;
    const candidates = [t, ...this.sends.map((s) => s + w).filter((x) => x > t)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const c of candidates) if (this.fits(cap, c, w, m)) return c;
    throw new Error('unreachable: once every send has left, any m ≤ cap fits');
  }

  try(t: bigint, m: number): number {
    if (m < 1 || m > 65_535) return this.refuse(BrokerWindowsStatus.BAD_REQUEST);
    if (this.last !== null && t < this.last) return this.refuse(BrokerWindowsStatus.CLOCK_BACKWARDS);
    if (this.caps.day !== 0 && this.today + m > this.caps.day) return this.refuse(RATE_PER_DAY);
    const rs = this.release(this.caps.sec, t, this.ws, m);
    const rm = this.release(this.caps.min, t, this.wm, m);
    const refusesS = rs === null || rs > t;
    const refusesM = rm === null || rm > t;
    if (refusesM && (!refusesS || rm === null || (rs !== null && rm >= rs))) return this.refuse(RATE_PER_MINUTE);
    if (refusesS) return this.refuse(RATE_PER_SECOND);
    for (let i = 0; i < m; i++) this.sends.push(t);
    const horizon = t - (this.ws > this.wm ? this.ws : this.wm);
    this.sends = this.sends.filter((s) => s > horizon);
    this.today += m;
    this.allowed += m;
    this.last = t;
    return 0;
  }

  refuse(code: number): number {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
    return code;
  }

  nextFree(t: bigint, m: number): bigint {
    if (m < 1 || m > 65_535) return -1n;
    if (this.caps.day !== 0 && this.today + m > this.caps.day) return -1n;
    const at = this.last !== null && this.last > t ? this.last : t;
    const candidates = [at, ...this.sends.flatMap((s) => [s + this.ws, s + this.wm]).filter((x) => x > at)]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if ((this.caps.sec !== 0 && m > this.caps.sec) || (this.caps.min !== 0 && m > this.caps.min)) return -1n;
    for (const c of candidates) {
      if (this.fits(this.caps.sec, c, this.ws, m) && this.fits(this.caps.min, c, this.wm, m)) return c;
    }
    throw new Error('unreachable');
  }

  /** A sliding window's count as the core reports it: saturated at its ring capacity. */
  used(window: number, t: bigint): bigint {
    if (window === DAY) return BigInt(this.today);
    const at = this.last !== null && this.last > t ? this.last : t;
    const n = window === SECOND ? this.count(at, this.ws) : this.count(at, this.wm);
    const cap = window === SECOND ? this.capacity.sec : this.capacity.min;
    return BigInt(Math.min(n, cap));
  }
}

test('10 000 seeded random message-time sequences, bursty and spread, agree with the reference', async () => {
  const { core } = await testCore();
  let checks = 0;
  const refusedBy = { sec: 0, min: 0, day: 0 };
  for (let seq = 0; seq < 10_000; seq++) {
    const r = rng(0xb0c3 + seq * 7919);
    const pick = (n: number): number => Math.floor(r() * n);
    // real lengths (1 s / 60 s, times in µs steps) or nanosecond-scale windows where every edge is hit
    const real = r() < 0.5;
    const ws = real ? S : BigInt(1 + pick(40));
    const wm = real ? 60n * S : ws + 1n + BigInt(pick(400));
    const caps: RefCaps = {
      sec: r() < 0.1 ? 0 : 1 + pick(6),
      min: r() < 0.1 ? 0 : 2 + pick(24),
      day: r() < 0.3 ? 0 : 5 + pick(60),
    };
    assert.equal(core.brokerWindowsInit(STATE, caps.sec, caps.min, BigInt(caps.day), ws, wm), 0);
    const ref = new RefWindows({ ...caps }, ws, wm, { sec: caps.sec, min: caps.min });
    const bursty = r() < 0.5;
    let now = BigInt(pick(1_000_000)) * (real ? 1000n : 1n);
    for (let step = 0; step < 40; step++) {
      const u = r();
      if (u < 0.03) {
        core.brokerWindowsNewDay(STATE);
        ref.today = 0;
        continue;
      }
      if (u < 0.05) {
        // new caps within the rings' capacity (0 = none)
        const c = { sec: pick(caps.sec + 1), min: pick(caps.min + 1), day: r() < 0.5 ? 0 : 3 + pick(60) };
        assert.equal(core.brokerWindowsSetCaps(STATE, c.sec, c.min, BigInt(c.day)), 0);
        ref.caps = c;
        continue;
      }
      // time: the same instant, a small step, a long pause, or exactly on (or 1 ns before) an edge
      const v = r();
      if (v < 0.15 && ref.sends.length > 0) {
        const s = ref.sends[pick(ref.sends.length)]!;
        const edge = (r() < 0.5 ? ws : wm) + s - (r() < 0.5 ? 1n : 0n);
        if (edge > now) now = edge;
      } else if (v < 0.18) {
        now -= 1n; // backwards by one ns: refused when a send is later
      } else if (bursty) {
        now += v < 0.6 ? 0n : v < 0.9 ? BigInt(pick(real ? 50_000_000 : 3)) : (real ? BigInt(pick(70_000)) * MS : BigInt(pick(600)));
      } else {
        now += real ? BigInt(pick(250_000)) * 1000n : BigInt(pick(Number(ws) + 2));
      }
      const m = r() < 0.02 ? 0 : r() < 0.8 ? 1 : 2 + pick(3);
      const want = ref.try(now, m);
      const got = core.brokerWindowsTry(STATE, now, m);
      assert.equal(got, want, `seq ${seq} step ${step}: try(${now}, ${m})`);
      if (want === RATE_PER_SECOND) refusedBy.sec++;
      if (want === RATE_PER_MINUTE) refusedBy.min++;
      if (want === RATE_PER_DAY) refusedBy.day++;
      for (const w of [SECOND, MINUTE, DAY]) {
        assert.equal(core.brokerWindowsUsed(STATE, w, now), ref.used(w, now), `seq ${seq} step ${step}: used(${w})`);
      }
      const mq = 1 + pick(3);
      assert.equal(core.brokerWindowsNextFree(STATE, now, mq), ref.nextFree(now, mq), `seq ${seq} step ${step}: nextFree(${mq})`);
      checks++;
    }
    assert.equal(core.brokerWindowsAllowed(STATE), BigInt(ref.allowed), `seq ${seq}: allowed`);
    for (const code of [RATE_PER_SECOND, RATE_PER_MINUTE, RATE_PER_DAY, BrokerWindowsStatus.CLOCK_BACKWARDS, BrokerWindowsStatus.BAD_REQUEST]) {
      assert.equal(core.brokerWindowsRefusals(STATE, code), ref.refusals.get(code) ?? 0, `seq ${seq}: refusals ${code}`);
    }
  }
  // every answer was exercised many times
  assert.ok(checks > 350_000);
  assert.ok(refusedBy.sec > 50_000 && refusedBy.min > 30_000 && refusedBy.day > 10_000, JSON.stringify(refusedBy));
});

test('host config: defaults, ConfigError naming the key, the plan and the snapshot', async () => {
  assert.deepEqual(resolveBrokerWindowsConfig(), DEFAULT_BROKER_WINDOWS);
  assert.deepEqual(DEFAULT_BROKER_WINDOWS, { perSecond: 10, perMinute: 400, perDay: 5000, secondWindowMs: 1000, minuteWindowMs: 60_000 });
  const cases: [Record<string, unknown>, string][] = [
    [{ perSecond: -1 }, 'broker.perSecond'],
    [{ perSecond: 2.5 }, 'broker.perSecond'],
    [{ perSecond: 100_001 }, 'broker.perSecond'],
    [{ perMinute: '400' }, 'broker.perMinute'],
    [{ perDay: -5 }, 'broker.perDay'],
    [{ perDay: 1e10 }, 'broker.perDay'],
    [{ secondWindowMs: 0 }, 'broker.secondWindowMs'],
    [{ minuteWindowMs: 1000 }, 'broker.minuteWindowMs'],
    [{ minuteWindowMs: 8 * 86_400_000 }, 'broker.minuteWindowMs'],
    [{ perHour: 10 }, 'broker.perHour'],
  ];
  for (const [partial, key] of cases) {
    assert.throws(() => resolveBrokerWindowsConfig(partial as Partial<BrokerWindowsConfig>),
      (err: unknown) => err instanceof ConfigError && err.key === key, key);
  }
  assert.throws(() => resolveBrokerWindowsConfig({ minuteWindowMs: 999 }),
    /broker\.minuteWindowMs must be an integer in \[1001, 604800000\] \(longer than broker\.secondWindowMs\), got 999/);

  const { core } = await testCore();
  assert.equal(core.brokerWindowsInit(STATE + 4, 10, 400, 5000n, S, 60n * S), BrokerWindowsStatus.MISALIGNED);
  assert.equal(core.brokerWindowsInit(STATE, -1, 400, 5000n, S, 60n * S), BrokerWindowsStatus.BAD_CONFIG);
  assert.equal(core.brokerWindowsInit(STATE, 10, 1_000_001, 5000n, S, 60n * S), BrokerWindowsStatus.BAD_CONFIG);
  assert.equal(core.brokerWindowsInit(STATE, 10, 400, -1n, S, 60n * S), BrokerWindowsStatus.BAD_CONFIG);
  assert.equal(core.brokerWindowsInit(STATE, 10, 400, 5000n, 0n, 60n * S), BrokerWindowsStatus.BAD_CONFIG);
  assert.equal(core.brokerWindowsInit(STATE, 10, 400, 5000n, S, 7n * 86_400n * S + 1n), BrokerWindowsStatus.BAD_CONFIG);
  assert.equal(core.brokerWindowsInit(STATE, 10, 400, 5000n, S, 7n * 86_400n * S), 0);
  assert.deepEqual(brokerWindowsStatePlan(core, 'broker', DEFAULT_BROKER_WINDOWS), { name: 'broker', bytes: 128 + 410 * 8 });

  initBrokerWindows(core, STATE);
  assert.deepEqual(sendN(core, 5n * S, 12), [...Array(10).fill(0), RATE_PER_SECOND, RATE_PER_SECOND]);
  const snap = readBrokerWindows(core, STATE, 5n * S + 500n * MS);
  assert.deepEqual(snap.second, { used: 10, cap: 10, utilisation: 1, window_ms: 1000 });
  assert.deepEqual(snap.minute, { used: 10, cap: 400, utilisation: 0.025, window_ms: 60_000 });
  assert.deepEqual(snap.day, { used: 10, cap: 5000, utilisation: 0.002, window_ms: null });
  assert.equal(snap.next_free_ns, 6n * S);
  assert.equal(snap.allowed_messages, 10);
  assert.deepEqual(snap.refusals, { RATE_PER_SECOND: 2, RATE_PER_MINUTE: 0, RATE_PER_DAY: 0, CLOCK_BACKWARDS: 0, BAD_REQUEST: 0 });
  assert.equal(describeBrokerWindowsAnswer(0), 'allowed');
  assert.equal(describeBrokerWindowsAnswer(RATE_PER_MINUTE), 'refused: broker messages per minute');
  assert.equal(describeBrokerWindowsAnswer(BrokerWindowsStatus.CLOCK_BACKWARDS), 'refused: clock went backwards');
  core.brokerWindowsSetCaps(STATE, 10, 400, 10n);
  assert.equal(readBrokerWindows(core, STATE, 6n * S).next_free_ns, null);
});
