// `npm run monitor -- [--config config/engine.toml] [--host 127.0.0.1] [--port 8080]`: the monitoring service
// (monitor-app.ts) as its own process. It finds the engine through the engine config (segment, journal,
// control token directory, symbol names), serves the cockpit, and keeps running while engines come and go.
// Prints one line with its URL (and the engine's state) when it listens; stops on SIGINT or SIGTERM.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngineConfig, type EngineConfig } from '../host/config/engine-config.js';
import { loadCostProfiles } from '../host/modules/cost-model.js';
import { liveClock } from '../host/platform/clock.js';
import { getAffinity, setAffinity } from '../host/platform/native.js';
import { isEntry, readCommandLine, runCommand, UsageError } from '../host/cli/command-line.js';
import { createMonitor } from './monitor-app.js';

const COSTS = new URL('../../config/costs.toml', import.meta.url);
const COCKPIT = fileURLToPath(new URL('../../cockpit/dist', import.meta.url));

const USAGE = `usage: monitor [--config FILE] [--host ADDR] [--port N] [--hz N] [--cpus N,...]
  The monitoring service: the cockpit, telemetry over WebSocket (/ws), GET /api/state, /api/journal?since=NS,
  /metrics (Prometheus), and the control path POST /api/kill, /api/flatten, /api/reset, /api/params
  (control needs the engine's control token as "Authorization: Bearer <token>").
  --config FILE  the engine's config: its segment, journal, control directory and symbols (default config/engine.toml)
  --host ADDR    address to listen on (default 127.0.0.1; any other address makes reads need the token too)
  --port N       port (default 8080; 0 picks a free one)
  --hz N         telemetry frames per second to each cockpit, 1..60 (default 15)
  --cpus N,...   pin the monitor's main thread to these CPUs (e.g. away from the engine's hot worker). On CPUs the
                 engine's kill watcher does not use, a control request looks for the engine's answer for up to
                 2 ms before sleeping on its bell; beside the watcher it sleeps at once`;

export interface MonitorArgs {
  readonly config: string;
  readonly host: string;
  readonly port: number;
  readonly hz: number;
  readonly cpus: number[] | undefined;
}

export function parseMonitorArgs(argv: readonly string[]): MonitorArgs {
  const { values } = readCommandLine(argv, {
    config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, hz: { type: 'string' }, cpus: { type: 'string' },
  });
  const int = (name: string, text: string | undefined, fallback: number, lo: number, hi: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < lo || n > hi) throw new UsageError(`--${name} must be an integer in [${lo}, ${hi}], got ${JSON.stringify(text)}`);
    return n;
  };
  return {
    config: values.config ?? 'config/engine.toml',
    host: values.host ?? '127.0.0.1',
    port: int('port', values.port, 8080, 0, 65535),
    hz: int('hz', values.hz, 15, 1, 60),
    cpus: values.cpus === undefined ? undefined : cpuList(values.cpus),
  };
}

function cpuList(text: string): number[] {
  const cpus = text.split(',').map((c) => (/^\d+$/.test(c) ? Number(c) : NaN));
  if (cpus.some((c) => !(c >= 0 && c <= 1023))) throw new UsageError(`--cpus must list CPU numbers 0..1023 (e.g. 1 or 0,1), got ${JSON.stringify(text)}`);
  return cpus;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** How long a control request looks for the engine's answer, on a thread off the kill watcher's CPUs. The engine
 *  answers in ~0.2–0.5 ms (p99 ~2 ms); past this the thread sleeps on the ack bell. */
const CONTROL_SPIN_MS = 2;

/** The CPUs of the engine thread that watches the control block: the cool worker (fused) or Sentinel's (modules). */
export function killWatcherCpus(config: EngineConfig): readonly number[] {
  return config.workers[config.engine.topology === 'fused' ? 'cool' : 'sentinel'].cpus;
}

/** Looking for the answer is only free off the watcher's CPUs (there it would hold the core the answer needs);
 *  a watcher that is not pinned may run anywhere. */
export function controlSpinMs(threadCpus: readonly number[], watcherCpus: readonly number[]): number {
  return watcherCpus.length > 0 && !threadCpus.some((c) => watcherCpus.includes(c)) ? CONTROL_SPIN_MS : 0;
}

async function main(argv: string[]): Promise<void> {
  const args = parseMonitorArgs(argv);
  if (args.cpus !== undefined) setAffinity(args.cpus);
  const config = loadEngineConfig(readFileSync(args.config, 'utf8'), loadCostProfiles(readFileSync(COSTS, 'utf8')), args.config);
  const spinMs = controlSpinMs(getAffinity(), killWatcherCpus(config));
  const monitor = createMonitor({
    segment: config.engine.segment, journal: config.engine.journal, controlDir: config.engine.controlDir,
    symbols: config.engine.symbols, clock: liveClock, cockpitDir: COCKPIT, openReads: LOOPBACK.has(args.host), streamHz: args.hz,
    controlSpinMs: spinMs,
  });
  await monitor.app.listen({ host: args.host, port: args.port });
  const addr = monitor.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : args.port;
  const l = monitor.link.state();
  process.stdout.write(`${JSON.stringify({ monitor: 'listening', url: `http://${args.host}:${port}/`, port, engine: l.status, detail: l.detail, cpus: getAffinity(), controlSpinMs: spinMs })}\n`);
  const stop = (): void => {
    void monitor.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (isEntry(import.meta.url)) runCommand('monitor', USAGE, () => main(process.argv.slice(2)));
