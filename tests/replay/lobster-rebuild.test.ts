// LOBSTER replay: hand-worked books, the undo-first-message rule, band recentering, refused rows,
// the recorded AAPL sample, and the CLI as a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCore, coreSizes } from '../../host/core/core-loader.js';
import { createSharedMemory, instantiateCore } from '../../host/core/core.js';
import { NO_PRICE } from '../../host/model/vocabulary.js';
import { planMemory } from '../../host/core/memory-map.js';
import { fixturesDir } from '../testkit/fixtures.js';
import {
  DEFAULT_BAND_LEVELS, LobsterFormatError, parseLobster, replayLobster, replayMemoryConfig, replayRegions,
  type LobsterParseOptions, type ReplayOptions, type ReplayResult,
} from '../../host/replay/lobster-rebuild.js';
import { runCli } from '../testkit/cli.js';

let module: Promise<WebAssembly.Module> | undefined;

async function replay(
  messages: string, orderbook: string, options: LobsterParseOptions & ReplayOptions & { bandLevels?: number } = {},
): Promise<ReplayResult> {
  const data = parseLobster(messages, orderbook, options);
  const compiled = await (module ??= compileCore());
  const map = planMemory(replayMemoryConfig(data.orderbook.depth, options.bandLevels ?? DEFAULT_BAND_LEVELS), coreSizes(compiled));
  const core = instantiateCore(compiled, createSharedMemory(map.totalBytes));
  return replayLobster(core, replayRegions(map), data, options);
}

const csv = (rows: readonly string[]): string => `${rows.join('\n')}\n`;

// A two-level book at $100.00 / $100.01. Before message 1: asks 100.01×40, 100.02×20; bids 100.00×50, 99.99×30.
// Orderbook columns per level: ask price, ask size, bid price, bid size.
const HAND_MESSAGES = [
  '34200.1,1,101,10,1000000,1', //    submit buy 10 @ 100.00          → bid 100.00 = 60
  '34200.2,2,102,5,1000100,-1', //    partial cancel 5 of a sell      → ask 100.01 = 35
  '34200.3,3,103,30,999900,1', //     delete the buy at 99.99         → bid level 2 empty
  '34200.4,4,104,35,1000100,-1', //   execute the resting sell 35     → ask 100.01 gone
  '34200.5,5,0,100,1000050,1', //     hidden execution at the midpoint: book unchanged
  '34200.6,6,-1,200,1000000,1', //    cross trade: book unchanged
  '34200.7,7,0,0,-1,-1', //           halt: book unchanged
  '34200.8,1,105,15,1000100,-1', //   submit sell 15 @ 100.01         → ask 100.01 = 15
];
const AFTER_EXECUTION = '1000200,20,1000000,60,9999999999,0,-9999999999,0';
const HAND_ORDERBOOK = [
  '1000100,40,1000000,60,1000200,20,999900,30',
  '1000100,35,1000000,60,1000200,20,999900,30',
  '1000100,35,1000000,60,1000200,20,-9999999999,0',
  AFTER_EXECUTION,
  AFTER_EXECUTION,
  AFTER_EXECUTION,
  AFTER_EXECUTION,
  '1000100,15,1000000,60,1000200,20,-9999999999,0',
];

test('a hand-worked session matches every row at every level', async () => {
  const snapshots: number[][] = [];
  const r = await replay(csv(HAND_MESSAGES), csv(HAND_ORDERBOOK), { onRow: (s) => snapshots.push([...s.snapshot]) });
  assert.deepEqual(
    { rows: r.rows, depth: r.depth, top: r.topOfBookMatch, all: r.allLevelsMatch, first: r.firstMismatchRow },
    { rows: 8, depth: 2, top: 8, all: 8, first: null },
  );
  assert.equal(r.clampedReductions, 0);
  assert.equal(r.outOfBandUpdates, 0);
  // Ticks of $0.01; snapshot rows are bid price, bid size, ask price, ask size.
  assert.deepEqual(snapshots[3], [10000, 60, 10002, 20, NO_PRICE, 0, NO_PRICE, 0]);
  assert.deepEqual(snapshots[7], [10000, 60, 10001, 15, NO_PRICE, 0, 10002, 20]);
});

test('a wrong orderbook row is reported at its row', async () => {
  const deepWrong = [...HAND_ORDERBOOK];
  deepWrong[4] = '1000200,20,1000000,60,1000300,7,-9999999999,0'; // a second ask level we do not have
  const deep = await replay(csv(HAND_MESSAGES), csv(deepWrong));
  assert.deepEqual([deep.topOfBookMatch, deep.allLevelsMatch, deep.firstMismatchRow], [8, 7, 5]);

  const topWrong = [...HAND_ORDERBOOK];
  topWrong[5] = '1000200,20,1000000,61,9999999999,0,-9999999999,0'; // best bid size off by one
  const top = await replay(csv(HAND_MESSAGES), csv(topWrong));
  assert.deepEqual([top.topOfBookMatch, top.allLevelsMatch, top.firstMismatchRow], [7, 7, 6]);
});

