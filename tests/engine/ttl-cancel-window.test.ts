// The engine-venue run once saw the 200 ms rule's cancel at a median of 775 ms after the ack: with the default
// broker caps (10 messages a second, new and cancel alike) a strategy that quoted whenever it could spent the
// per-second window on new orders, so a cancel due at its deadline found the window full and waited for a slot
// (the broker would have refused it). Now a new order (or reprice) needs room for itself and a cancel of every
// order working after it, so the cancels always have their slots. Driven with a simulated clock, one tick per
// millisecond on two symbols, every request answered 1 ms later, for 5 s: at 10/s and at 100/s alike, every TTL
// cancel leaves within 1 ms of its deadline and none waits; at 10/s the headroom is what limits the new orders.
// Either way no 1 s window carries more than the cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MS, SECOND, stage, take } from '../testkit/exec-stage.js';

async function run(perSecond: number): Promise<{ news: number; late: number[]; waited: number; sends: bigint[] }> {
  const s = await stage({
    signalGain: 100, tradeRateFloor: 1000, targetOtr: false,
    strategy: { kind: 'wobi', threshold: 0, qty: 1 },
    broker: { perSecond, perMinute: 60 * perSecond },
  });
  const { core, state } = s;
  const ttlNs = 200n * MS;
  const acks = new Map<bigint, bigint>(); // clOrdId → ack time
  const due: { at: bigint; run: () => void }[] = [];
  const sends: bigint[] = [];
  const late: number[] = [];
  let ttlCancels = 0;
  let news = 0;
  let deadline = 0n;
  const drain = (now: bigint): void => {
    for (const c of take(s)) {
      sends.push(now);
      if (c.type === 'new') {
        news++;
        const id = c.clOrdId;
        due.push({ at: now + MS, run: () => { acks.set(id, now + MS); core.execOnAck(state, id, id + 1_000_000n, MS, now + MS); } });
      } else if (c.type === 'cancel') {
        const orig = c.origClOrdId;
        const acked = acks.get(orig);
        if (acked !== undefined) {
          ttlCancels++;
          late.push(Number(now - (acked + ttlNs)) / 1e6);
        }
        due.push({ at: now + MS, run: () => core.execOnCanceled(state, orig, now + MS) });
      }
    }
  };
  for (let now = SECOND; now < 6n * SECOND; now += MS) {
    for (let k = 0; k < due.length;) {
      if (due[k]!.at <= now) {
        due.splice(k, 1)[0]!.run();
        drain(now);
      } else {
        k++;
      }
    }
    if (deadline <= now) {
      core.execOnTimer(state, now);
      drain(now);
    }
    for (let i = 0; i < 2; i++) {
      core.execSetGate(state, i, 1, 1);
      const bid = 1000 + Number((now / MS) % 3n);
      core.execOnMarket(state, i, bid, 100, bid + 2, 40, 0.5, now);
      drain(now);
    }
    deadline = core.execNextDeadline(state);
  }
  return { news, late, waited: core.execCancelsWaited(state), sends };
}

function assertWindow(sends: bigint[], cap: number): void {
  for (let a = 0, b = 0; b < sends.length; b++) {
    while (sends[b]! - sends[a]! >= SECOND) a++;
    assert.ok(b - a + 1 <= cap, `${b - a + 1} messages within 1 s ending at ${sends[b]}`);
  }
}

test('the 200 ms cancel leaves at its deadline even when the strategy would fill the broker window with new orders', async () => {
  const busy = await run(10);
  assert.ok(busy.news >= 20 && busy.late.length >= 10, `new orders ${busy.news}, TTL cancels ${busy.late.length}`);
  assert.equal(busy.waited, 0, 'at 10/s no cancel waits for a broker slot');
  assert.ok(Math.min(...busy.late) >= 0, 'no cancel before its deadline');
  assert.ok(Math.max(...busy.late) <= 1, `worst TTL cancel ${Math.max(...busy.late)} ms after its deadline`);
  assertWindow(busy.sends, 10);

  const roomy = await run(100);
  assert.ok(roomy.late.length >= 10, `TTL cancels: ${roomy.late.length}`);
  assert.equal(roomy.waited, 0, 'no cancel waits');
  assert.ok(Math.min(...roomy.late) >= 0, 'no cancel before its deadline');
  assert.ok(Math.max(...roomy.late) <= 1, `worst TTL cancel ${Math.max(...roomy.late)} ms after its deadline`);
  assertWindow(roomy.sends, 100);
});
