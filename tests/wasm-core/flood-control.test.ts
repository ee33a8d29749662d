// The flood controller: token-bucket timing worked by hand, the OTR budget and opening ban it
// combines, and 10 000 seeded random calls against a reference bucket written from the definition
// (tokens(t) = min(burst, tokens(t0) + rate × (t − t0)), one token per message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { ConfigError } from '../../host/config/config-error.js';
import type { CoreExports } from '../../host/core/core.js';
import { dayNumber, initOtrLedger } from '../../host/modules/otr-ledger.js';
import {
  FloodDecision, NO_LEDGER, NO_OTR_TARGET, describeFloodDenial, floodDenyReasons, initFloodControl, readFlood,
  resolveFloodConfig, type FloodConfig,
} from '../../host/modules/flood-control.js';

const FLOOD = 65536;
const LEDGER = 65536 + 1024;
const MS = 1_000_000n;
const S = 1_000_000_000n;
const { ALLOW, DENY_RATE, DENY_OTR_BUDGET, DENY_OPENING_BAN, DENY_CLOCK_BACKWARDS, DENY_BAD_REQUEST } = FloodDecision;
const DAY = dayNumber('2026-11-20');

async function setup(flood: Partial<FloodConfig> = {}, nowNs = 0n) {
  const { core, memory } = await testCore();
  initFloodControl(core, FLOOD, flood, nowNs);
  initOtrLedger(core, LEDGER);
  return { core, memory };
}

function tryN(core: CoreExports, nowNs: bigint, n: number, ledger = NO_LEDGER, target = NO_OTR_TARGET): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(core.floodTry(FLOOD, nowNs, ledger, 1, target));
  return out;
}

test('10 per second: ten go at once, the 11th waits until 100 ms have refilled one token', async () => {
  const { core } = await setup();
  const t0 = 5n * S;
  // the bucket started full (10 tokens) at time 0
  assert.deepEqual(tryN(core, t0, 10), Array(10).fill(ALLOW));
  assert.equal(core.floodTry(FLOOD, t0, NO_LEDGER, 1, NO_OTR_TARGET), DENY_RATE);
  // 10 tokens/s = 1 token per 100 ms: at 99.999999 ms there is 0.99999999 of a token
  assert.equal(core.floodTokensNano(FLOOD, t0 + 100n * MS - 1n), 999_999_990n);
  assert.equal(core.floodNextAllowedNs(FLOOD, t0, 1), t0 + 100n * MS);
  assert.equal(core.floodTry(FLOOD, t0 + 100n * MS - 1n, NO_LEDGER, 1, NO_OTR_TARGET), DENY_RATE);
  assert.equal(core.floodTry(FLOOD, t0 + 100n * MS, NO_LEDGER, 1, NO_OTR_TARGET), ALLOW);
  assert.equal(core.floodTry(FLOOD, t0 + 100n * MS, NO_LEDGER, 1, NO_OTR_TARGET), DENY_RATE);
  // a denial takes nothing: 50 ms later half a token is there, 150 ms later one and a half
  assert.equal(core.floodTokensNano(FLOOD, t0 + 150n * MS), 500_000_000n);
  assert.equal(core.floodTry(FLOOD, t0 + 250n * MS, NO_LEDGER, 2, NO_OTR_TARGET), DENY_RATE); // 1.5 < 2
  assert.equal(core.floodTry(FLOOD, t0 + 300n * MS, NO_LEDGER, 2, NO_OTR_TARGET), ALLOW); // exactly 2
  // a long pause refills to the burst, never beyond
  assert.equal(core.floodTokensNano(FLOOD, t0 + 3600n * S), 10n * S);
  assert.equal(core.floodTokensNano(FLOOD, 2n ** 62n), 10n * S);
  assert.equal(core.floodNextAllowedNs(FLOOD, t0 + 300n * MS, 11), -1n); // more than the burst: never
  const snap = readFlood(core, FLOOD, t0 + 300n * MS);
  assert.equal(snap.allowed_messages, 13);
  assert.equal(snap.denials.DENY_RATE, 4);
  assert.equal(snap.tokens, 0);
});

