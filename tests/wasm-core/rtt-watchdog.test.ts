// The RTT watchdog: hand-worked sequences at and around each threshold (confirmation count, release
// hysteresis band and count, minimum lockdown time, staleness), the telemetry ring, bad input, and
// 10 000 seeded random sample sequences against a reference written from the rules, compared after
// every sample. The reference keeps the whole history and decides each step by looking back over it
// (the last N samples all slow? the last M all calm?), not with run counters as the core does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import type { CoreExports } from '../../host/core/core.js';
import { TradingState } from '../../host/model/vocabulary.js';
import {
  NO_PENDING, RttWatchdogMode, RttWatchdogRing, RttWatchdogStatus, SENTINEL_DEFAULTS, SentinelInitError, initRttWatchdog,
  readRttWatchdog, type RttWatchdogConfig,
} from '../../host/modules/sentinel.js';

const W = 65536;
const MS = 1_000_000n;
const S = 1_000_000_000n;
const { ACTIVE, REDUCING, HALTED } = TradingState;
const { NORMAL, LOCKDOWN } = RttWatchdogMode;

async function setup(config: Partial<RttWatchdogConfig> = {}) {
  const { core } = await testCore();
  initRttWatchdog(core, W, { ...SENTINEL_DEFAULTS.rttWatchdog, ...config });
  return core;
}

/** Feeds [rtt, now] pairs; returns each answer. */
function feed(core: CoreExports, samples: [bigint, bigint][]): number[] {
  return samples.map(([rtt, now]) => core.rttWatchdogOnSample(W, rtt, now));
}

test('defaults: 20 ms over 3 samples; two slow acks then a fast one do not lock down, the third slow one does', async () => {
  const core = await setup();
  const t = 1000n * S;
  // 25 ms > 20 ms: slow. Two of them, then 5 ms: the run of slow samples restarts.
  assert.deepEqual(feed(core, [[25n * MS, t], [25n * MS, t + MS]]), [ACTIVE, ACTIVE]);
  assert.equal(core.rttWatchdogRun(W), 2);
  assert.deepEqual(feed(core, [[5n * MS, t + 2n * MS]]), [ACTIVE]);
  assert.equal(core.rttWatchdogRun(W), 0);
  // a sample in the band (15 ms: not above 20) also restarts it
  assert.deepEqual(feed(core, [[25n * MS, t + 3n * MS], [25n * MS, t + 4n * MS], [15n * MS, t + 5n * MS]]), [ACTIVE, ACTIVE, ACTIVE]);
  assert.equal(core.rttWatchdogMode(W), NORMAL);
  // three in a row: lockdown at the third, asking REDUCING (the default), stamped with its time and RTT
  assert.deepEqual(feed(core, [[21n * MS, t + 6n * MS], [22n * MS, t + 7n * MS], [23n * MS, t + 8n * MS]]), [ACTIVE, ACTIVE, REDUCING]);
  assert.equal(core.rttWatchdogMode(W), LOCKDOWN);
  assert.equal(core.rttWatchdogAsk(W), REDUCING);
  assert.equal(core.rttWatchdogChangeNs(W), t + 8n * MS);
  assert.equal(core.rttWatchdogChangeRttNs(W), 23n * MS);
  assert.equal(core.rttWatchdogLockdowns(W), 1);
  assert.equal(core.rttWatchdogReleases(W), 0);
  assert.equal(core.rttWatchdogRun(W), 0); // no calm sample yet
});

test('the lockdown threshold is strict: three acks of exactly 20 ms stay NORMAL, 20 ms + 1 ns locks down', async () => {
  const core = await setup();
  assert.deepEqual(feed(core, [[20n * MS, 0n], [20n * MS, 1n], [20n * MS, 2n], [20n * MS, 3n]]), [ACTIVE, ACTIVE, ACTIVE, ACTIVE]);
  assert.equal(core.rttWatchdogRun(W), 0);
  assert.deepEqual(feed(core, [[20n * MS + 1n, 4n], [20n * MS + 1n, 5n], [20n * MS + 1n, 6n]]), [ACTIVE, ACTIVE, REDUCING]);
  // HALTED when configured; one sample confirms with confirmSamples 1
  const halted = await setup({ lockdownState: 'HALTED', confirmSamples: 1 });
  assert.equal(halted.rttWatchdogOnSample(W, 20n * MS, 0n), ACTIVE);
  assert.equal(halted.rttWatchdogOnSample(W, 20n * MS + 1n, 1n), HALTED);
  assert.equal(halted.rttWatchdogAsk(W), HALTED);
});

