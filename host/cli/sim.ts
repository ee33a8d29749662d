// `npm run sim -- --config <engine.toml> --seed S --duration 1h [--scenario synthetic|lobster|binance]
// [--queue-model conservative|power|log] [--queue-exponent n] [--info X] [--latency-ms L] [--latency-from <journal>]`:
// the deterministic simulator (docs/sim.md) in Node. A progress bar on stderr when it is a terminal, then one
// JSON summary on stdout. Bad arguments exit 2 naming the argument and its allowed range.
// `npm run sim -- --capture <file>`: replays a live engine's capture (docs/record-replay.md) and diffs the
// commands; exits 1 when any differ or the capture is not complete.
import { readFile } from 'node:fs/promises';
import { loadEngineConfig } from '../config/engine-config.js';
import { loadCostProfiles } from '../modules/cost-model.js';
import { compileCore } from '../core/core-loader.js';
import { parseDuration, resolveSimOptions, type SimOptions } from '../sim/sim-options.js';
import { prepareSimulation, runSimulation } from '../sim/sim-driver.js';
import { loadReplayEvents } from '../sim/replay-fixtures.js';
import { isEntry, readCommandLine, runCommand, UsageError } from './command-line.js';
import { CaptureFormatError, readCapture, replayCapture } from '../capture/capture-replay.js';
import { readJournalFile } from '../journal/journal-reader.js';
import { journalRoundTrips } from '../journal/round-trips.js';

const COSTS = new URL('../../../config/costs.toml', import.meta.url);

export const USAGE = `usage: sim --config <engine.toml> [--seed S] [--duration D] [--scenario synthetic|lobster|binance]
           [--queue-model conservative|power|log] [--queue-exponent n] [--info X] [--noise-takers N] [--latency-ms L]
           [--latency-from <journal>] [--sample-ms M]
       sim --capture <file>
  --capture F     replay a live engine's capture (engine.capture) through the core and diff its commands
                  (JSON: records, decisions, commands, differences, firstDifference; exit 1 on a difference)
  --config F      the engine's configuration (strategy, risk, costs, oracle, sonar: what live would trade)
  --seed S        flow seed, an integer in [0, 4294967295] (default 1)
  --duration D    virtual time, 250ms | 90s | 30m | 1h, at most 24h (default 1h)
  --scenario N    synthetic (the seeded flow, default) | lobster (AAPL, fixtures/lobster) | binance (BTCUSDT,
                  fixtures/binance): a replay trades the recording's symbol and ends at --duration or the
                  recording's end, whichever is first
  --queue-model M a replay's queue-position model for our passive orders: conservative (default) | power | log
                  (docs/queue-models.md)
  --queue-exponent n  the power model's n, in (0, 16] (default 1)
  --info X        how far the touch imbalance leads the fair value's next step, [0, 100] (default 0: none)
  --noise-takers N  share of the flow's marketable orders from noise takers (a random side at the touch, blind to
                  the fair value), [0, 1] (default 0.8)
  --latency-ms L  constant latency of market data, order → venue and report → us each, ms in [0, 10000] (default 1)
  --latency-from J  draw each order's round trip from those an engine journal recorded (OrderNew → Ack); market
                  data keeps --latency-ms
  --sample-ms M   equity curve sampling, ms in [1, 3600000] (default 1000)
One JSON summary on stdout (docs/sim.md lists its fields and units).`;

