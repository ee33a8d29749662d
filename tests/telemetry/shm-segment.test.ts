// The segment as it runs: a /dev/shm file the engine creates with the addon, read and controlled from a
// second PROCESS that maps it by name. The kill word it writes reaches the engine, whose HALTED it then reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { liveClock } from '../../host/platform/clock.js';
import { unlinkShared } from '../../host/platform/native.js';
import { SEGMENT_BYTES, SegmentError, createSegmentFile, mapSegmentFile, segmentPath } from '../../host/telemetry/index.js';

let seq = 0;
const uniqueName = (): string => `/tradecore-telemetry-test-${process.pid}-${Date.now()}-${seq++}`;

test('a second process maps the segment by name, reads it, and its kill word halts the engine', { timeout: 30_000 }, async () => {
  const name = uniqueName();
  const script = fileURLToPath(new URL('../testkit/workers/segment-child.js', import.meta.url));
  try {
    const engine = createSegmentFile(name, { pid: process.pid, clock: liveClock });
    assert.equal(statSync(segmentPath(name)).size, SEGMENT_BYTES);
    engine.publishTradingState(TradingState.REDUCING, TradingStateReason.OPERATOR);
    engine.heartbeat();
    const child = spawn(process.execPath, [script, name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = once(child, 'exit') as Promise<[number | null]>;
    // The engine's cool loop: heartbeat, and act on the control block.
    let halted = false;
    const deadline = Date.now() + 20_000;
    while (child.exitCode === null && Date.now() < deadline) {
      engine.heartbeat();
      if (!halted && engine.pollControl().kill) {
        halted = true;
        engine.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
        engine.ackKill(true);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    const [code] = await exited;
    assert.equal(code, 0, `child: ${stderr}`);
    assert.equal(halted, true, 'the engine saw the kill word written by the other process');
    const report = JSON.parse(stdout.trim()) as { pid: number; enginePid: number; before: Record<string, number>; after: Record<string, number>; up: boolean };
    assert.notEqual(report.pid, process.pid);
    assert.equal(report.enginePid, process.pid);
    assert.deepEqual([report.before.state, report.before.reason], [TradingState.REDUCING, TradingStateReason.OPERATOR]);
    assert.deepEqual([report.after.state, report.after.reason], [TradingState.HALTED, TradingStateReason.KILL]);
    assert.equal(report.up, true);
  } finally {
    try { unlinkShared(name); } catch { /* already gone */ }
  }
});

test('mapping a segment that does not exist is a clear error and creates nothing', () => {
  const name = uniqueName();
  assert.throws(() => mapSegmentFile(name), (e: unknown) => e instanceof SegmentError && /does not exist: is the engine running\?/.test(e.message));
  assert.equal(existsSync(segmentPath(name)), false);
});
