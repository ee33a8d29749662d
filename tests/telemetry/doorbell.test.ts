// The doorbell: a control request written in one process wakes a thread of another that sleeps on the
// segment (the engine's control watcher), at once rather than at the sleeper's timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { liveClock } from '../../host/platform/clock.js';
import { loadNative, unlinkShared } from '../../host/platform/native.js';
import { ControlWriter, Doorbell, EngineSegment, SEGMENT_BYTES, SegmentBlock, createSegmentFile } from '../../host/telemetry/index.js';

const SLEEP_MS = 20_000;

async function sleeperAcross(write: (c: ControlWriter) => void): Promise<{ woke: boolean; sleptMs: number; kill: number; heldMs: number }> {
  const name = `/tradecore-doorbell-test-${process.pid}-${Date.now()}`;
  try {
    const segment = createSegmentFile(name, { pid: process.pid, clock: liveClock });
    const script = fileURLToPath(new URL('../testkit/workers/doorbell-sleeper.js', import.meta.url));
    const child = spawn(process.execPath, [script, name, String(SLEEP_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const exited = once(child, 'exit');
    const ready = new Promise<void>((resolve) => child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('ready\n')) resolve();
    }));
    await Promise.race([ready, exited]);
    // Long enough that the child is asleep in the futex, not on its way to it (either way it must wake).
    const heldMs = 300;
    await new Promise((r) => setTimeout(r, heldMs));
    write(new ControlWriter(segment.sab));
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, `sleeper: ${err}`);
    return { ...(JSON.parse(out.trim().split('\n').pop()!) as { woke: boolean; sleptMs: number; kill: number }), heldMs };
  } finally {
    unlinkShared(name);
  }
}

test('the kill word rings the doorbell: a sleeper in another process wakes at once, not at its timeout', { timeout: 60_000 }, async () => {
  const r = await sleeperAcross((c) => c.kill());
  assert.equal(r.woke, true, `the sleeper was not woken (slept ${r.sleptMs} ms)`);
  assert.equal(r.kill, 1, 'the kill word is written before the ring');
  assert.ok(r.sleptMs >= r.heldMs * 0.8 && r.sleptMs < SLEEP_MS / 4, `slept ${r.sleptMs.toFixed(1)} ms: woken by the ring, not the timeout`);
});

test('flatten, reset and parameter requests ring it too', () => {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  new EngineSegment(sab, { pid: process.pid, clock: liveClock }); // the header a ControlWriter checks
  const c = new ControlWriter(sab);
  const bell = new Doorbell(sab);
  const before = bell.rings();
  c.flatten(3);
  assert.equal(bell.rings(), before + 1);
  c.reset('ab'.repeat(16));
  assert.equal(bell.rings(), before + 2);
  c.postParam(1, 5);
  assert.equal(bell.rings(), before + 3);
  c.kill();
  assert.equal(bell.rings(), before + 4);
  // The doorbell sits in the control block, written only by the control side.
  assert.equal(new SegmentBlock(sab, 'control').get('doorbell'), before + 4);
});

test('a sleep with nothing rung ends at its timeout, and a ring already counted ends it at once', () => {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  new EngineSegment(sab, { pid: process.pid, clock: liveClock }); // the header a ControlWriter checks
  const bell = new Doorbell(sab);
  const seen = bell.rings();
  let t = liveClock.nowNs();
  bell.sleep(seen, 20e6);
  assert.ok(liveClock.nowNs() - t >= 15e6, 'slept its 20 ms');
  bell.ring();
  t = liveClock.nowNs();
  bell.sleep(seen, 5e9);
  assert.ok(liveClock.nowNs() - t < 1e9, 'a ring since `seen` ends the sleep at once');
});

test('every acknowledgement rings the ack bell the control side sleeps on', () => {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const engine = new EngineSegment(sab, { pid: process.pid, clock: liveClock });
  const c = new ControlWriter(sab);
  const before = c.ackRings();
  engine.ackKill(true);
  assert.equal(c.ackRings(), before + 1);
  engine.ackReset(1);
  engine.ackFlatten(1);
  engine.ackParam(1, 0);
  assert.equal(c.ackRings(), before + 4);
  // Rung since `before`: the sleep returns at once instead of waiting its 5 s.
  const t = liveClock.nowNs();
  c.sleepForAck(before, 5e9);
  assert.ok(liveClock.nowNs() - t < 1e9);
});

test('the addon\'s futex calls refuse what is not a word of an Int32Array, naming the argument', () => {
  const addon = loadNative();
  const words = new Int32Array(new SharedArrayBuffer(8));
  assert.throws(() => addon.futexWake(new Uint8Array(4) as unknown as Int32Array, 0, 1), /futexWake: words must be an Int32Array, got object/);
  assert.throws(() => addon.futexWait(words, 2, 0, 1), /futexWait: index must be an integer in \[0, 2\), got 2/);
  assert.throws(() => addon.futexWait(words, 0, 0, -1), /futexWait: timeoutNs must be an integer in \[0, /);
  assert.throws(() => addon.futexWake(words, 0, 0), /futexWake: count must be an integer in \[1, /);
  assert.equal(addon.futexWait(words, 0, 5, 1e6), 2, 'the word differs: at once, "not equal"');
  assert.equal(addon.futexWait(words, 0, 0, 1e6), 1, 'nobody rings: timed out');
  assert.equal(addon.futexWake(words, 0, 1), 0, 'nobody sleeps: nobody woken');
});