function num(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(text)}`);
  return n;
}

export function parseSimArgs(argv: readonly string[]): { configFile: string; options: Partial<SimOptions>; capture?: string; latencyFrom?: string } {
  const { values: v } = readCommandLine(argv, {
    config: { type: 'string' }, seed: { type: 'string' }, duration: { type: 'string' }, scenario: { type: 'string' },
    info: { type: 'string' }, 'latency-ms': { type: 'string' }, 'sample-ms': { type: 'string' }, capture: { type: 'string' },
    'latency-from': { type: 'string' }, 'noise-takers': { type: 'string' }, 'queue-model': { type: 'string' }, 'queue-exponent': { type: 'string' },
  });
  if (v.capture !== undefined) {
    const other = Object.keys(v).find((k) => k !== 'capture');
    if (other !== undefined) throw new UsageError(`--capture replays a capture on its own recorded state: --${other} does not apply`);
    if (v.capture === '') throw new UsageError('--capture needs a file');
    return { configFile: '', options: {}, capture: v.capture };
  }
  if (v.config === undefined) throw new UsageError('--config is required');
  const options: Partial<SimOptions> = {
    ...(v.seed !== undefined && { seed: num('seed', v.seed) }),
    ...(v.duration !== undefined && { durationMs: parseDuration(v.duration) }),
    ...(v.scenario !== undefined && { scenario: v.scenario as SimOptions['scenario'] }),
    ...(v['queue-model'] !== undefined && { queueModel: v['queue-model'] as SimOptions['queueModel'] }),
    ...(v['queue-exponent'] !== undefined && { queueExponent: num('queue-exponent', v['queue-exponent']) }),
    ...(v.info !== undefined && { info: num('info', v.info) }),
    ...(v['noise-takers'] !== undefined && { noiseTakers: num('noise-takers', v['noise-takers']) }),
    ...(v['latency-ms'] !== undefined && { latencyMs: num('latency-ms', v['latency-ms']) }),
    ...(v['sample-ms'] !== undefined && { sampleMs: num('sample-ms', v['sample-ms']) }),
  };
  if (v['latency-from'] === '') throw new UsageError('--latency-from needs a journal file');
  return { configFile: v.config, options, ...(v['latency-from'] !== undefined && { latencyFrom: v['latency-from'] }) };
}

/** The round trips an engine journal recorded; a journal without one is refused (nothing to draw from). */
function roundTripsFrom(file: string): number[] {
  let trips: number[];
  try {
    trips = journalRoundTrips(readJournalFile(file).records());
  } catch (err) {
    throw new UsageError(`--latency-from ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (trips.length === 0) throw new UsageError(`--latency-from ${file}: the journal has no acknowledged order (no round trip to draw from)`);
  return trips;
}

function progressBar(): ((f: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const width = 40;
  return (f) => {
    const n = Math.round(f * width);
    process.stderr.write(`\rsim [${'#'.repeat(n)}${'.'.repeat(width - n)}] ${(f * 100).toFixed(0).padStart(3)} %`);
  };
}

async function replay(file: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let capture;
  try {
    capture = readCapture(bytes);
  } catch (err) {
    if (err instanceof CaptureFormatError) throw new UsageError(`--capture ${file}: ${err.message}`);
    throw err;
  }
  const bar = progressBar();
  const summary = replayCapture(await compileCore(), capture, bar);
  if (bar) process.stderr.write('\n');
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (summary.differences > 0 || summary.capture !== 'complete') process.exitCode = 1;
}

async function main(argv: string[]): Promise<void> {
  const { configFile, options, capture, latencyFrom } = parseSimArgs(argv);
  if (capture !== undefined) return replay(capture);
  const withTrips = latencyFrom === undefined ? options : { ...options, roundTripsNs: roundTripsFrom(latencyFrom) };
  const read = async (file: string | URL): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${String(file)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const config = loadEngineConfig(await read(configFile), loadCostProfiles(await read(COSTS)), configFile);
  const scenario = resolveSimOptions(withTrips).scenario; // a bad option is refused before any file is read
  const recording = scenario === 'synthetic' ? undefined : await loadReplayEvents(scenario);
  const sim = prepareSimulation(await compileCore(), config, withTrips, recording);
  const bar = progressBar();
  const summary = runSimulation(sim, bar);
  if (bar) process.stderr.write('\n');
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (isEntry(import.meta.url)) runCommand('sim', USAGE, () => main(process.argv.slice(2)));