test('burst 1 spaces messages 1/rate apart', async () => {
  const { core } = await setup({ ordersPerSecond: 4, burst: 1 });
  // 4 per second, burst 1: one every 250 ms, never two in any 250 ms
  assert.equal(core.floodTry(FLOOD, 0n, NO_LEDGER, 1, NO_OTR_TARGET), ALLOW);
  assert.equal(core.floodTry(FLOOD, 249n * MS, NO_LEDGER, 1, NO_OTR_TARGET), DENY_RATE);
  assert.equal(core.floodTry(FLOOD, 250n * MS, NO_LEDGER, 1, NO_OTR_TARGET), ALLOW);
  assert.equal(core.floodTry(FLOOD, 10n * S, NO_LEDGER, 2, NO_OTR_TARGET), DENY_RATE); // 2 > burst
  // 3 per second does not divide a second: 333 333 333 ns refill 999 999 999 nano-tokens, one short
  const { core: c3 } = await setup({ ordersPerSecond: 3, burst: 1 });
  assert.equal(c3.floodTry(FLOOD, 0n, NO_LEDGER, 1, NO_OTR_TARGET), ALLOW);
  assert.equal(c3.floodTokensNano(FLOOD, 333_333_333n), 999_999_999n);
  assert.equal(c3.floodNextAllowedNs(FLOOD, 0n, 1), 333_333_334n);
  assert.equal(c3.floodTry(FLOOD, 333_333_333n, NO_LEDGER, 1, NO_OTR_TARGET), DENY_RATE);
  // one more nanosecond: 1 000 000 002, capped at the burst of one message
  assert.equal(c3.floodTokensNano(FLOOD, 333_333_334n), 1_000_000_000n);
  assert.equal(c3.floodTry(FLOOD, 333_333_334n, NO_LEDGER, 1, NO_OTR_TARGET), ALLOW);
});

test('OTR budget: denied when the ledger has fewer counted messages left than asked; both reasons at once', async () => {
  const { core } = await setup();
  // 49 counted, 1 trade: OTR 49; to stay ≤ 50 one more counted message is allowed
  for (let i = 0; i < 49; i++) core.otrOnNew(LEDGER, DAY, 90_000, 100_000);
  core.otrOnTrade(LEDGER, DAY);
  assert.equal(core.otrBudget(LEDGER, 50_000), 1);
  assert.equal(core.floodTry(FLOOD, 0n, LEDGER, 2, 50_000), DENY_OTR_BUDGET);
  assert.equal(core.floodTry(FLOOD, 0n, LEDGER, 1, 50_000), ALLOW);
  core.otrOnNew(LEDGER, DAY, 90_000, 100_000); // the host records what it sent
  assert.equal(core.floodTry(FLOOD, 0n, LEDGER, 1, 50_000), DENY_OTR_BUDGET);
  // exempt messages skip the budget (no target), and so does a pure rate check (no ledger)
  assert.equal(core.floodTry(FLOOD, 0n, LEDGER, 1, NO_OTR_TARGET), ALLOW);
  assert.equal(core.floodTry(FLOOD, 0n, NO_LEDGER, 1, 50_000), ALLOW);
  // 3 tokens taken; drain the other 7, then both limits bite at once
  assert.deepEqual(tryN(core, 0n, 7), Array(7).fill(ALLOW));
  const both = core.floodTry(FLOOD, 0n, LEDGER, 1, 50_000);
  assert.equal(both, DENY_RATE | DENY_OTR_BUDGET);
  assert.equal(both, 3);
  assert.equal(describeFloodDenial(both), 'denied: order rate limit (orders per second); OTR budget exhausted');
  assert.deepEqual(floodDenyReasons(both), ['DENY_RATE', 'DENY_OTR_BUDGET']);
  // a trade lifts the budget: 50 counted / 2 trades = 25 → 50 more to OTR 50; the rate still denies
  core.otrOnTrade(LEDGER, DAY);
  assert.equal(core.floodTry(FLOOD, 0n, LEDGER, 1, 50_000), DENY_RATE);
  assert.equal(core.floodTry(FLOOD, 100n * MS, LEDGER, 1, 50_000), ALLOW);
  assert.equal(core.floodDenials(FLOOD, DENY_OTR_BUDGET), 3);
  assert.equal(core.floodDenials(FLOOD, DENY_RATE), 2);
});

