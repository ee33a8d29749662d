// `npm run monitor -- [--config config/engine.toml] [--host 127.0.0.1] [--port 8080]`: the monitoring service
// (monitor-app.ts) as its own process. It finds the engine through the engine config (segment, journal,
// control token directory, symbol names), serves the cockpit, and keeps running while engines come and go.
// Prints one line with its URL (and the engine's state) when it listens; stops on SIGINT or SIGTERM.
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadEngineConfig } from '../host/config/engine-config.js';
import { loadCostProfiles } from '../host/modules/cost-model.js';
import { liveClock } from '../host/platform/clock.js';
import { getAffinity, loadNative } from '../host/platform/native.js';
import { pinProcessThreads } from '../host/platform/process-threads.js';
import { isEntry, readCommandLine, runCommand, UsageError } from '../host/cli/command-line.js';
import { createMonitor } from './monitor-app.js';
import { planPlacement } from './monitor-placement.js';

const COSTS = new URL('../../config/costs.toml', import.meta.url);
const COCKPIT = fileURLToPath(new URL('../../cockpit/dist', import.meta.url));

const USAGE = `usage: monitor [--config FILE] [--host ADDR] [--port N] [--hz N] [--cpus N,...] [--priority N]
  The monitoring service: the cockpit, telemetry over WebSocket (/ws), GET /api/state, /api/journal?since=NS,
  /metrics (Prometheus), and the control path POST /api/kill, /api/flatten, /api/reset, /api/params
  (control needs the engine's control token as "Authorization: Bearer <token>").
  --config FILE  the engine's config: its segment, journal, control directory and symbols (default config/engine.toml)
  --host ADDR    address to listen on (default 127.0.0.1; any other address makes reads need the token too)
  --port N       port (default 8080; 0 picks a free one)
  --hz N         telemetry frames per second to each cockpit, 1..60 (default 15)
  --cpus N,...   pin the monitor's threads (V8's helpers included) to these CPUs (default: those the engine's hot path does not use,
                 from the engine config). Off the CPUs of the engine's kill watcher, a control request looks for
                 the answer for up to 2 ms instead of sleeping on the engine's bell (docs/monitor.md)
  --priority N   the main thread's SCHED_FIFO priority, 0..98 (0: an ordinary thread; default: one below the engine's
                 kill watcher when the monitor sleeps for control answers, so they never queue behind ordinary threads)`;

export interface MonitorArgs {
  readonly config: string;
  readonly host: string;
  readonly port: number;
  readonly hz: number;
  readonly cpus: number[] | undefined;
  readonly priority: number | undefined;
}

export function parseMonitorArgs(argv: readonly string[]): MonitorArgs {
  const { values } = readCommandLine(argv, {
    config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, hz: { type: 'string' }, cpus: { type: 'string' },
    priority: { type: 'string' },

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
    cpus: values.cpus === undefined ? undefined : cpuList('cpus', values.cpus),
    priority: values.priority === undefined ? undefined : int('priority', values.priority, 0, 0, 98),
  };
}

function cpuList(name: string, text: string): number[] {
  const cpus = text.split(',').map((c) => (/^\d+$/.test(c) ? Number(c) : NaN));
  if (cpus.some((c) => !(c >= 0 && c <= 1023))) throw new UsageError(`--${name} must list CPU numbers 0..1023 (e.g. 1 or 0,1), got ${JSON.stringify(text)}`);
  return cpus;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

async function main(argv: string[]): Promise<void> {
  const args = parseMonitorArgs(argv);
  const config = loadEngineConfig(readFileSync(args.config, 'utf8'), loadCostProfiles(readFileSync(COSTS, 'utf8')), args.config);
  const place = planPlacement(config, getAffinity(), args.cpus, args.priority);
  const threadsPinned = place.home !== null ? pinProcessThreads(place.home) : 0;
  const monitor = createMonitor({
    segment: config.engine.segment, journal: config.engine.journal, controlDir: config.engine.controlDir,
    symbols: config.engine.symbols, clock: liveClock, cockpitDir: COCKPIT, openReads: LOOPBACK.has(args.host), streamHz: args.hz,
    controlSpinMs: place.spinMs,
  });
  await monitor.app.listen({ host: args.host, port: args.port });
  const addr = monitor.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : args.port;
  // Real time for the main thread only: a thread started after this would inherit it. The frame builder and V8's
  // helpers exist already, and so does libuv's threadpool (listen's address lookup); the stat makes sure of it.
  await stat(COCKPIT).catch(() => undefined);
  const priority = place.priority > 0 && loadNative().setRealtimePriority(place.priority) ? place.priority : 0;
  const l = monitor.link.state();
  process.stdout.write(`${JSON.stringify({ monitor: 'listening', url: `http://${args.host}:${port}/`, port, engine: l.status, detail: l.detail, cpus: getAffinity(), threadsPinned, controlSpinMs: place.spinMs, priority })}\n`);
  const stop = (): void => {
    void monitor.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (isEntry(import.meta.url)) runCommand('monitor', USAGE, () => main(process.argv.slice(2)));
