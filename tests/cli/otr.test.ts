// `npm run otr`: the CLI as a child process on small events files, with every output value worked
// out by hand below; bad lines exit 1 naming the line, bad arguments exit 2 with the usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../testkit/cli.js';

/** The example file in the source tree (dist/tests/cli → fixtures/). */
const EXAMPLE = fileURLToPath(new URL('../../../fixtures/otr-events.jsonl', import.meta.url));


async function eventsFile(lines: readonly (string | object)[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'otr-cli-'));
  const file = join(dir, 'events.jsonl');
  await writeFile(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

async function runJson(args: string[]): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runCli('otr', args);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1, 'one JSON object on stdout');
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

test('CLI: the example file, worked by hand', async () => {
  // Cash, tick 5 paise. 2026-11-19: one exempt new (at LTP), one counted (4 % away), one trade.
  // 2026-11-20, LTP ₹2500.00 = 50 000 ticks; 0.75 % = ₹18.75 = 375 ticks:
  //   new ₹2518.75 exactly 0.75 % → exempt · new ₹2518.80 → counted
  //   modify to ₹2450 (2 %) → counted · modify to ₹2501 → exempt
  //   cancel of ₹2501 with LTP ₹2600 (3.8 %) → counted · with LTP ₹2501.50 → exempt · one trade
  // counted 3, trades 1 → OTR 3 → nil slab, penalty 0; one more → 4 → still 0
  // budget to OTR ≤ 49.999 with 1 trade: ⌊49.999⌋ = 49 counted in all → 46 more
  const out = await runJson([EXAMPLE]);
  assert.deepEqual(out, {
    segment: 'cash', tick_paise: 5, events: 10, day: 20777, date: '2026-11-20',
    new: 1, modify: 1, cancel: 1, counted: 3, exempt_new: 1, exempt_modify: 1, exempt_cancel: 1, exempt: 3, trades: 1,
    otr: 3, slab: 0, slab_paise_per_order: 0, penalty_paise: 0, marginal_penalty_paise: 0,
    target_otr: 49.999, budget_to_target: 46, opening_ban: false, next_day_opening_ban: false, flagged_days_in_window: 0,
    previous: { day: 20776, date: '2026-11-19', counted: 1, trades: 1, penalty_paise: 0 },
  });
});

test('CLI: 120 counted orders and 2 trades → OTR 60, 240 paise, 2 more for the next order', async () => {
  const lines: object[] = [];
  for (let i = 0; i < 120; i++) lines.push({ type: i % 3 === 0 ? 'new' : i % 3 === 1 ? 'modify' : 'cancel', date: '2026-11-20', price: 2400, ltp: '2500' });
  lines.push({ type: 'trade', date: '2026-11-20' }, { type: 'trade', date: '2026-11-20' });
  lines.push({ type: 'new', date: '2026-11-20', price: '2500.05', ltp: 2500 }); // 1 tick off: exempt
  // 120 / 2 = 60 → 2 paise × 120 = 240; 121 / 2 = 60.5 → 242 → marginal 2; to OTR ≤ 100: 200 − 120 = 80 more
  const out = await runJson([await eventsFile(lines), '--target-otr', '100']);
  assert.deepEqual(
    [out.new, out.modify, out.cancel, out.counted, out.exempt, out.trades, out.otr, out.slab, out.slab_paise_per_order],
    [40, 40, 40, 120, 1, 2, 60, 1, 2]);
  assert.deepEqual([out.penalty_paise, out.marginal_penalty_paise, out.target_otr, out.budget_to_target], [240, 2, 100, 80]);
  assert.equal(out.previous, null);
});

test('CLI: options use ±max(40 %, ₹20) from the effective date, ±0.75 % before it', async () => {
  // premium ₹10 (200 ticks at 5 paise): 40 % = ₹4 < ₹20 → ₹30.00 exempt, ₹30.05 counted
  const file = await eventsFile([
    { type: 'new', date: '2026-11-20', price: '30.00', ltp: '10.00' },
    { type: 'new', date: '2026-11-20', price: '30.05', ltp: '10.00' },
  ]);
  const after = await runJson([file, '--segment', 'options']);
  assert.deepEqual([after.exempt_new, after.new, after.otr], [1, 1, 1]);
  const before = await runJson([file, '--segment', 'options', '--options-from', '2026-12-01']);
  assert.deepEqual([before.exempt_new, before.new, before.otr], [0, 2, 2]);
  // the same prices in cash: 0.75 % of ₹10 is 7.5 paise → only the LTP itself would be exempt
  const cash = await runJson([file, '--segment', 'cash', '--tick-paise', '1']);
  assert.deepEqual([cash.exempt_new, cash.new], [0, 2]);
  // no trades: OTR = counted (2) by default, 0 with --zero-trade-otr zero
  const zero = await runJson([file, '--zero-trade-otr', 'zero']);
  assert.equal(zero.otr, 0);
  assert.equal(zero.budget_to_target, 2147483647);
});