test('release: only after 10 calm acks (< 10 ms) and no sooner than 1 s after the lockdown', async () => {
  const core = await setup();
  const t0 = 50n * S;
  feed(core, [[30n * MS, t0 - 2n * MS], [30n * MS, t0 - MS], [30n * MS, t0]]);
  assert.equal(core.rttWatchdogMode(W), LOCKDOWN);
  // ten calm acks 10 ms apart: the count is there at t0 + 100 ms, the minimum time is not
  for (let i = 1n; i <= 10n; i++) assert.equal(core.rttWatchdogOnSample(W, 10n * MS - 1n, t0 + i * 10n * MS), REDUCING);
  assert.equal(core.rttWatchdogRun(W), 10);
  // the run keeps counting; 1 ns before the minimum time still holds
  assert.equal(core.rttWatchdogOnSample(W, MS, t0 + S - 1n), REDUCING);
  assert.equal(core.rttWatchdogRun(W), 11);
  // at exactly t0 + 1 s the next calm ack releases
  assert.equal(core.rttWatchdogOnSample(W, MS, t0 + S), ACTIVE);
  assert.equal(core.rttWatchdogMode(W), NORMAL);
  assert.equal(core.rttWatchdogChangeNs(W), t0 + S);
  assert.equal(core.rttWatchdogChangeRttNs(W), MS);
  assert.equal(core.rttWatchdogReleases(W), 1);
  assert.equal(core.rttWatchdogRun(W), 0);
  // after a release it takes three fresh slow acks again
  assert.deepEqual(feed(core, [[30n * MS, t0 + S + 1n], [30n * MS, t0 + S + 2n]]), [ACTIVE, ACTIVE]);
  assert.equal(core.rttWatchdogOnSample(W, 30n * MS, t0 + S + 3n), REDUCING);
  assert.equal(core.rttWatchdogLockdowns(W), 2);
});

test('release: a slow ack, or one in the band, or one at exactly 10 ms, restarts the count of calm acks', async () => {
  const core = await setup();
  const t0 = 0n;
  feed(core, [[30n * MS, t0], [30n * MS, t0], [30n * MS, t0]]);
  // long past the minimum time, so only the count decides
  let t = t0 + 5n * S;
  const calm = (n: number) => { for (let i = 0; i < n; i++) assert.equal(core.rttWatchdogOnSample(W, 9n * MS, t += MS), REDUCING); };
  calm(9);
  assert.equal(core.rttWatchdogOnSample(W, 25n * MS, t += MS), REDUCING); // slow: restart
  assert.equal(core.rttWatchdogRun(W), 0);
  calm(9);
  assert.equal(core.rttWatchdogOnSample(W, 15n * MS, t += MS), REDUCING); // band (10..20 ms): restart
  calm(9);
  assert.equal(core.rttWatchdogOnSample(W, 10n * MS, t += MS), REDUCING); // exactly 10 ms is not below: restart
  calm(9);
  assert.equal(core.rttWatchdogRun(W), 9);
  assert.equal(core.rttWatchdogMode(W), LOCKDOWN);
  // the 10th in a row releases
  assert.equal(core.rttWatchdogOnSample(W, 10n * MS - 1n, t += MS), ACTIVE);
  assert.equal(core.rttWatchdogReleases(W), 1);
  // slow acks in lockdown never count as another lockdown
  assert.equal(core.rttWatchdogLockdowns(W), 1);
});

