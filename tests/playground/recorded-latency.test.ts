// The playground's recorded-latency input: a journal's bytes read in the page (browser-safe scan, CRC-32 in plain
// TypeScript) give the very table `npm run sim -- --latency-from <journal>` reads from the file; the worker's run
// with that table and a seed gives the CLI's decision-trace hash for the same journal and seed (the journal in
// fixtures/journal/); the table's median and 99th percentile by the nearest-rank definition; bad files named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { compileCore } from '../../host/core/core-loader.js';
import { crc32 } from '../../host/journal/crc32.js';
import { JournalScan as NodeScan, readJournalFile } from '../../host/journal/journal-reader.js';
import { JournalScan } from '../../host/journal/journal-scan.js';
import { journalBytesRoundTrips, journalRoundTrips } from '../../host/journal/round-trips.js';
import { FILE_HEADER_BYTES } from '../../host/journal/records.js';
import { rng } from '../testkit/core.js';
import { runRequest } from '../../playground/sim-runner.js';
import { nearestRank, recordedLatency, RecordedLatencyError } from '../../playground/recorded-latency.js';

const ROOT = new URL('../../../', import.meta.url);
const JOURNAL = fileURLToPath(new URL('fixtures/journal/engine-round-trips.journal', ROOT));
const CONFIG = fileURLToPath(new URL('config/engine.toml', ROOT));
const BASE = readFileSync(CONFIG, 'utf8');
const COSTS = readFileSync(new URL('config/costs.toml', ROOT), 'utf8');
const BYTES = new Uint8Array(readFileSync(JOURNAL));

test('CRC-32 in plain TypeScript is zlib\'s: the check value and random buffers', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926, 'the CRC-32/ISO-HDLC check value');
  assert.equal(crc32(new Uint8Array(0)), 0);
  const rnd = rng(7);
  for (const n of [1, 7, 64, 1000, 65_537]) {
    const b = new Uint8Array(n).map(() => Math.floor(rnd() * 256));
    assert.equal(crc32(b), zlibCrc32(b), `${n} bytes`);
  }
});

test('the page\'s scan of a journal\'s bytes gives the CLI\'s round trips, also for a torn or damaged copy', () => {
  const cli = journalRoundTrips(readJournalFile(JOURNAL).records());
  assert.equal(cli.length, 258, 'the fixture\'s 258 acknowledged orders');
  assert.deepEqual(journalBytesRoundTrips(BYTES, 'engine-round-trips.journal'), cli);
  const torn = BYTES.subarray(0, BYTES.length - 13);
  const damaged = BYTES.slice();
  damaged[FILE_HEADER_BYTES + 40 * 48] ^= 0x55;
  for (const [name, b] of [['torn', torn], ['damaged', damaged]] as const) {
    const page = new JournalScan(b, name);
    const node = new NodeScan(b, name);
    assert.deepEqual(journalRoundTrips(page.records()), journalRoundTrips(node.records()), `${name}: the same round trips`);
    assert.deepEqual([page.tear, page.corruption, page.count], [node.tear, node.corruption, node.count], `${name}: the same ending`);
    assert.ok(page.tear !== null || page.corruption !== null, `${name} is seen as ${name}`);
  }
});

test('the table\'s p50 and p99 by nearest rank; a file that is no journal, or has no ack, is refused naming it', () => {
  const t = recordedLatency(BYTES, 'engine-round-trips.journal');
  assert.equal(t.roundTripsNs.length, 258);
  // Nearest rank, from its definition: the smallest value with at least q·n values at or below it.
  const byDefinition = (q: number): number => {
    const xs = [...t.roundTripsNs];
    return Math.min(...xs.filter((x) => xs.filter((y) => y <= x).length >= q * xs.length));
  };
  assert.equal(t.p50Ns, byDefinition(0.5));
  assert.equal(t.p99Ns, byDefinition(0.99));
  assert.ok(t.p50Ns >= 210_000 && t.p50Ns <= t.p99Ns && t.p99Ns <= 10_500_000, `p50 ${t.p50Ns}, p99 ${t.p99Ns}`);
  assert.equal(nearestRank([5], 0.99), 5);
  assert.equal(nearestRank([1, 2, 3, 4], 0.5), 2);
  assert.throws(() => recordedLatency(new TextEncoder().encode('[execution]\nqty = 1\n'), 'engine.toml'),
    (e: Error) => e instanceof RecordedLatencyError && /^engine\.toml: not a journal/.test(e.message));
  assert.throws(() => recordedLatency(BYTES.subarray(0, FILE_HEADER_BYTES), 'empty.journal'),
    (e: Error) => e instanceof RecordedLatencyError && /^empty\.journal: the journal has no acknowledged order/.test(e.message));
});

test('a worker run with the journal\'s table gives `npm run sim -- --latency-from <journal>`\'s hash for the same seed', async () => {
  const cli = fileURLToPath(new URL('../../host/cli/sim.js', import.meta.url));
  const sim = (extra: string[]) => {
    const r = spawnSync(process.execPath, [cli, '--config', CONFIG, '--seed', '5', '--duration', '30s', ...extra], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { traceHash: string; traceCommands: number; roundTrips: number; fills: number };
  };
  const fromCli = sim(['--latency-from', JOURNAL]);
  const constant = sim([]);
  const module = await compileCore();
  const { roundTripsNs } = recordedLatency(BYTES, 'engine-round-trips.journal');
  const worker = await runRequest(module, { engineToml: BASE, costsToml: COSTS, options: { seed: 5, durationMs: 30_000, roundTripsNs } });
  assert.ok(fromCli.traceCommands > 10, `half a minute decides some orders, got ${fromCli.traceCommands}`);
  assert.equal(fromCli.roundTrips, 258);
  assert.equal(worker.summary.roundTrips, 258);
  assert.equal(worker.summary.traceHash, fromCli.traceHash, 'the page\'s table decides what the CLI\'s does');
  assert.equal(worker.summary.fills, fromCli.fills);
  assert.notEqual(fromCli.traceHash, constant.traceHash, 'the recorded latencies decide otherwise than the constant 1 ms');
  const otherSeed = await runRequest(module, { engineToml: BASE, costsToml: COSTS, options: { seed: 6, durationMs: 30_000, roundTripsNs } });
  assert.notEqual(otherSeed.summary.traceHash, worker.summary.traceHash);
});
