// What every CLI shares: a negative number after an option reaches the CLI's own check (not Node's
// "ambiguous argument"), and --help prints the usage on stdout and exits 0, the venue's too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelpRequested, readCommandLine, UsageError } from '../../host/cli/command-line.js';
import { runCli, type CliRun } from '../testkit/cli.js';

/** The venue's entry, host/venue.ts, sits one folder above the CLIs'. */
const runVenue = (args: readonly string[]): Promise<CliRun> => runCli('../venue', args);

test('readCommandLine: `--opt -1` is the value -1; other dashes keep their meaning', () => {
  const options = { price: { type: 'string' }, verbose: { type: 'boolean' } } as const;
  assert.deepEqual(readCommandLine(['--price', '-1'], options).values, { price: '-1' });
  assert.deepEqual(readCommandLine(['--price', '-0.5'], options).values, { price: '-0.5' });
  assert.deepEqual(readCommandLine(['--price', '-.5'], options).values, { price: '-.5' });
  assert.deepEqual(readCommandLine(['--price=-2'], options).values, { price: '-2' });
  assert.deepEqual(readCommandLine(['--', '-3'], options, true).positionals, ['-3']);
  assert.throws(() => readCommandLine(['--price', '1', '--help'], options), HelpRequested);
  assert.throws(() => readCommandLine(['-h'], options), HelpRequested);
  assert.throws(() => readCommandLine(['--price', '--verbose'], options), UsageError);
  assert.throws(() => readCommandLine(['--verbose', '-1'], options), UsageError, 'a boolean option takes no value');
  assert.throws(() => readCommandLine(['--nope'], options), (e: unknown) => e instanceof UsageError && /Unknown option '--nope'/.test(e.message));
});

test('a negative number after an option gets the CLI\'s own message (exit 2)', async () => {
  const sell = ['--profile', 'cash_intraday', '--side', 'sell', '--date', '2024-11-01'];
  const cases: [string, string[], RegExp][] = [
    ['costs', [...sell, '--price', '-1', '--qty', '100'], /--price must not be negative, got "-1"/],
    ['costs', [...sell, '--price', '2500', '--qty', '-5'], /--qty must be a positive integer, got "-5"/],
    ['otr', ['events.jsonl', '--tick-paise', '-5'], /--tick-paise must be an integer in \[1, 1000000\], got "-5"/],
    ['otr', ['events.jsonl', '--target-otr', '-1'], /--target-otr must be a number >= 0 with at most three decimals, got "-1"/],
    ['signals', ['--lobster', 'm.csv', 'o.csv', '--lambda', '-1'], /oracle\.lambda must be a number ≥ 0, got -1/],
    ['signals', ['--lobster', 'm.csv', 'o.csv', '--enter', '-0.5'], /regime\.enter must be a number in \[0, 1\], got -0\.5/],
    ['lobster-rebuild', ['m.csv', 'o.csv', '--levels', '-64'], /--levels must be a positive integer, got "-64"/],
  ];
  for (const [cli, args, message] of cases) {
    const r = await runCli(cli, args);
    assert.equal(r.code, 2, `${cli} ${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, /ambiguous/);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage: /);
  }
});

test('--help prints the usage on stdout and exits 0, for the venue and every CLI', async () => {
  const runs: [string, Promise<CliRun>][] = [
    ['venue', runVenue(['--help'])],
    ['venue -h', runVenue(['-h'])],
    ['costs', runCli('costs', ['--help'])],
    ['otr', runCli('otr', ['--help'])],
    ['signals', runCli('signals', ['--help'])],
    ['lobster-rebuild', runCli('lobster-rebuild', ['--help'])],
  ];
  for (const [name, run] of runs) {
    const r = await run;
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal(r.stderr, '', name);
    assert.match(r.stdout, /^usage: /, name);
  }
  assert.equal((await runVenue(['--help'])).stdout, 'usage: venue --config <venue.toml> [--control stdin] [--audit <file.jsonl> [--audit-md]] [--cpus <n,...>] [--priority <0..98>]\n');
});