test('staleness: unhealthy in lockdown, or when a request has waited more than 100 ms for its answer', async () => {
  const core = await setup();
  const t = 7n * S;
  // nothing seen, nothing outstanding: healthy (the zero-trust gate's RTT_HIGH covers "no sample yet")
  assert.equal(core.rttWatchdogHealthy(W, t, NO_PENDING), 1);
  // the oldest request sent at t: healthy up to exactly t + 100 ms, not 1 ns later
  assert.equal(core.rttWatchdogHealthy(W, t + 100n * MS, t), 1);
  assert.equal(core.rttWatchdogHealthy(W, t + 100n * MS + 1n, t), 0);
  assert.equal(core.rttWatchdogHealthy(W, t + 3600n * S, NO_PENDING), 1);
  // staleness changes nothing by itself: the late ack counts when it comes (one slow sample)
  assert.equal(core.rttWatchdogMode(W), NORMAL);
  assert.equal(core.rttWatchdogOnSample(W, 150n * MS, t + 150n * MS), ACTIVE);
  assert.equal(core.rttWatchdogHealthy(W, t + 150n * MS, NO_PENDING), 1);
  feed(core, [[150n * MS, t + 151n * MS], [150n * MS, t + 152n * MS]]);
  assert.equal(core.rttWatchdogHealthy(W, t + 152n * MS, NO_PENDING), 0);
  assert.equal(core.rttWatchdogHealthy(W, t + 152n * MS, t + 152n * MS), 0);
});

test('the ring keeps the last 64 accepted RTTs, latest first; bad samples and a clock going back', async () => {
  const core = await setup();
  assert.equal(RttWatchdogRing.SAMPLES, 64);
  assert.equal(core.rttWatchdogSample(W, 0), -1n);
  assert.equal(core.rttWatchdogLastNs(W), -(2n ** 63n));
  const snap0 = readRttWatchdog(core, W);
  assert.deepEqual(
    { ...snap0, recent_rtt_ns: [...snap0.recent_rtt_ns] },
    {
      mode: 'NORMAL', ask: 'ACTIVE', run: 0, lockdowns: 0, releases: 0, change_ns: null, change_rtt_ns: null,
      last_sample_ns: null, samples: 0n, recent_rtt_ns: [], bad_samples: 0, clock_faults: 0,
    },
  );
  for (let i = 1n; i <= 70n; i++) core.rttWatchdogOnSample(W, i * 1000n, i);
  assert.equal(core.rttWatchdogSamples(W), 70n);
  assert.equal(core.rttWatchdogSample(W, 0), 70_000n);
  assert.equal(core.rttWatchdogSample(W, 63), 7000n);
  assert.equal(core.rttWatchdogSample(W, 64), -1n);
  assert.equal(core.rttWatchdogSample(W, -1), -1n);
  // a negative RTT is refused and counted; nothing else moves
  assert.equal(core.rttWatchdogOnSample(W, -1n, 71n), RttWatchdogStatus.BAD_SAMPLE);
  assert.equal(core.rttWatchdogSamples(W), 70n);
  assert.equal(core.rttWatchdogLastNs(W), 70n);
  // a time before the last sample's counts as the last sample's: three slow acks "at" 40, 50, 60
  // lock down at 70, and the sample still counts
  feed(core, [[30n * MS, 40n], [30n * MS, 50n], [30n * MS, 60n]]);
  assert.equal(core.rttWatchdogMode(W), LOCKDOWN);
  assert.equal(core.rttWatchdogChangeNs(W), 70n);
  const snap = readRttWatchdog(core, W);
  assert.equal(snap.samples, 73n);
  assert.equal(snap.recent_rtt_ns.length, 64);
  assert.deepEqual(snap.recent_rtt_ns.slice(0, 5), [30n * MS, 30n * MS, 30n * MS, 70_000n, 69_000n]);
  assert.equal(snap.bad_samples, 1);
  assert.equal(snap.clock_faults, 3);
  assert.equal(snap.mode, 'LOCKDOWN');
  assert.equal(snap.ask, 'REDUCING');
  assert.equal(snap.change_rtt_ns, 30n * MS);
  assert.equal(snap.last_sample_ns, 70n);
});

