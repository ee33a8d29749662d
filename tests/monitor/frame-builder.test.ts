// The cockpits' frames built off the main thread (monitor/frame-builder.ts): the first ask has nothing yet, each
// later one the newest frame, whole, in order; a frame given as text reaches a client with its skip count added.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { unlinkShared } from '../../host/platform/native.js';
import { ensureControlToken } from '../../host/telemetry/index.js';
import { FrameBuilder } from '../../monitor/frame-builder.js';
import { TelemetryStream } from '../../monitor/telemetry-stream.js';
import { fakeEngine } from '../testkit/fake-engine.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('frames come from the worker: none at the first ask, then the newest whole frame each time, in order', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-frames-'));
  const segment = `/tradecore-frames-test-${process.pid}`;
  const engine = fakeEngine(segment, ensureControlToken(join(dir, 'ctl')));
  const frames = new FrameBuilder({ segment });
  t.after(async () => {
    await frames.close();
    engine.stop();
    unlinkShared(segment);
    rmSync(dir, { recursive: true, force: true });
  });
  assert.equal(frames.next(), null, 'nothing built before the first ask');
  const got: Record<string, any>[] = [];
  for (let i = 0; i < 200 && got.length < 3; i++) {
    await sleep(20);
    if (got.length === 1) engine.pub.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
    const text = frames.next();
    if (text !== null) got.push(JSON.parse(text));
  }
  assert.equal(got.length, 3);
  assert.deepEqual(got.map((f) => f['seq']), [1, 2, 3]);
  for (const f of got) {
    assert.equal(f['type'], 'telemetry');
    assert.equal(f['link'].status, 'up');
    assert.equal(f['link'].pid, process.pid);
  }
  assert.equal(got.at(-1)!['view'].state.state, TradingState.HALTED, 'a later frame shows what the engine published since');
});

test('a frame given as JSON text reaches each client with its own skip count, last', () => {
  const stream = new TelemetryStream({ hz: 10, maxBufferedBytes: 10, path: '/ws' }, () => '{"type":"telemetry","seq":7}', () => ({ type: 'hello' }));
  const client = () => ({ OPEN: 1, readyState: 1, bufferedAmount: 0, sent: [] as string[], send(x: string) { this.sent.push(x); }, on() { return this; }, terminate() {} });
  const a = client();
  const b = client();
  stream.accept(a as unknown as WebSocket);
  stream.accept(b as unknown as WebSocket);
  b.bufferedAmount = 100; // full: skips
  stream.tick();
  stream.tick();
  b.bufferedAmount = 0;
  stream.tick();
  assert.deepEqual(JSON.parse(a.sent.at(-1)!), { type: 'telemetry', seq: 7, skipped: 0 });
  assert.deepEqual(JSON.parse(b.sent.at(-1)!), { type: 'telemetry', seq: 7, skipped: 2 });
  assert.equal(b.sent.length, 2, 'hello and the one frame it had room for');
  void stream.close();
});
