// The circuit breaker: the reject window exact at its edge, stickiness until an operator reset,
// accepts that do not forgive, bad input, 10 000 seeded random event sequences against a reference
// that keeps every reject time since the last reset and counts them afresh, and the host's config
// validation for both Sentinel watchdogs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { ConfigError } from '../../host/config/config-error.js';
import { planMemory } from '../../host/core/memory-map.js';
import { TradingState } from '../../host/model/vocabulary.js';
import {
  CircuitBreakerLimit, CircuitBreakerMode, CircuitBreakerStatus, SENTINEL_DEFAULTS, SentinelInitError, initCircuitBreaker,
  initSentinel, readCircuitBreaker, readRttWatchdog, resolveSentinelConfig, sentinelStatePlans, sentinelStates,
  tradingStateName, type CircuitBreakerConfig, type SentinelConfigInput,
} from '../../host/modules/sentinel.js';

const B = 65536;
const MS = 1_000_000n;
const S = 1_000_000_000n;
const NEVER = -(2n ** 63n);
const { ACTIVE, REDUCING, HALTED } = TradingState;
const { ARMED, TRIPPED } = CircuitBreakerMode;

async function setup(config: Partial<CircuitBreakerConfig> = {}) {
  const { core } = await testCore();
  initCircuitBreaker(core, B, { ...SENTINEL_DEFAULTS.circuitBreaker, ...config });
  return core;
}

test('5 rejects in 10 s: the window is half-open, a reject at exactly t + 10 s no longer shares it with the one at t', async () => {
  const core = await setup();
  const t = 100n * S;
  for (const dt of [0n, 1n, 2n, 3n]) assert.equal(core.circuitBreakerOnReject(B, t + dt * S), ACTIVE);
  assert.equal(core.circuitBreakerRejectsInWindow(B, t + 3n * S), 4);
  // seen from t + 10 s the reject at t is out (10 s − 0 is not < 10 s): t + 1, 2, 3 s are left, and a
  // fifth reject there makes four in its window, not five
  assert.equal(core.circuitBreakerRejectsInWindow(B, t + 10n * S - 1n), 4);
  assert.equal(core.circuitBreakerRejectsInWindow(B, t + 10n * S), 3);
  assert.equal(core.circuitBreakerOnReject(B, t + 10n * S), ACTIVE);
  assert.equal(core.circuitBreakerMode(B), ARMED);
  assert.equal(core.circuitBreakerRejectsInWindow(B, t + 10n * S), 4);
  // the next one, at t + 10.5 s, makes five within (t + 0.5 s, t + 10.5 s]: tripped, asking HALTED
  assert.equal(core.circuitBreakerOnReject(B, t + 10_500n * MS), HALTED);
  assert.equal(core.circuitBreakerMode(B), TRIPPED);
  assert.equal(core.circuitBreakerTripNs(B), t + 10_500n * MS);
  assert.equal(core.circuitBreakerTrips(B), 1);

  // the same four, and the fifth 1 ns before t + 10 s: all five in one window, tripped at the fifth
  const edge = await setup();
  for (const dt of [0n, 1n, 2n, 3n]) edge.circuitBreakerOnReject(B, t + dt * S);
  assert.equal(edge.circuitBreakerOnReject(B, t + 10n * S - 1n), HALTED);
  assert.equal(edge.circuitBreakerRejectsInWindow(B, t + 10n * S - 1n), 5);
  assert.equal(edge.circuitBreakerTripNs(B), t + 10n * S - 1n);
});