// Before message 1: asks 100.01×40, 100.02×20; bids 100.00×50, 99.99×30. Message 2 cancels 5 of the bid at 100.00.
// Each case is chosen so that skipping (or inverting) the undo changes the replayed book or clamps.
const UNDO_CASES = [
  { type: 1, first: '34200.1,1,101,10,1000000,1', row1: '1000100,40,1000000,60,1000200,20,999900,30', bid1After2: 55 },
  { type: 2, first: '34200.1,2,102,5,1000100,-1', row1: '1000100,35,1000000,50,1000200,20,999900,30', bid1After2: 45 },
  // Deletes one of the orders at 99.99; 20 shares of others remain.
  { type: 3, first: '34200.1,3,103,10,999900,1', row1: '1000100,40,1000000,50,1000200,20,999900,20', bid1After2: 45 },
  // Executes the whole ask level: row 1 no longer shows it, the undo must bring it back.
  { type: 4, first: '34200.1,4,104,40,1000100,-1', row1: '1000200,20,1000000,50,9999999999,0,999900,30', bid1After2: 45 },
];

for (const c of UNDO_CASES) {
  test(`the initial book is row 1 with a type ${c.type} first message undone`, async () => {
    const row2 = c.row1.replace(/^([^,]*,[^,]*),1000000,\d+/, `$1,1000000,${c.bid1After2}`);
    const r = await replay(csv([c.first, '34200.2,2,200,5,1000000,1']), csv([c.row1, row2]));
    assert.deepEqual([r.allLevelsMatch, r.firstMismatchRow, r.clampedReductions], [2, null, 0]);
  });
}

test('the band follows the mid and a stray far price is counted, not applied', async () => {
  // One level per side, a band of 64 ticks: the first row centres it at 9969..10032.
  const r = await replay(csv([
    '34200.1,3,1,10,1000000,1', //   delete the bid
    '34200.2,3,2,10,1000100,-1', //  delete the ask: book empty
    '34200.3,1,3,5,1003000,1', //    bid 100.30 (in band)
    '34200.4,1,4,5,1003100,-1', //   ask 100.31 (last tick of the band)
    '34200.5,1,5,7,1004000,-1', //   ask 100.40: out of band, band recentres on the mid 100.30, retried
    '34200.6,1,6,9,500000,1', //     bid 50.00: the mid has not moved, nothing to recentre: out of band
    '34200.7,3,4,5,1003100,-1', //   delete the ask at 100.31: 100.40 must have survived
  ]), csv([
    '1000100,10,-9999999999,0',
    '9999999999,0,-9999999999,0',
    '9999999999,0,1003000,5',
    '1003100,5,1003000,5',
    '1003100,5,1003000,5',
    '1003100,5,1003000,5',
    '1004000,7,1003000,5',
  ]), { bandLevels: 64 });
  assert.deepEqual([r.allLevelsMatch, r.firstMismatchRow], [7, null]);
  assert.deepEqual([r.initialBasePrice, r.finalBasePrice], [10001 - 32, 10030 - 32]);
  assert.deepEqual([r.recenters, r.levelsDroppedByRecenter, r.outOfBandUpdates], [1, 0, 1]);
});