test('CLI: an opening ban after three days at OTR ≥ 2000 within 30 days', async () => {
  const lines: object[] = [];
  for (const date of ['2026-11-16', '2026-11-17', '2026-11-18']) {
    for (let i = 0; i < 2000; i++) lines.push({ type: 'new', date, price: 2400, ltp: 2500 });
    lines.push({ type: 'trade', date });
  }
  lines.push({ type: 'trade', date: '2026-11-19' });
  // 2000 / 1 = 2000 on each of three days → the next day seen (11-19) opens banned
  const out = await runJson([await eventsFile(lines)]);
  assert.equal(out.date, '2026-11-19');
  assert.equal(out.opening_ban, true);
  assert.equal(out.next_day_opening_ban, false);
  assert.equal(out.flagged_days_in_window, 3);
  // the previous day: 25 paise × 2000 = 50 000 paise
  assert.deepEqual(out.previous, { day: 20775, date: '2026-11-18', counted: 2000, trades: 1, penalty_paise: 50000 });
});

test('CLI: a bad line → exit 1 naming file:line and the problem', async () => {
  const cases: [(string | object)[], RegExp][] = [
    [[{ type: 'new', date: '2026-11-20', price: 2500, ltp: 2500 }, '{"type":"new",'], /:2: not JSON/],
    [[{ type: 'new', date: '2026-11-20', price: '2500.03', ltp: 2500 }], /:1: price 2500\.03 is not on the tick grid \(5 paise\)/],
    [[{ type: 'new', date: '2026-11-20', price: 2500.123, ltp: 2500 }], /:1: price must be rupees >= 0 with at most 2 decimals/],
    [[{ type: 'new', date: '2026-11-20', price: -1, ltp: 2500 }], /:1: price must be rupees/],
    [[{ type: 'new', date: '2026-11-20', price: 0, ltp: 2500 }], /:1: price must be > 0/],
    [[{ type: 'new', date: '2026-11-20', price: 2500 }], /:1: ltp is missing/],
    [[{ type: 'replace', date: '2026-11-20', price: 2500, ltp: 2500 }], /:1: type must be one of new, modify, cancel, trade, got "replace"/],
    [[{ type: 'trade', date: '2026-02-30' }], /:1: date must be a calendar date YYYY-MM-DD/],
    [[{ type: 'trade' }], /:1: date is missing/],
    [[{ type: 'trade', date: '2026-11-20', qty: 5 }], /:1: unknown field "qty" in a trade event/],
    [[{ type: 'trade', date: '2026-11-20' }, '', { type: 'trade', date: '2026-11-19' }],
      /:3: date 2026-11-19 is before the ledger's day 2026-11-20/],
    [['[1,2]'], /:1: expected a JSON object/],
  ];
  for (const [lines, pattern] of cases) {
    const file = await eventsFile(lines);
    const { code, stdout, stderr } = await runCli('otr', [file]);
    assert.equal(code, 1, `${JSON.stringify(lines)}: ${stderr}`);
    assert.match(stderr, pattern);
    assert.ok(stderr.includes(file), stderr);
    assert.equal(stdout, '');
  }
});

test('CLI: a missing file → exit 1 naming it', async () => {
  const missing = join(tmpdir(), 'no-such-otr-events.jsonl');
  const { code, stderr, stdout } = await runCli('otr', [missing]);
  assert.equal(code, 1);
  assert.ok(stderr.includes(missing), stderr);
  assert.equal(stdout, '');
});

test('CLI: no arguments or bad options → usage and exit 2', async () => {
  for (const args of [
    [], [EXAMPLE, 'extra'], [EXAMPLE, '--segment', 'equity'], [EXAMPLE, '--tick-paise', '0'], [EXAMPLE, '--tick-paise', '2.5'],
    [EXAMPLE, '--target-otr=-1'], [EXAMPLE, '--target-otr', '1.2345'], [EXAMPLE, '--zero-trade-otr', 'none'],
    [EXAMPLE, '--options-from', '2026-13-01'], [EXAMPLE, '--depth', '3'],
  ]) {
    const { code, stdout, stderr } = await runCli('otr', args);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, /usage: otr <events\.jsonl>/);
    assert.equal(stdout, '');
  }
});