test('a trip is sticky until the operator reset, which empties the window; rejects while tripped are no new trips', async () => {
  const core = await setup();
  for (let i = 0n; i < 5n; i++) core.circuitBreakerOnReject(B, i * MS);
  assert.equal(core.circuitBreakerAsk(B), HALTED);
  // an hour later, with no rejects, it still asks HALTED: time does not fix what tripped it
  assert.equal(core.circuitBreakerRejectsInWindow(B, 3600n * S), 0);
  assert.equal(core.circuitBreakerAsk(B), HALTED);
  assert.equal(core.circuitBreakerMode(B), TRIPPED);
  // six more rejects within a second: counted, kept in the window, still one trip
  for (let i = 0n; i < 6n; i++) assert.equal(core.circuitBreakerOnReject(B, 3600n * S + i * MS), HALTED);
  assert.equal(core.circuitBreakerTrips(B), 1);
  assert.equal(core.circuitBreakerTripNs(B), 4n * MS);
  assert.equal(core.circuitBreakerRejects(B), 11);
  assert.equal(core.circuitBreakerRejectsInWindow(B, 3600n * S + 5n * MS), 5); // at most maxRejects
  // reset: armed, ACTIVE, an empty window: four more rejects at once do not trip, the fifth does
  const r = 3600n * S + 10n * MS;
  assert.equal(core.circuitBreakerReset(B, r), ACTIVE);
  assert.equal(core.circuitBreakerMode(B), ARMED);
  assert.equal(core.circuitBreakerRejectsInWindow(B, r), 0);
  assert.equal(core.circuitBreakerResetNs(B), r);
  for (let i = 0; i < 4; i++) assert.equal(core.circuitBreakerOnReject(B, r), ACTIVE);
  assert.equal(core.circuitBreakerOnReject(B, r + 1n), HALTED);
  assert.equal(core.circuitBreakerTrips(B), 2);
  assert.equal(core.circuitBreakerTripNs(B), r + 1n);
  const snap = readCircuitBreaker(core, B, r + 1n);
  assert.deepEqual(snap, {
    mode: 'TRIPPED', ask: 'HALTED', trips: 2, trip_ns: r + 1n, reset_ns: r, rejects_in_window: 5, rejects: 16,
    accepts: 0, resets: 1, clock_faults: 0,
  });
});

test('accepts do not forgive: 4 rejects, 100 accepts, 1 reject trips; REDUCING when configured; maxRejects 1', async () => {
  const core = await setup({ tripState: 'REDUCING' });
  for (let i = 0n; i < 4n; i++) core.circuitBreakerOnReject(B, i * S);
  for (let i = 0; i < 100; i++) assert.equal(core.circuitBreakerOnAccept(B), ACTIVE);
  assert.equal(core.circuitBreakerOnReject(B, 9n * S), REDUCING);
  assert.equal(core.circuitBreakerOnAccept(B), REDUCING);
  assert.equal(core.circuitBreakerAccepts(B), 101);
  const one = await setup({ maxRejects: 1, windowMs: 1 });
  assert.equal(one.circuitBreakerOnReject(B, 0n), HALTED);
  // a reject before the reset's time counts at the reset's time (the clock never runs backwards here)
  one.circuitBreakerReset(B, 5n * S);
  assert.equal(one.circuitBreakerOnReject(B, 4n * S), HALTED);
  assert.equal(one.circuitBreakerTripNs(B), 5n * S);
  assert.equal(one.circuitBreakerClockFaults(B), 1);
  assert.equal(readCircuitBreaker(one, B, 0n).rejects_in_window, 1); // a query before the last call asks at the last call
});