test('rows the replay cannot read are refused with file, line and column', () => {
  const refused = (messages: string[], orderbook: string[], at: [number, number], reason: RegExp, file = 'm.csv') => {
    assert.throws(() => parseLobster(csv(messages), csv(orderbook), { messageFile: 'm.csv', orderbookFile: 'o.csv' }), (err) => {
      assert.ok(err instanceof LobsterFormatError, String(err));
      assert.deepEqual([err.file, err.line, err.column], [file, ...at]);
      assert.match(err.message, reason);
      assert.ok(err.message.startsWith(`${file}:${at[0]}:${at[1]}: `), err.message);
      return true;
    });
  };
  const book = '1000100,40,1000000,50';
  refused(['34200.1,1,1,10,1000000,1', '34200.2,1,2,10,1000050,1'], [book, book], [2, 5], /not on the tick grid/);
  refused(['34200.1,1,1,10,1000000,1', '34200.2,1,2,10,1000000'], [book, book], [2, 6], /expected 6 columns, got 5/);
  refused(['34200.1,8,1,10,1000000,1'], [book], [1, 2], /unknown message type 8/);
  refused(['34200.1,1,1,ten,1000000,1'], [book], [1, 4], /size must be an integer/);
  refused(['34200.1,1,1,0,1000000,1'], [book], [1, 4], /size must be > 0/);
  refused(['34200.1,1,1,10,1000000,0'], [book], [1, 6], /direction/);
  refused(['noon,1,1,10,1000000,1'], [book], [1, 1], /time/);
  refused(['34200.1,1,1,10,1000000,1', '', '34200.2,1,2,10,1000000,1'], [book, book], [2, 1], /empty row/);
  refused(['34200.1,1,1,10,1000000,1'], ['1000100,40,1000050,50'], [1, 3], /not on the tick grid/, 'o.csv');
  refused(['34200.1,1,1,10,1000000,1'], ['1000100,40,1000000'], [1, 4], /multiple of 4 columns/, 'o.csv');
  refused(['34200.1,1,1,10,1000000,1', '34200.2,1,2,10,1000000,1'], [book], [2, 1], /1 rows for 2 messages/, 'o.csv');
  refused(['34200.1,1,1,10,1000000,1'], [`${book}\n${book},1,2`], [2, 5], /expected 4 columns, got 6/, 'o.csv');
  // A coarser tick makes $0.01 prices off-grid.
  assert.throws(() => parseLobster(csv(['34200.1,1,1,10,1000100,1']), csv(['1000200,40,1000100,10']), { tickSize: 200 }),
    /message:1:5: price 1000100 is not on the tick grid \(tick 200\)/);
});

const lobsterFixture = (name: string) => fileURLToPath(new URL(`lobster/AAPL_2012-06-21_34200000_57600000_${name}_10.csv`, fixturesDir()));

test('the AAPL sample rebuilds the top of book on at least 95% of rows', async () => {
  const { readFile } = await import('node:fs/promises');
  const r = await replay(await readFile(lobsterFixture('message'), 'utf8'), await readFile(lobsterFixture('orderbook'), 'utf8'));
  assert.equal(r.rows, 999);
  assert.equal(r.depth, 10);
  assert.ok(r.topOfBookMatch / r.rows >= 0.95, `top of book matched on ${r.topOfBookMatch} of ${r.rows} rows`);
  // Row 1 is row 1 with message 1 undone and redone: it must match whatever the data.
  assert.notEqual(r.firstMismatchRow, 1);
  assert.ok(r.allLevelsMatch <= r.topOfBookMatch);
});

// ── the CLI ─────────────────────────────────────────────────────────────────────────────────────



test('CLI: the last stdout line is the four-key result', async () => {
  const { code, stdout, stderr } = await runCli('lobster-rebuild', [lobsterFixture('message'), lobsterFixture('orderbook')]);
  assert.equal(code, 0, stderr);
  const last = stdout.trimEnd().split('\n').at(-1)!;
  const result = JSON.parse(last) as Record<string, unknown>;
  assert.deepEqual(Object.keys(result), ['rows', 'top_of_book_match', 'all_levels_match', 'first_mismatch_row']);
  assert.equal(result.rows, 999);
});

test('CLI: no arguments → usage and exit code 2', async () => {
  const { code, stdout, stderr } = await runCli('lobster-rebuild', []);
  assert.equal(code, 2);
  assert.match(stderr, /usage: replay-lobster <message\.csv> <orderbook\.csv>/);
  assert.equal(stdout, '');
});

test('CLI: bad options → usage and exit code 2', async () => {
  for (const args of [['--levels', '100', lobsterFixture('message'), lobsterFixture('orderbook')], ['--tick', 'x', lobsterFixture('message'), lobsterFixture('orderbook')], ['--depth', '3', lobsterFixture('message'), lobsterFixture('orderbook')]]) {
    const { code, stderr } = await runCli('lobster-rebuild', args);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, /usage:/);
  }
});

test('CLI: a missing file → exit code 1 naming it', async () => {
  const missing = join(tmpdir(), 'no-such-lobster-message.csv');
  const { code, stdout, stderr } = await runCli('lobster-rebuild', [missing, lobsterFixture('orderbook')]);
  assert.equal(code, 1);
  assert.ok(stderr.includes(missing), stderr);
  assert.equal(stdout, '');
});

test('CLI: a bad row → exit code 1 naming file:line:column', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lobster-'));
  const messages = join(dir, 'message.csv');
  const orderbook = join(dir, 'orderbook.csv');
  await writeFile(messages, csv(['34200.1,1,1,10,1000000,1', '34200.2,9,2,10,1000000,1']));
  await writeFile(orderbook, csv(['1000100,40,1000000,60', '1000100,40,1000000,70']));
  const { code, stderr } = await runCli('lobster-rebuild', [messages, orderbook]);
  assert.equal(code, 1);
  assert.ok(stderr.includes(`${messages}:2:2: unknown message type 9`), stderr);
});
