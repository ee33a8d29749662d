// The cockpit stream: a real WebSocket client gets a hello, then whole telemetry frames at the configured rate;
// a client whose socket holds more than the limit unsent gets frames dropped (and told how many it missed),
// while the others keep getting every frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { liveClock } from '../../host/platform/clock.js';
import { unlinkShared } from '../../host/platform/native.js';
import { ensureControlToken } from '../../host/telemetry/index.js';
import { createMonitor } from '../../monitor/monitor-app.js';
import { TelemetryStream } from '../../monitor/telemetry-stream.js';
import { fakeEngine } from '../testkit/fake-engine.js';

test('a cockpit gets a hello, then whole frames at the stream rate', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-stream-'));
  const segment = `/tradecore-stream-test-${process.pid}`;
  const engine = fakeEngine(segment, ensureControlToken(join(dir, 'ctl')));
  engine.pub.publishTradingState(TradingState.ACTIVE, TradingStateReason.RESET);
  const monitor = createMonitor({
    segment, journal: join(dir, 'none.journal'), controlDir: join(dir, 'ctl'), symbols: ['RELIANCE'], clock: liveClock,
    cockpitDir: null, openReads: true, streamHz: 20,
  });
  t.after(async () => {
    engine.stop();
    await monitor.close();
    unlinkShared(segment);
    rmSync(dir, { recursive: true, force: true });
  });
  await monitor.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = monitor.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const frames: any[] = [];
  ws.on('message', (data) => frames.push({ at: performance.now(), ...JSON.parse(String(data)) }));
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  await new Promise((r) => setTimeout(r, 1100));
  // An event appended while streaming arrives in a frame.
  engine.pub.appendEvent({ kind: 6, tsNs: 1, code: TradingState.HALTED });
  await new Promise((r) => setTimeout(r, 200));
  ws.close();

  assert.equal(frames[0].type, 'hello');
  assert.deepEqual(frames[0].symbols, ['RELIANCE']);
  assert.ok(frames[0].tunables.some((x: any) => x.key === 'execution.strategy.threshold' && x.min === 0 && x.max === 1), 'controls come with their ranges');
  const tel = frames.filter((f) => f.type === 'telemetry');
  // 20 Hz over ~1.3 s: about 26 frames; timers on a loaded machine run late, never early.
  assert.ok(tel.length >= 15 && tel.length <= 28, `${tel.length} frames`);
  assert.ok(tel.every((f, i) => i === 0 || f.seq > tel[i - 1].seq), 'frames in order');
  assert.equal(tel.at(-1).link.status, 'up');
  assert.equal(tel.at(-1).view.state.state, TradingState.ACTIVE);
  assert.ok(tel.some((f) => f.events.some((e: any) => e.kind === 6 && e.code === TradingState.HALTED)), 'the event reached the client');

  const other = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`);
  const refused = await new Promise<string>((r) => {
    other.once('unexpected-response', (_req, res) => r(`status ${res.statusCode}`));
    other.once('error', (err) => r(`error ${err.message}`));
    other.once('open', () => r('open'));
  });
  assert.match(refused, /404/, 'an upgrade on another path is refused');
});

test('a slow client gets frames dropped and told how many; a fast one gets them all; memory stays bounded', () => {
  const frame = { type: 'telemetry', payload: 'x'.repeat(1000) };
  const stream = new TelemetryStream({ hz: 10, maxBufferedBytes: 4096, path: '/ws' }, () => frame, () => ({ type: 'hello' }));
  const fake = () => {
    const sent: string[] = [];
    const ws = {
      OPEN: 1, readyState: 1, bufferedAmount: 0, sent,
      send(text: string) { sent.push(text); this.bufferedAmount += text.length; },
      on() { return this; },
      terminate() {},
    };
    return ws;
  };
  const fast = fake();
  const slow = fake();
  stream.accept(fast as unknown as WebSocket);
  stream.accept(slow as unknown as WebSocket);
  for (let i = 0; i < 20; i++) {
    fast.bufferedAmount = 0; // drained by a reader that keeps up
    stream.tick();
  }
  assert.equal(fast.sent.length, 21, 'hello + every frame');
  // The slow one never drains: it gets frames until its unsent bytes pass the limit, then none.
  const slowFrames = slow.sent.length - 1;
  assert.ok(slowFrames >= 4 && slowFrames <= 6, `${slowFrames} frames before the limit`);
  assert.ok(slow.bufferedAmount <= 4096 + 1100, `held ${slow.bufferedAmount} bytes`);
  assert.equal(stream.stats().framesDropped, 20 - slowFrames);
  // Once it catches up, the next frame says how many it missed.
  slow.bufferedAmount = 0;
  stream.tick();
  assert.equal(JSON.parse(slow.sent.at(-1)!).skipped, 20 - slowFrames);
  assert.equal(JSON.parse(fast.sent.at(-1)!).skipped, 0);
  stream.close();
});