test('init statuses and sizes', async () => {
  const { core } = await testCore();
  assert.equal(core.circuitBreakerInit(B, 5, 10n * S, HALTED), CircuitBreakerStatus.OK);
  assert.equal(core.circuitBreakerTripNs(B), NEVER);
  assert.equal(core.circuitBreakerResetNs(B), NEVER);
  assert.equal(core.circuitBreakerInit(B, 0, 10n * S, HALTED), CircuitBreakerStatus.BAD_COUNT);
  assert.equal(core.circuitBreakerInit(B, CircuitBreakerLimit.MAX_REJECTS + 1, 10n * S, HALTED), CircuitBreakerStatus.BAD_COUNT);
  assert.equal(core.circuitBreakerInit(B, CircuitBreakerLimit.MAX_REJECTS, 10n * S, HALTED), CircuitBreakerStatus.OK);
  assert.equal(core.circuitBreakerInit(B, 5, 0n, HALTED), CircuitBreakerStatus.BAD_WINDOW);
  assert.equal(core.circuitBreakerInit(B, 5, 10n * S, ACTIVE), CircuitBreakerStatus.BAD_ASK);
  assert.equal(core.circuitBreakerInit(B, 5, 10n * S, 3), CircuitBreakerStatus.BAD_ASK);
  assert.equal(core.circuitBreakerInit(B, 5, 10n * S, REDUCING), CircuitBreakerStatus.OK);
  assert.equal(core.circuitBreakerInit(B + 4, 5, 10n * S, HALTED), CircuitBreakerStatus.MISALIGNED);
  // 128 bytes of fields, 8 per reject time, rounded up to a cache line
  assert.equal(core.circuitBreakerBytes(5), 192);
  assert.equal(core.circuitBreakerBytes(1), 192);
  assert.equal(core.circuitBreakerBytes(8), 192);
  assert.equal(core.circuitBreakerBytes(9), 256);
  assert.equal(core.circuitBreakerBytes(4096), 128 + 4096 * 8);
  assert.equal(core.circuitBreakerBytes(0), 0);
  assert.equal(core.circuitBreakerBytes(4097), 0);
  assert.throws(() => initCircuitBreaker(core, B + 4, SENTINEL_DEFAULTS.circuitBreaker),
    (e: unknown) => e instanceof SentinelInitError && e.call === 'circuitBreakerInit' && e.status === CircuitBreakerStatus.MISALIGNED);
});

// ── reference ────────────────────────────────────────────────────────────────────────────────────

/** The rule, from the definition: every reject time since the last reset, counted afresh each time. */
class RefBreaker {
  times: bigint[] = [];
  last: bigint | null = null;
  tripped = false;
  trips = 0;
  tripAt: bigint | null = null;
  resetAt: bigint | null = null;
  rejects = 0;
  accepts = 0;
  resets = 0;
  clockFaults = 0;
  constructor(readonly maxRejects: number, readonly window: bigint, readonly tripAsk: number) {}

  at(now: bigint): bigint {
    if (this.last !== null && now < this.last) { this.clockFaults++; return this.last; }
    return now;
  }
  inWindow(now: bigint): number {
    const t = this.last !== null && now < this.last ? this.last : now;
    return this.times.filter((r) => t - r < this.window).length;
  }
  ask(): number { return this.tripped ? this.tripAsk : ACTIVE; }
  reject(now: bigint): number {
    const t = this.at(now);
    this.last = t;
    this.rejects++;
    this.times.push(t);
    if (!this.tripped && this.inWindow(t) >= this.maxRejects) { this.tripped = true; this.trips++; this.tripAt = t; }
    return this.ask();
  }
  accept(): number { this.accepts++; return this.ask(); }
  reset(now: bigint): number {
    const t = this.at(now);
    this.last = t;
    this.resetAt = t;
    this.resets++;
    this.tripped = false;
    this.times = [];
    return this.ask();
  }
}