test('opening ban: no orders before session open + 15 minutes after a third day at OTR ≥ 2000', async () => {
  const { core } = await setup();
  const D = dayNumber('2026-01-05');
  for (const d of [D, D + 1, D + 2]) {
    core.otrRoll(LEDGER, d);
    for (let i = 0; i < 2000; i++) core.otrOnNew(LEDGER, d, 90_000, 100_000);
    core.otrOnTrade(LEDGER, d);
  }
  const open = 1000n * S;
  assert.equal(core.floodOpenSession(FLOOD, D + 3, open), 0);
  // the ledger is still on D+2: D+3 is asked about as the next day
  assert.equal(core.floodTry(FLOOD, open - 60n * S, LEDGER, 1, NO_OTR_TARGET), DENY_OPENING_BAN); // pre-open
  assert.equal(core.floodTry(FLOOD, open + 900n * S - 1n, LEDGER, 1, NO_OTR_TARGET), DENY_OPENING_BAN);
  // with a target the ledger (2000 counted, 1 trade) is over budget too
  assert.equal(core.floodTry(FLOOD, open + 900n * S - 1n, LEDGER, 1, 50_000), DENY_OTR_BUDGET | DENY_OPENING_BAN);
  assert.equal(core.floodTry(FLOOD, open + 900n * S, LEDGER, 1, NO_OTR_TARGET), ALLOW);
  assert.equal(describeFloodDenial(DENY_OPENING_BAN | DENY_RATE | DENY_OTR_BUDGET),
    'denied: order rate limit (orders per second); OTR budget exhausted; opening ban (third day at OTR >= ban level within the window)');
  // the day after a quiet D+3 opens freely
  core.otrRoll(LEDGER, D + 3);
  core.floodOpenSession(FLOOD, D + 4, 2000n * S);
  assert.equal(core.floodTry(FLOOD, 2000n * S, LEDGER, 1, NO_OTR_TARGET), ALLOW);
  // a rate-only controller ignores the ban
  core.otrRoll(LEDGER, D + 4);
  assert.equal(core.floodTry(FLOOD, 2000n * S, NO_LEDGER, 1, NO_OTR_TARGET), ALLOW);
});

test('clock backwards and bad requests are refused and change nothing', async () => {
  const { core } = await setup({}, 10n * S);
  assert.equal(core.floodTry(FLOOD, 10n * S, NO_LEDGER, 10, NO_OTR_TARGET), ALLOW);
  assert.equal(core.floodTry(FLOOD, 10n * S - 1n, NO_LEDGER, 1, NO_OTR_TARGET), DENY_CLOCK_BACKWARDS);
  assert.equal(core.floodTry(FLOOD, 10n * S, NO_LEDGER, 0, NO_OTR_TARGET), DENY_BAD_REQUEST);
  assert.equal(core.floodTry(FLOOD, 10n * S, NO_LEDGER, -3, NO_OTR_TARGET), DENY_BAD_REQUEST);
  assert.equal(core.floodTokensNano(FLOOD, 10n * S), 0n);
  assert.equal(core.floodTry(FLOOD, 10n * S + 100n * MS, NO_LEDGER, 1, NO_OTR_TARGET), ALLOW);
  assert.equal(core.floodDenials(FLOOD, DENY_CLOCK_BACKWARDS), 1);
  assert.equal(core.floodDenials(FLOOD, DENY_BAD_REQUEST), 2);
  assert.equal(describeFloodDenial(ALLOW), 'allowed');
  assert.equal(describeFloodDenial(DENY_CLOCK_BACKWARDS), 'denied: clock went backwards');
});

