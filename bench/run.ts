// `npm run bench -- <name> [--key value ...]`: prints one JSON line per result, each with the machine.
import { machine } from './machine.js';
import { latency, throughput, type RingBenchOptions } from './ring.js';
import { bookBench } from './book.js';
import { venueBench } from './venue.js';
import { killBench } from './kill-latency.js';
import { cockpitLoadBench, DEFAULT_MESSAGE_RATE, monitorKillBench, STAND_INS, type StandIns } from './monitor.js';
import { pacedOverrides } from './engine-config.js';
import { engineBench, type SocketWait, type Topology } from './engine.js';
import { simBench } from './sim.js';
import { simReplayBench } from './sim-replay.js';
import { simBrowserBench } from './sim-browser.js';
import type { WaitKind } from '../host/core/wait-strategy.js';

const BENCHES = ['ring', 'book', 'venue', 'engine', 'kill', 'monitor-kill', 'cockpit-load', 'sim'] as const;
/** The options each bench reads: any other is refused, so a typo never runs a default. */
const OPTIONS: Readonly<Record<(typeof BENCHES)[number], readonly string[]>> = {
  ring: ['samples', 'warmup', 'messages', 'wait'],
  book: ['budget-s', 'ops', 'deep-orders', 'seed', 'walk-p', 'warmup-ops'],
  venue: ['seconds', 'window', 'warmup-seconds'],
  engine: ['seconds', 'sustained-seconds', 'warmup-seconds', 'spacing-us', 'echo-samples', 'topologies', 'waits', 'sustained', 'base-config', 'engine-js', 'latency-strategy'],
  kill: ['trials', 'topology'],
  'monitor-kill': ['trials'],
  'cockpit-load': ['seconds', 'clients', 'rounds', 'stand-ins', 'message-rate'],
  sim: ['duration-s', 'seed', 'info'],
};

function parseArgs(argv: string[]): { name: string; opts: Map<string, string> } {
  const [name, ...rest] = argv;
  const opts = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i]!;
    if (!key.startsWith('--') || rest[i + 1] === undefined) usage(`bad argument ${key}`);
    opts.set(key.slice(2), rest[i + 1]!);
  }
  if (!name || !(BENCHES as readonly string[]).includes(name)) usage(name ? `unknown bench ${name}` : 'no bench named');
  const known = OPTIONS[name as (typeof BENCHES)[number]];
  for (const key of opts.keys()) if (!known.includes(key)) usage(`unknown option --${key} for ${name} (known: ${known.map((k) => `--${k}`).join(', ')})`);
  return { name: name!, opts };
}

function usage(problem: string): never {
  process.stderr.write(`${problem}\nusage: npm run bench -- ring [--samples 100000] [--warmup 10000] [--messages 10000000] [--wait busy-spin|spin-then-park|park]\n`
    + `       npm run bench -- book [--budget-s 20] [--ops 1000000] [--deep-orders 200000] [--seed 1] [--walk-p 0.1] [--warmup-ops 100000]\n`
    + `       npm run bench -- venue [--seconds 10] [--window 256] [--warmup-seconds 1]\n`
    + `       npm run bench -- kill [--trials 100] [--topology fused|modules]\n`
    + `       npm run bench -- monitor-kill [--trials 100]\n`
    + `       npm run bench -- cockpit-load [--seconds 10] [--clients 10] [--rounds 8] [--stand-ins apart|clients|shared] [--message-rate 10000|0]\n`
    + `       npm run bench -- sim [--duration-s 600] [--seed 1] [--info 0]   (Node, then the same run in Node and a Chromium worker)\n`
    + `       npm run bench -- engine [--seconds 20] [--sustained-seconds 60] [--warmup-seconds 3] [--spacing-us 1000] [--echo-samples 2000]\n`
    + `                              [--topologies fused,modules] [--waits event,spin] [--sustained fused|modules|none] [--base-config <engine.toml>] [--engine-js <entry.js>]\n`
    + `                              [--latency-strategy wobi|mean-reversion|stress]\n`);
  process.exit(2);
}

function intOpt(opts: Map<string, string>, key: string, dflt: number): number {
  const v = opts.get(key);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) usage(`--${key} must be a positive integer, got ${v}`);
  return n;
}

function numOpt(opts: Map<string, string>, key: string, dflt: number): number {
  const v = opts.get(key);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) usage(`--${key} must be a positive number, got ${v}`);
  return n;
}

const m = machine();
const emit = (line: object) => process.stdout.write(`${JSON.stringify({ ...line, machine: m })}\n`);
const progress = (s: string) => process.stderr.write(`${s}\n`);