test('init refuses what would corrupt the machine', async () => {
  const { core } = await testCore();
  const ok = [20n * MS, 3, 10n * MS, 10, S, 100n * MS, REDUCING] as const;
  const init = (i: number, v: bigint | number, at = W) => {
    const a: (bigint | number)[] = [...ok];
    if (i >= 0) a[i] = v;
    return core.rttWatchdogInit(at, a[0] as bigint, a[1] as number, a[2] as bigint, a[3] as number, a[4] as bigint, a[5] as bigint, a[6] as number);
  };
  assert.equal(init(-1, 0), RttWatchdogStatus.OK);
  assert.equal(init(0, 0n), RttWatchdogStatus.BAD_THRESHOLD);
  assert.equal(init(2, 0n), RttWatchdogStatus.BAD_THRESHOLD);
  assert.equal(init(2, 20n * MS + 1n), RttWatchdogStatus.BAD_THRESHOLD); // release above lockdown
  assert.equal(init(2, 20n * MS), RttWatchdogStatus.OK); // equal is allowed
  assert.equal(init(1, 0), RttWatchdogStatus.BAD_COUNT);
  assert.equal(init(3, 0), RttWatchdogStatus.BAD_COUNT);
  assert.equal(init(1, 1_000_001), RttWatchdogStatus.BAD_COUNT);
  assert.equal(init(3, 1_000_000), RttWatchdogStatus.OK);
  assert.equal(init(4, -1n), RttWatchdogStatus.BAD_DURATION);
  assert.equal(init(4, 0n), RttWatchdogStatus.OK);
  assert.equal(init(5, 0n), RttWatchdogStatus.BAD_DURATION);
  assert.equal(init(6, ACTIVE), RttWatchdogStatus.BAD_ASK);
  assert.equal(init(6, 3), RttWatchdogStatus.BAD_ASK);
  assert.equal(init(6, HALTED), RttWatchdogStatus.OK);
  assert.equal(init(-1, 0, W + 4), RttWatchdogStatus.MISALIGNED);
  assert.equal(core.rttWatchdogBytes() % 64, 0);
  assert.equal(core.rttWatchdogBytes(), 128 + 64 * 8);
  // the host turns a refusal into a named error
  assert.throws(() => initRttWatchdog(core, W + 4, SENTINEL_DEFAULTS.rttWatchdog),
    (e: unknown) => e instanceof SentinelInitError && e.status === RttWatchdogStatus.MISALIGNED && /MISALIGNED/.test(e.message));
});

// ── reference ────────────────────────────────────────────────────────────────────────────────────

interface RefConfig { lockdown: bigint; confirm: number; release: bigint; releaseN: number; minLockdown: bigint; maxWait: bigint; ask: number }

/** The rules, from the definition: decisions are made by looking back over the accepted history. */
class RefWatchdog {
  history: { rtt: bigint; at: bigint }[] = [];
  locked = false;
  changeAt: bigint | null = null;
  changeRtt: bigint | null = null;
  lockdowns = 0;
  releases = 0;
  bad = 0;
  clockFaults = 0;
  constructor(readonly c: RefConfig) {}

  /** How many of the latest samples in a row satisfy `p`. A run never crosses a mode change: the sample
   *  that locked down is not calm, and the one that released is not slow. */
  trailing(p: (rtt: bigint) => boolean): number {
    let n = 0;
    for (let i = this.history.length - 1; i >= 0 && p(this.history[i]!.rtt); i--) n++;
    return n;
  }

  ask(): number { return this.locked ? this.c.ask : ACTIVE; }

  sample(rtt: bigint, now: bigint): number {
    if (rtt < 0n) { this.bad++; return RttWatchdogStatus.BAD_SAMPLE; }
    const last = this.history.at(-1)?.at;
    let at = now;
    if (last !== undefined && now < last) { this.clockFaults++; at = last; }
    this.history.push({ rtt, at });
    if (!this.locked) {
      // the N latest all above the threshold (a calm release sample ends any run that crosses it)
      if (this.trailing((r) => r > this.c.lockdown) >= this.c.confirm) {
        this.locked = true; this.changeAt = at; this.changeRtt = rtt; this.lockdowns++;
      }
    } else if (this.trailing((r) => r < this.c.release) >= this.c.releaseN && at - this.changeAt! >= this.c.minLockdown) {
      this.locked = false; this.changeAt = at; this.changeRtt = rtt; this.releases++;
    }
    return this.ask();
  }

  run(): number {
    return this.locked ? this.trailing((r) => r < this.c.release) : this.trailing((r) => r > this.c.lockdown);
  }

  healthy(now: bigint, oldestPending: bigint): number {
    if (this.locked) return 0;
    return oldestPending >= 0n && now - oldestPending > this.c.maxWait ? 0 : 1;
  }
}

