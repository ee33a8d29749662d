// `npm run costs` as a child process: one JSON object on success, exit 2 for bad arguments, exit 1 for a bad file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { costsOutput } from '../../host/cli/costs.js';
import { ManualClock } from '../testkit/manual-clock.js';

const CLI = fileURLToPath(new URL('../../host/cli/costs.js', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../../config/costs.toml', import.meta.url));

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const SELL_2500 = ['--profile', 'cash_intraday', '--side', 'sell', '--price', '2500.00', '--qty', '100', '--date', '2024-11-01'];

test('an intraday sell prints the worked example as one JSON object', async () => {
  const r = await run(SELL_2500);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.trim().split('\n').length, 1);
  // Key order is part of the output.
  assert.equal(r.stdout, `${JSON.stringify({
    profile: 'cash_intraday', effective_from: '2024-10-01', side: 'sell', price_paise: 250_000, qty: 100,
    turnover_paise: 25_000_000, stt_paise: 6_250, exchange_paise: 743, sebi_paise: 25,
    stamp_paise: 0, gst_paise: 498, brokerage_paise: 2_000, total_paise: 9_516,
  })}\n`);
});

test('the date picks the version: futures STT 0.02 % before 2026-04-01, 0.05 % from it; default date is today', async () => {
  const base = ['--profile', 'futures', '--side', 'sell', '--price', '24500.5', '--qty', '75'];
  const before = JSON.parse((await run([...base, '--date', '2026-03-31'])).stdout);
  const after = JSON.parse((await run([...base, '--date', '2026-04-01'])).stdout);
  assert.deepEqual([before.effective_from, before.stt_paise, before.total_paise], ['2024-10-01', 36_751, 43_079]);
  assert.deepEqual([after.effective_from, after.stt_paise, after.total_paise], ['2026-04-01', 91_877, 98_205]);
  const today = await run(base);
  assert.equal(today.code, 0, today.stderr);
  assert.match(JSON.parse(today.stdout).effective_from, /^\d{4}-\d{2}-\d{2}$/);
});

test('the default date is today in IST, read from the injected clock', async () => {
  const base = ['--profile', 'futures', '--side', 'sell', '--price', '24500.5', '--qty', '75'];
  // 18:29:59 UTC on 31 March is 23:59:59 IST: the old STT; one second later it is 1 April in India.
  const clock = new ManualClock(1_000_000_000_000, Date.UTC(2026, 2, 31, 18, 29, 59));
  const before = JSON.parse(await costsOutput(base, clock));
  clock.advance(1000);
  const after = JSON.parse(await costsOutput(base, clock));
  assert.deepEqual([before.effective_from, before.stt_paise], ['2024-10-01', 36_751]);
  assert.deepEqual([after.effective_from, after.stt_paise], ['2026-04-01', 91_877]);
});

test('a turnover the output cannot hold exactly is a usage error (exit 2), not a crash', async () => {
  const buy = (price: string, qty: string) => ['--profile', 'cash_intraday', '--side', 'buy', '--price', price, '--qty', qty, '--date', '2024-11-01'];
  // ₹10,00,000 × 9,50,00,000 = 9.5e15 paise: above 2^53 − 1, below the core's own 10^16.
  let r = await run(buy('1000000', '95000000'));
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /price × qty must be at most 9007199254740991 paise \(the largest amount the output holds exactly\), got 9500000000000000/);
  assert.match(r.stderr, /usage: costs --profile/);
  // Just below the bound every amount is printed exactly.
  r = await run(buy('1000000', '90071992'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).turnover_paise, 9_007_199_200_000_000);
  // A profile whose charges add up to more than the turnover: the charges pass the bound, also a usage error.
  const dir = await mkdtemp(join(tmpdir(), 'costs-cli-'));
  try {
    const steep = join(dir, 'steep.toml');
    await writeFile(steep, '[[profiles.steep]]\neffective_from = 2024-01-01\nstt_buy_pct = 100\nstt_sell_pct = 100\n'
      + 'exchange_pct = 100\nsebi_pct = 0\nstamp_buy_pct = 0\ngst_pct = 0\nbrokerage_pct = 0\nbrokerage_flat_rupees = 0\n');
    r = await run(['--profile', 'steep', '--side', 'buy', '--price', '1000000', '--qty', '60000000', '--date', '2024-11-01', '--config', steep]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /price × qty = 6000000000000000 paise: .*beyond Number\.MAX_SAFE_INTEGER/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad arguments exit 2 with a message and the usage', async () => {
  const cases: [string[], RegExp][] = [
    [SELL_2500.map((a) => (a === '2500.00' ? '2500.001' : a)), /--price must have at most 2 decimals/],
    [[...SELL_2500.slice(0, 4), '--price=-2500', ...SELL_2500.slice(6)], /--price must not be negative/],
    [SELL_2500.map((a) => (a === '2500.00' ? '25e2' : a)), /--price must be rupees/],
    [SELL_2500.map((a) => (a === '2500.00' ? '0' : a)), /--price must be positive/],
    [SELL_2500.map((a) => (a === '100' ? '1.5' : a)), /--qty must be a positive integer/],
    [SELL_2500.map((a) => (a === 'sell' ? 'short' : a)), /--side must be buy or sell/],
    [SELL_2500.map((a) => (a === 'cash_intraday' ? 'equity' : a)),
      /profile must be one of cash_intraday, cash_delivery, futures, options, got "equity"/],
    [SELL_2500.map((a) => (a === '2024-11-01' ? '2024-11-31' : a)), /date must be a date YYYY-MM-DD/],
    [SELL_2500.map((a) => (a === '2024-11-01' ? '2020-01-01' : a)), /date must be on or after 2024-10-01/],
    [SELL_2500.slice(2), /--profile is required/],
    [[...SELL_2500, '--venue', 'bse'], /Unknown option '--venue'/],
    [SELL_2500.map((a) => (a === '100' ? '100000000000' : a)), /price × qty must be at most/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage: costs --profile/);
  }
});

test('a bad config file exits 1 naming the file, the line, or the key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'costs-cli-'));
  try {
    const shipped = await readFile(CONFIG, 'utf8');
    const broken = join(dir, 'broken.toml');
    await writeFile(broken, 'x = 1\n[[profiles.cash_intraday]\n');
    let r = await run([...SELL_2500, '--config', broken]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /broken\.toml: line 2, column 26: expected end of table array declaration/);

    const negative = join(dir, 'negative.toml');
    await writeFile(negative, shipped.replace('stt_sell_pct = 0.025', 'stt_sell_pct = -0.025'));
    r = await run([...SELL_2500, '--config', negative]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /profiles\.cash_intraday\[0\]\.stt_sell_pct must be ≥ 0, got -0\.025/);

    r = await run([...SELL_2500, '--config', join(dir, 'missing.toml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read .*missing\.toml: ENOENT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