const { name, opts } = parseArgs(process.argv.slice(2));
if (name === 'book') {
  await bookBench({
    budgetS: numOpt(opts, 'budget-s', 20),
    ops: intOpt(opts, 'ops', 1_000_000),
    deepOrders: intOpt(opts, 'deep-orders', 200_000),
    seed: intOpt(opts, 'seed', 1),
    walkP: numOpt(opts, 'walk-p', 0.1),
    warmupOps: intOpt(opts, 'warmup-ops', 100_000),
  }, emit, progress);
} else if (name === 'venue') {
  await venueBench({
    seconds: numOpt(opts, 'seconds', 10),
    window: intOpt(opts, 'window', 256),
    warmupSeconds: numOpt(opts, 'warmup-seconds', 1),
  }, emit, progress);
} else if (name === 'engine') {
  // A run that cannot go on (the engine refused its config, did not come up) ends with its reason, exit 1.
  await engineBench({
    seconds: numOpt(opts, 'seconds', 20),
    sustainedSeconds: numOpt(opts, 'sustained-seconds', 60),
    warmupSeconds: numOpt(opts, 'warmup-seconds', 3),
    spacingUs: intOpt(opts, 'spacing-us', 1000),
    echoSamples: intOpt(opts, 'echo-samples', 2000),
    topologies: topologiesOpt(opts.get('topologies') ?? 'fused,modules'),
    waits: waitsOpt(opts.get('waits') ?? 'event,spin'),
    sustained: sustainedOpt(opts.get('sustained') ?? 'fused'),
    baseConfig: opts.get('base-config'),
    engineJs: opts.get('engine-js'),
    latencyStrategy: opts.get('latency-strategy'),
  }, emit, progress).catch((err: unknown) => {
    process.stderr.write(`engine bench: ${(err as Error).message}\n`);
    process.exit(1);
  });
} else if (name === 'kill') {
  const topology = opts.get('topology') ?? 'fused';
  if (topology !== 'fused' && topology !== 'modules') usage(`--topology must be fused or modules, got ${topology}`);
  emit(await killBench({ trials: intOpt(opts, 'trials', 100), topology }, progress));
} else if (name === 'monitor-kill') {
  emit(await monitorKillBench({ trials: intOpt(opts, 'trials', 100) }, progress));
} else if (name === 'sim') {
  const info = opts.get('info') === undefined ? 0 : Number(opts.get('info'));
  if (!Number.isFinite(info) || info < 0 || info > 100) usage(`--info must be a number in [0, 100], got ${opts.get('info')}`);
  const simOptions = { durationS: numOpt(opts, 'duration-s', 600), seed: intOpt(opts, 'seed', 1), info };
  emit(await simBench(simOptions, progress));
  emit(await simReplayBench(progress));
  emit(await simBrowserBench(simOptions, progress));
} else if (name === 'cockpit-load') {
  const standIns = (opts.get('stand-ins') ?? 'apart') as StandIns;
  if (!STAND_INS.includes(standIns)) usage(`--stand-ins must be one of ${STAND_INS.join(', ')}, got ${standIns}`);
  const messageRate = Number(opts.get('message-rate') ?? DEFAULT_MESSAGE_RATE);
  try {
    pacedOverrides(messageRate);
  } catch (e) {
    usage((e as Error).message);
  }
  emit(await cockpitLoadBench({ seconds: numOpt(opts, 'seconds', 10), clients: intOpt(opts, 'clients', 10), rounds: intOpt(opts, 'rounds', 8), standIns, messageRate }, progress));
} else {
  await ringBench();
}

function topologiesOpt(v: string): Topology[] {
  const list = v.split(',');
  for (const t of list) if (t !== 'fused' && t !== 'modules') usage(`--topologies must list fused and/or modules, got ${v}`);
  return list as Topology[];
}

function waitsOpt(v: string): SocketWait[] {
  const list = v.split(',');
  for (const w of list) if (w !== 'event' && w !== 'spin') usage(`--waits must list event and/or spin, got ${v}`);
  return list as SocketWait[];
}

function sustainedOpt(v: string): Topology | null {
  if (v === 'none') return null;
  if (v !== 'fused' && v !== 'modules') usage(`--sustained must be fused, modules or none, got ${v}`);
  return v as Topology;
}

async function ringBench(): Promise<void> {
  const o: RingBenchOptions = {
    samples: intOpt(opts, 'samples', 100_000),
    warmup: intOpt(opts, 'warmup', 10_000),
    messages: intOpt(opts, 'messages', 10_000_000),
    wait: (opts.get('wait') ?? 'busy-spin') as WaitKind,
  };

  progress(`ring latency: ${o.samples} samples after ${o.warmup} warm-up, wasm ring (${o.wait}) then postMessage`);
  const ringLat = await latency('wasm-ring', o);
  emit(ringLat);
  const portLat = await latency('postMessage', o);
  emit(portLat);
  progress(`ring throughput: ${o.messages} messages of 64 bytes, wasm ring then postMessage`);
  const ringTp = await throughput('wasm-ring', o);
  emit(ringTp);
  const portTp = await throughput('postMessage', o);
  emit(portTp);
  const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
  emit({
    bench: 'ring_summary',
    p50_ratio: ratio(portLat.one_way_us.p50, ringLat.one_way_us.p50),
    p99_ratio: ratio(portLat.one_way_us.p99, ringLat.one_way_us.p99),
    rtt_p50_ratio: ratio(portLat.round_trip_us.p50, ringLat.round_trip_us.p50),
    throughput_ratio: ratio(ringTp.msg_per_s, portTp.msg_per_s),
  });
}
