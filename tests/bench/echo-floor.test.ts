// The echo floor (bench/echo-floor.ts), with tiny sizes: it times what it should (a server that holds
// each reply for a known time is measured at least that long), keeps the spacing, and leaves no process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { echoFloor, echoRoundTrips, startEchoServer } from '../../bench/echo-floor.js';

/** Calls `fn` once `ms` have passed on the hrtime clock (a timer alone may fire up to 1 ms early). */
function after(ms: number, fn: () => void): void {
  const due = process.hrtime.bigint() + BigInt(ms * 1e6);
  const check = (): void => {
    const left = Number(due - process.hrtime.bigint()) / 1e6;
    if (left <= 0) fn();
    else setTimeout(check, Math.ceil(left));
  };
  check();
}

test('round trips against a server that holds each reply 3 ms: every sample ≥ 3 ms', async () => {
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => after(3, () => s.write(d)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { samples } = await echoRoundTrips((server.address() as net.AddressInfo).port, { spacingUs: 0, samples: 20, warmup: 2 });
    assert.equal(samples.length, 20);
    for (const s of samples) assert.ok(s >= 3e6, `${s} ns`);
  } finally {
    server.close();
  }
});

test('echo floor back to back and at 2 ms spacing: ordered percentiles, spacing kept, the child gone', async () => {
  const fast = await echoFloor({ spacingUs: 0, samples: 200, warmup: 20 });
  assert.equal(fast.samples, 200);
  assert.ok(fast.rtt_us.p50 > 0);
  assert.ok(fast.rtt_us.p50 <= fast.rtt_us.p99 && fast.rtt_us.p99 <= fast.rtt_us.p999 && fast.rtt_us.p999 <= fast.rtt_us.max);
  assert.ok(fast.mean_spacing_us >= fast.rtt_us.p50 * 0.5, 'back to back: the next send waits for the reply');
  const spaced = await echoFloor({ spacingUs: 2000, samples: 30, warmup: 3 });
  assert.equal(spaced.spacing_us, 2000);
  assert.ok(spaced.mean_spacing_us >= 2000, `timers never fire early: ${spaced.mean_spacing_us} µs`);
  const server = await startEchoServer();
  await server.stop();
  assert.notEqual(server.child.exitCode ?? server.child.signalCode, null, 'the echo server has exited');
});
