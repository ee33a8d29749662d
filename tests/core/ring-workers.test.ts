// The ring across real worker threads sharing one memory: 10 M messages, none lost, none reordered,
// every byte intact (order-sensitive checksum over all 16 words of every message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTransfer } from '../../bench/ring-transfer.js';

for (const wait of ['spin-then-park', 'park'] as const) {
  const messages = wait === 'park' ? 1_000_000 : 10_000_000;
  test(`${messages} messages producer → consumer over the wasm ring (${wait}): zero loss, order kept`, async () => {
    // A small ring forces the producer to meet "full" and the consumer to meet "empty" constantly.
    const out = await runTransfer({ impl: 'wasm-ring', messages, wait, slots: 1024, batch: 64 });
    assert.equal(out.consumer.count, messages);
    assert.equal(out.consumer.outOfOrder, 0, `first out-of-order sequence: ${out.consumer.firstOutOfOrder}`);
    assert.equal(out.consumer.checksum, out.producer.checksum, 'payload checksum');
  });
}

test('the transfer check detects a different message stream', async () => {
  const a = await runTransfer({ impl: 'wasm-ring', messages: 1000 });
  const b = await runTransfer({ impl: 'wasm-ring', messages: 1001 });
  assert.notEqual(a.consumer.checksum, b.consumer.checksum);
});
