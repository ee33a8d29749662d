// The feed's per-frame path allocates nothing once optimised: 300 000 L2Delta/Trade frames (≈ 10 MB, cut into
// 64 KiB socket-sized chunks made beforehand) go through the handler's socket (a scripted one) with callbacks attached, and no
// garbage collection runs and the heap does not grow by more than a sliver. An allocation of even
// 16 bytes per frame would be ~5 MB: past the young generation's size, so a scavenge would run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Side } from '../../../host/model/vocabulary.js';
import { FeedHandler } from '../../../host/adapters/feed/feed-handler.js';
import { liveClock, type Clock } from '../../../host/platform/clock.js';
import { feedMemory, gcDuring, md } from '../../testkit/md-server.js';
import { scriptedDialer } from '../../testkit/scripted-socket.js';

/** Live time (T0 is real) and timers that never fire: no heartbeat or idle check runs between the
 *  counted frames. */
function liveTimeOnly(): Clock {
  const never = { cancel: () => {} };
  return { nowNs: liveClock.nowNs, wallMs: liveClock.wallMs, setTimer: () => never, setInterval: () => never };
}

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;

function chunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, Math.min(at + size, bytes.length)));
  return out;
}

test('L2Deltas and Trades through the feed handler allocate nothing per frame', async () => {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 1024 }]);
  const acc = new Float64Array(1); // not a closure `let`: a double there is boxed on every update
  const net = scriptedDialer();
  const feed = new FeedHandler({ port: 1, reconnect: { initialMs: 10, maxMs: 10, jitter: 0 }, log: () => {}, clock: liveTimeOnly(),
    dial: net.dial }, mem, {
    onBookChange: (s, side, price, qty, seq, t0) => {
      acc[0] += s + side + price + qty + seq + (t0 > 0 ? 1 : 0);
    },
    onTrade: (s, side, price, qty, id, seq) => {
      acc[0] += s + side + price + qty + id + seq;
    },
  });
  feed.start();
  const socket = net.last();
  socket.open();
  const onData = (chunk: Buffer): void => socket.receive(chunk);
  onData(Buffer.concat([
    md.def({ id: 1, count: 1, name: 'AAA', bandLow: 900, bandHigh: 1100, refPrice: 1000 }),
    md.snapshot(1, 0, [[999, 10]], [[1001, 10]]),
  ]));
  assert.ok(feed.isStale(1) === false);

  let seq = 0;
  const stream = (n: number): Buffer[] => {
    const frames: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      seq++;
      if (i % 10 === 9) frames.push(md.trade(1, seq, BID, 1001, 1, seq));
      else frames.push(md.delta(1, seq, i & 1 ? ASK : BID, i & 1 ? 1001 + (i % 7) : 999 - (i % 7), 1 + (i % 50)));
    }
    return chunks(Buffer.concat(frames), 65536);
  };
  const warm = stream(50_000);
  for (const c of warm) onData(c);
  // Up to three attempts: on a loaded machine the optimised code may not be ready (background
  // compilation) when the first one starts, and interpreted code boxes doubles.
  let gcs = 0;
  let heapGrowth = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const hot = stream(300_000);
    ({ gcs, heapGrowth } = await gcDuring(() => {
      for (const c of hot) onData(c);
    }));
    if (gcs === 0 && heapGrowth < 1 << 20) break;
  }
  assert.equal(feed.lastSeq(1), seq);
  assert.equal(feed.counters.badFrames, 0);
  assert.ok(acc[0]! > 0);
  assert.equal(gcs, 0, `garbage collections during 300 000 frames: ${gcs} (heap +${heapGrowth} B)`);
  assert.ok(heapGrowth < 1 << 20, `heap grew ${heapGrowth} B over 300 000 frames`);
});
