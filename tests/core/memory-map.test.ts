import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planMemory, RESERVED_LOW_BYTES, ALIGN } from '../../host/core/memory-map.js';
import { ConfigError } from '../../host/config/config-error.js';
import { createWaitStrategy } from '../../host/core/wait-strategy.js';
import { testCore } from '../testkit/core.js';

test('every region is cache-line aligned, above the reserved low memory, and overlaps no other', async () => {
  const { core } = await testCore();
  const map = planMemory({
    rings: [{ name: 'md', slots: 1024 }, { name: 'orders', slots: 256 }],
    books: [{ symbol: 'RELIANCE', levels: 4096 }, { symbol: 'INFY', levels: 64 }],
    scratch: [{ worker: 'oracle', bytes: 100 }, { worker: 'execution', bytes: 4096 }],
  }, core);
  const regions = [...Object.values(map.rings), ...Object.values(map.books), ...Object.values(map.scratch)]
    .sort((a, b) => a.offset - b.offset);
  assert.equal(regions.length, 6);
  assert.ok(regions[0]!.offset >= RESERVED_LOW_BYTES);
  for (const [i, r] of regions.entries()) {
    assert.equal(r.offset % ALIGN, 0, `offset ${r.offset} aligned`);
    if (i > 0) assert.ok(regions[i - 1]!.offset + regions[i - 1]!.bytes <= r.offset, 'no overlap');
  }
  const end = regions.at(-1)!.offset + regions.at(-1)!.bytes;
  assert.ok(map.totalBytes >= end && map.totalBytes % 65536 === 0 && map.pages === map.totalBytes / 65536);
  assert.equal(map.rings['md']!.bytes, core.ringBytes(1024));
  assert.equal(map.books['RELIANCE']!.bytes, core.bookBytes(4096));
});

test('bad plans are refused naming the key and the allowed range', async () => {
  const { core } = await testCore();
  const refused = (config: Parameters<typeof planMemory>[0], key: string) =>
    assert.throws(() => planMemory(config, core), (e: unknown) => e instanceof ConfigError && e.key === key && e.message.startsWith(key));
  refused({ rings: [{ name: 'md', slots: 1000 }] }, 'rings[0].slots');
  refused({ rings: [{ name: 'md', slots: 8 }, { name: 'md', slots: 8 }] }, 'rings[1].name');
  refused({ books: [{ symbol: 'X', levels: 32 }] }, 'books[0].levels');
  refused({ books: [{ symbol: '', levels: 64 }] }, 'books[0].symbol');
  refused({ scratch: [{ worker: 'w', bytes: 1.5 }] }, 'scratch[0].bytes');
  refused({ scratch: [{ worker: 'w', bytes: 2 ** 31 }, { worker: 'v', bytes: 2 ** 31 }] }, 'memory');
  assert.throws(() => planMemory({ rings: [{ name: 'md', slots: 3 }] }, core), /rings\[0\]\.slots must be a power of two in \[2, 16777216\], got 3/);
});

test('wait strategies refuse unknown kinds and bad limits', async () => {
  const { core } = await testCore();
  assert.throws(() => createWaitStrategy({ kind: 'yield' as never }, core), /wait\.kind must be one of busy-spin, spin-then-park, park/);
  assert.throws(() => createWaitStrategy({ kind: 'busy-spin', spins: -1 }, core), /wait\.spins/);
  assert.throws(() => createWaitStrategy({ kind: 'park', parkTimeoutMs: 0 }, core), /wait\.parkTimeoutMs/);
  const ring = 65536;
  core.ringInit(ring, 8);
  for (const kind of ['busy-spin', 'spin-then-park', 'park'] as const) {
    const w = createWaitStrategy({ kind, spins: 10, parkTimeoutMs: 5 }, core);
    const t0 = performance.now();
    assert.equal(w.awaitReadable(ring), false, `${kind} on an empty ring gives up`);
    assert.ok(performance.now() - t0 < 2000);
  }
  core.ringPush(ring, 1 << 18);
  for (const kind of ['busy-spin', 'spin-then-park', 'park'] as const) {
    assert.equal(createWaitStrategy({ kind }, core).awaitReadable(ring), true, `${kind} sees a ready message`);
  }
});