test('10 000 seeded random sample sequences agree with the reference after every sample', async () => {
  const { core } = await testCore();
  let lockdowns = 0;
  let releases = 0;
  let heldByTime = 0;
  for (let seq = 0; seq < 10_000; seq++) {
    const r = rng(0x5e471 + seq * 7919);
    const int = (n: number) => Math.floor(r() * n);
    const lockdown = BigInt(2 + int(50));
    const c: RefConfig = {
      lockdown,
      confirm: 1 + int(4),
      release: 1n + BigInt(int(Number(lockdown))),
      releaseN: 1 + int(6),
      minLockdown: BigInt(int(4) === 0 ? 0 : int(400)),
      maxWait: BigInt(1 + int(100)),
      ask: r() < 0.5 ? REDUCING : HALTED,
    };
    assert.equal(core.rttWatchdogInit(W, c.lockdown, c.confirm, c.release, c.releaseN, c.minLockdown, c.maxWait, c.ask), 0);
    const ref = new RefWatchdog(c);
    // a slow spell or a calm spell, so runs long enough to change the mode happen often
    let slowBias = r();
    let now = BigInt(int(1000));
    const length = 20 + int(60);
    for (let i = 0; i < length; i++) {
      if (r() < 0.1) slowBias = r();
      now += BigInt(int(r() < 0.9 ? 20 : 300));
      const when = r() < 0.03 ? now - BigInt(1 + int(50)) : now; // the clock going back, now and then
      const pick = r();
      const rtt = pick < 0.02 ? -1n - BigInt(int(5))
        : pick < 0.12 ? c.lockdown + BigInt(int(3) - 1) // at and around the lockdown threshold
        : pick < 0.22 ? c.release + BigInt(int(3) - 1) // at and around the release threshold
        : r() < slowBias ? c.lockdown + 1n + BigInt(int(30)) : BigInt(int(Number(c.release)));
      const before = ref.locked;
      const want = ref.sample(rtt, when);
      const got = core.rttWatchdogOnSample(W, rtt, when);
      const where = `seq ${seq} sample ${i} (rtt ${rtt} at ${when})`;
      assert.equal(got, want, where);
      if (before && !ref.locked && ref.trailing((x) => x < c.release) > c.releaseN) heldByTime++;
      assert.equal(core.rttWatchdogMode(W), ref.locked ? LOCKDOWN : NORMAL, where);
      assert.equal(core.rttWatchdogAsk(W), ref.ask(), where);
      assert.equal(core.rttWatchdogRun(W), ref.run(), where);
      assert.equal(core.rttWatchdogLockdowns(W), ref.lockdowns, where);
      assert.equal(core.rttWatchdogReleases(W), ref.releases, where);
      assert.equal(core.rttWatchdogChangeNs(W), ref.changeAt ?? -(2n ** 63n), where);
      assert.equal(core.rttWatchdogChangeRttNs(W), ref.changeRtt ?? -1n, where);
      assert.equal(core.rttWatchdogSamples(W), BigInt(ref.history.length), where);
      assert.equal(core.rttWatchdogLastNs(W), ref.history.at(-1)?.at ?? -(2n ** 63n), where);
      assert.equal(core.rttWatchdogSample(W, 0), ref.history.at(-1)?.rtt ?? -1n, where);
      assert.equal(core.rttWatchdogBadSamples(W), ref.bad, where);
      assert.equal(core.rttWatchdogClockFaults(W), ref.clockFaults, where);
      const probe = now + BigInt(int(150));
      const pending = r() < 0.3 ? NO_PENDING : now - BigInt(int(150));
      assert.equal(core.rttWatchdogHealthy(W, probe, pending), ref.healthy(probe, pending), `${where} healthy`);
    }
    const ring = readRttWatchdog(core, W).recent_rtt_ns;
    assert.deepEqual(ring, ref.history.slice(-64).reverse().map((h) => h.rtt), `seq ${seq} ring`);
    lockdowns += ref.lockdowns;
    releases += ref.releases;
  }
  // the sequences did exercise both transitions, and releases the minimum time held back
  assert.ok(lockdowns > 10_000 && releases > 5_000 && heldByTime > 500, `${lockdowns} lockdowns, ${releases} releases, ${heldByTime} held by time`);
});