test('10 000 seeded random event sequences agree with the reference after every event', async () => {
  const { core } = await testCore();
  let trips = 0;
  let nearMisses = 0;
  for (let seq = 0; seq < 10_000; seq++) {
    const r = rng(0xb4ea4e + seq * 104_729);
    const int = (n: number) => Math.floor(r() * n);
    const maxRejects = 1 + int(r() < 0.9 ? 6 : 70);
    const window = BigInt(1 + int(1000));
    const ask = r() < 0.5 ? REDUCING : HALTED;
    assert.equal(core.circuitBreakerInit(B, maxRejects, window, ask), 0);
    const ref = new RefBreaker(maxRejects, window, ask);
    // mean spacing around window / maxRejects, so trips and near misses are both common
    const spacing = Number(window) / maxRejects;
    let now = BigInt(int(5000));
    const length = 10 + int(60);
    for (let i = 0; i < length; i++) {
      const step = r();
      now += step < 0.1 ? 0n : step < 0.2 ? window : BigInt(Math.floor(r() * spacing * 2.2));
      const when = r() < 0.03 ? now - BigInt(1 + int(200)) : now;
      const kind = r();
      let want: number;
      let got: number;
      let what: string;
      if (kind < 0.6) {
        what = 'reject'; want = ref.reject(when); got = core.circuitBreakerOnReject(B, when);
        if (!ref.tripped && ref.inWindow(when) === maxRejects - 1) nearMisses++;
      } else if (kind < 0.95) {
        what = 'accept'; want = ref.accept(); got = core.circuitBreakerOnAccept(B);
      } else {
        what = 'reset'; want = ref.reset(when); got = core.circuitBreakerReset(B, when);
      }
      const where = `seq ${seq} event ${i} (${what} at ${when}; max ${maxRejects} in ${window})`;
      assert.equal(got, want, where);
      assert.equal(core.circuitBreakerMode(B), ref.tripped ? TRIPPED : ARMED, where);
      assert.equal(core.circuitBreakerAsk(B), ref.ask(), where);
      assert.equal(core.circuitBreakerTrips(B), ref.trips, where);
      assert.equal(core.circuitBreakerTripNs(B), ref.tripAt ?? NEVER, where);
      assert.equal(core.circuitBreakerResetNs(B), ref.resetAt ?? NEVER, where);
      assert.equal(core.circuitBreakerRejects(B), ref.rejects, where);
      assert.equal(core.circuitBreakerAccepts(B), ref.accepts, where);
      assert.equal(core.circuitBreakerResets(B), ref.resets, where);
      assert.equal(core.circuitBreakerClockFaults(B), ref.clockFaults, where);
      // the window seen from now, from its edges, and from a while back (clamped to the last call)
      for (const q of [now, now + window - 1n, now + window, now + BigInt(int(Number(window) * 2)), now - BigInt(int(300))]) {
        assert.equal(core.circuitBreakerRejectsInWindow(B, q), Math.min(ref.inWindow(q), maxRejects), `${where} in window at ${q}`);
      }
    }
    trips += ref.trips;
  }
  assert.ok(trips > 5000 && nearMisses > 5000, `${trips} trips, ${nearMisses} near misses`);
});

// ── host config ──────────────────────────────────────────────────────────────────────────────────