test('10 000 random calls agree with a reference token bucket and OTR budget', async () => {
  const { core } = await testCore();
  for (let run = 0; run < 20; run++) {
    const r = rng(0xf100d + run);
    const rate = 1 + Math.floor(r() * (run < 10 ? 20 : 1000));
    const burst = 1 + Math.floor(r() * 30);
    let now = BigInt(Math.floor(r() * 1e12));
    assert.equal(core.floodInit(FLOOD, rate, burst, 0n, now), 0);
    initOtrLedger(core, LEDGER);
    // reference state: tokens as an exact fraction of a message, in units of 1/(1e9) message
    let tokens = BigInt(burst) * S;
    let last = now;
    let allowed = 0;
    let counted = 0;
    let trades = 0;
    for (let i = 0; i < 500; i++) {
      const step = r();
      now += step < 0.5 ? BigInt(Math.floor(r() * Number(S) / rate)) : step < 0.95 ? BigInt(Math.floor(r() * 1e6)) : BigInt(Math.floor(r() * 5e9));
      const messages = 1 + Math.floor(r() * 3);
      const useLedger = r() < 0.5;
      const target = r() < 0.2 ? NO_OTR_TARGET : Math.floor(r() * 80_000);
      if (r() < 0.3) { core.otrOnTrade(LEDGER, DAY); trades++; }
      // tokens(t) = min(burst, tokens(last) + rate × (t − last) / 1 s)
      const refill = tokens + BigInt(rate) * (now - last);
      const have = refill < BigInt(burst) * S ? refill : BigInt(burst) * S;
      // budget: more counted messages n with (counted + n) / trades ≤ target / 1000 (OTR = counted with no trades)
      const budget = Math.max(0, Math.floor((target * Math.max(trades, 1)) / 1000) - counted);
      let want = 0;
      if (have < BigInt(messages) * S) want |= DENY_RATE;
      if (useLedger && target >= 0 && budget < messages) want |= DENY_OTR_BUDGET;
      const got = core.floodTry(FLOOD, now, useLedger ? LEDGER : NO_LEDGER, messages, target);
      assert.equal(got, want, `run ${run} call ${i}`);
      tokens = have;
      last = now;
      if (got === ALLOW) {
        tokens -= BigInt(messages) * S;
        allowed += messages;
        for (let m = 0; m < messages; m++) core.otrOnNew(LEDGER, DAY, 90_000, 100_000);
        counted += messages;
      }
      assert.equal(core.floodTokensNano(FLOOD, now), tokens);
      const next = core.floodNextAllowedNs(FLOOD, now, 1);
      const short = S - tokens;
      assert.equal(next, short <= 0n ? now : now + (short + BigInt(rate) - 1n) / BigInt(rate));
    }
    assert.equal(core.floodAllowedMessages(FLOOD), allowed);
  }
});

test('host config: defaults and ConfigError naming the key', async () => {
  assert.deepEqual(resolveFloodConfig(), { ordersPerSecond: 10, burst: 10, openingBanSeconds: 900 });
  assert.deepEqual(resolveFloodConfig({ ordersPerSecond: 25 }), { ordersPerSecond: 25, burst: 25, openingBanSeconds: 900 });
  const cases: [Partial<FloodConfig>, string][] = [
    [{ ordersPerSecond: 0 }, 'flood.ordersPerSecond'],
    [{ ordersPerSecond: -10 }, 'flood.ordersPerSecond'],
    [{ ordersPerSecond: 1001 }, 'flood.ordersPerSecond'],
    [{ ordersPerSecond: 2.5 }, 'flood.ordersPerSecond'],
    [{ burst: 0 }, 'flood.burst'],
    [{ burst: -1 }, 'flood.burst'],
    [{ openingBanSeconds: -900 }, 'flood.openingBanSeconds'],
  ];
  for (const [partial, key] of cases) {
    assert.throws(() => resolveFloodConfig(partial), (err: unknown) => err instanceof ConfigError && err.key === key, key);
  }
  const { core } = await testCore();
  assert.equal(core.floodInit(FLOOD, 0, 10, 0n, 0n), -1);
  assert.equal(core.floodInit(FLOOD, 1001, 10, 0n, 0n), -1);
  assert.equal(core.floodInit(FLOOD, 10, 0, 0n, 0n), -1);
  assert.equal(core.floodInit(FLOOD, 10, 10, -1n, 0n), -1);
  assert.equal(core.floodInit(FLOOD + 4, 10, 10, 0n, 0n), -2);
  assert.equal(core.floodOpenSession(FLOOD, -1, 0n), -1);
  assert.equal(core.floodBytes() % 64, 0);
});
