// One compiled module, N worker threads, one memory: what a worker writes through its own instance,
// the main thread's instance reads at the same offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCore, createSharedCore, firstMessage, spawnCoreWorkers } from '../../host/core/core-loader.js';

test('four workers instantiate the same module over the same memory and share its bytes', async () => {
  const symbols = ['A', 'B', 'C', 'D'];
  const shared = await createSharedCore({ books: symbols.map((symbol) => ({ symbol, levels: 64 })) });
  const workers = spawnCoreWorkers(shared, symbols.map((symbol, i) => ({
    name: `w${i}`, url: new URL('../testkit/workers/book-writer-worker.js', import.meta.url), data: { symbol, price: 10 + i },
  })));
  try {
    const replies = await Promise.all(workers.map((w) => firstMessage<{ threadId: number; memoryBytes: number }>(w)));
    assert.equal(new Set(replies.map((r) => r.threadId)).size, 4, 'four distinct threads');
    for (const r of replies) assert.equal(r.memoryBytes, shared.memory.buffer.byteLength);
    symbols.forEach((symbol, i) => {
      const book = shared.map.books[symbol]!.offset;
      assert.equal(shared.core.bookBestBid(book), 10 + i, `${symbol} bid written by worker ${i}`);
      assert.equal(shared.core.bookBestAsk(book), 11 + i);
      assert.equal(shared.core.bookBestBidQty(book), 100 * (i + 1));
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
});

test('createSharedCore takes a compiled module instead of compiling the core again', async () => {
  const module = await compileCore();
  const shared = await createSharedCore({ books: [{ symbol: 'AAA', levels: 64 }] }, module);
  assert.equal(shared.module, module, 'the module given is the one instantiated');
  assert.equal(shared.core.bookLevels(shared.map.books['AAA']!.offset), 64);
});