test('host config: defaults, ConfigError naming the key, state plans and init through the memory map', async () => {
  assert.deepEqual(resolveSentinelConfig(), SENTINEL_DEFAULTS);
  assert.deepEqual(SENTINEL_DEFAULTS, {
    rttWatchdog: {
      lockdownMs: 20, confirmSamples: 3, releaseMs: 10, releaseSamples: 10, minLockdownMs: 1000, maxAckWaitMs: 100,
      lockdownState: 'REDUCING',
    },
    circuitBreaker: { maxRejects: 5, windowMs: 10_000, tripState: 'HALTED' },
  });
  const c = resolveSentinelConfig({ rttWatchdog: { lockdownMs: 80, releaseMs: 80, lockdownState: 'HALTED' }, circuitBreaker: { maxRejects: 3 } });
  assert.equal(c.rttWatchdog.lockdownMs, 80);
  assert.equal(c.rttWatchdog.releaseMs, 80);
  assert.equal(c.rttWatchdog.confirmSamples, 3);
  assert.equal(c.circuitBreaker.maxRejects, 3);
  assert.equal(c.circuitBreaker.windowMs, 10_000);
  const cases: [unknown, string][] = [
    [{ rttWatchdog: { lockdownMs: 0 } }, 'rttWatchdog.lockdownMs'],
    [{ rttWatchdog: { lockdownMs: -20 } }, 'rttWatchdog.lockdownMs'],
    [{ rttWatchdog: { lockdownMs: 10_001 } }, 'rttWatchdog.lockdownMs'],
    [{ rttWatchdog: { lockdownMs: '20' } }, 'rttWatchdog.lockdownMs'],
    [{ rttWatchdog: { lockdownMs: 1e-7 } }, 'rttWatchdog.lockdownMs'],
    [{ rttWatchdog: { releaseMs: 21 } }, 'rttWatchdog.releaseMs'],
    [{ rttWatchdog: { releaseMs: 0 } }, 'rttWatchdog.releaseMs'],
    [{ rttWatchdog: { confirmSamples: 0 } }, 'rttWatchdog.confirmSamples'],
    [{ rttWatchdog: { confirmSamples: 2.5 } }, 'rttWatchdog.confirmSamples'],
    [{ rttWatchdog: { releaseSamples: 1_000_001 } }, 'rttWatchdog.releaseSamples'],
    [{ rttWatchdog: { minLockdownMs: -1 } }, 'rttWatchdog.minLockdownMs'],
    [{ rttWatchdog: { maxAckWaitMs: 0 } }, 'rttWatchdog.maxAckWaitMs'],
    [{ rttWatchdog: { lockdownState: 'ACTIVE' } }, 'rttWatchdog.lockdownState'],
    [{ rttWatchdog: { lockdownState: 'halted' } }, 'rttWatchdog.lockdownState'],
    [{ rttWatchdog: { lockdownRttMs: 20 } }, 'rttWatchdog.lockdownRttMs'],
    [{ rttWatchdog: 20 }, 'rttWatchdog'],
    [{ circuitBreaker: { maxRejects: 0 } }, 'circuitBreaker.maxRejects'],
    [{ circuitBreaker: { maxRejects: 4097 } }, 'circuitBreaker.maxRejects'],
    [{ circuitBreaker: { windowMs: 0 } }, 'circuitBreaker.windowMs'],
    [{ circuitBreaker: { windowMs: Infinity } }, 'circuitBreaker.windowMs'],
    [{ circuitBreaker: { tripState: 'ACTIVE' } }, 'circuitBreaker.tripState'],
    [{ circuitBreaker: { window: 10 } }, 'circuitBreaker.window'],
  ];
  for (const [input, key] of cases) {
    assert.throws(() => resolveSentinelConfig(input as SentinelConfigInput),
      (err: unknown) => err instanceof ConfigError && err.key === key, key);
  }
  assert.throws(() => resolveSentinelConfig({ rttWatchdog: { releaseMs: 21 } }),
    { message: 'rttWatchdog.releaseMs must be ≤ rttWatchdog.lockdownMs (20), got 21' });
  assert.throws(() => resolveSentinelConfig({ rttWatchdog: { lockdownState: 'ACTIVE' } } as unknown as SentinelConfigInput),
    { message: 'rttWatchdog.lockdownState must be one of "REDUCING", "HALTED", got "ACTIVE"' });

  const { core } = await testCore();
  const config = resolveSentinelConfig({ circuitBreaker: { maxRejects: 9 } });
  const plans = sentinelStatePlans(core, config, 'sentinel');
  assert.deepEqual(plans, [{ name: 'sentinel.rttWatchdog', bytes: 640 }, { name: 'sentinel.circuitBreaker', bytes: 256 }]);
  const map = planMemory({ states: plans }, { ringBytes: core.ringBytes, bookBytes: core.bookBytes });
  const states = sentinelStates(map.states);
  assert.throws(() => sentinelStates(map.states, 'other'), /no state block "other.rttWatchdog"/);
  initSentinel(core, states, config);
  assert.equal(readRttWatchdog(core, states.rttWatchdog).mode, 'NORMAL');
  const before = readCircuitBreaker(core, states.circuitBreaker, 0n);
  assert.equal(before.mode, 'ARMED');
  assert.equal(before.trip_ns, null);
  // nine rejects trip this one; the watchdog block beside it is untouched
  for (let i = 0; i < 9; i++) core.circuitBreakerOnReject(states.circuitBreaker, BigInt(i));
  assert.equal(readCircuitBreaker(core, states.circuitBreaker, 9n).ask, 'HALTED');
  assert.equal(readRttWatchdog(core, states.rttWatchdog).samples, 0n);
  assert.equal(tradingStateName(REDUCING), 'REDUCING');
  assert.throws(() => tradingStateName(7), RangeError);
});
