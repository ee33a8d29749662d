// The engine process: `npm run engine -- --config config/engine.toml [--venue-oe PORT --venue-md PORT]`.
// Loads and validates the config (a bad one exits 2 naming the key), creates the control token at first
// start (file mode 0600), starts the supervisor (memory, pinned workers of the configured topology), and
// prints one ready line on stdout:
//   {"engine":"ready","topology":...,"workers":[{"name","cpus","tid"}],"segment":...,"journal":...,"pid":...,
//    "watcher":{"cpus","tid","realtime"}}
// Everything else it says is structured JSON on stderr (pino). SIGINT/SIGTERM stop it cleanly (working
// orders cancelled, logout, the /dev/shm segment unlinked) and it prints
//   {"engine":"stopped","code":0,"reason":...,"latency":{"tick_to_order_ns":{"count","p50","p99","p999","max"},
//    "wire_to_order_ns":{...},...},"counts":{...},"sent":{...}}
// then exits 0; a worker that dies halts trading and the engine exits 1 after the same clean-up.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEngineConfig, type EngineConfig } from './config/engine-config.js';
import { ConfigError } from './config/config-error.js';
import { loadCostProfiles } from './modules/cost-model.js';
import { ensureControlToken } from './telemetry/control-token.js';
import { engineLogger } from './engine/engine-log.js';
import { EngineSupervisor } from './engine/supervisor.js';
import { offHotPath } from './config/hot-path-cpus.js';
import { getAffinity } from './platform/native.js';
import { pinProcessThreads } from './platform/process-threads.js';

const COSTS = new URL('../../config/costs.toml', import.meta.url);
const USAGE = 'usage: npm run engine -- --config <engine.toml> [--venue-oe PORT] [--venue-md PORT] [--venue-host HOST]';

function usage(problem: string): never {
  process.stderr.write(`engine: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

function port(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) usage(`--${name} must be a port in [1, 65535], got ${JSON.stringify(text)}`);
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2), strict: true,
      options: {
        config: { type: 'string' }, 'venue-oe': { type: 'string' }, 'venue-md': { type: 'string' }, 'venue-host': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values['help']) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const file = values['config'];
  if (typeof file !== 'string') usage('--config is required');
  let config: EngineConfig;
  try {
    const profiles = loadCostProfiles(readFileSync(COSTS, 'utf8'));
    config = loadEngineConfig(readFileSync(file, 'utf8'), profiles, file);
    const host = (values['venue-host'] as string | undefined) ?? config.venue.host;
    const oePort = port('venue-oe', values['venue-oe'] as string | undefined) ?? config.venue.oePort;
    const mdPort = port('venue-md', values['venue-md'] as string | undefined) ?? config.venue.mdPort;
    if (oePort === 0) throw new ConfigError('venue.oePort', 'a port, here or as --venue-oe', 0);
    if (mdPort === 0) throw new ConfigError('venue.mdPort', 'a port, here or as --venue-md', 0);
    await run(config, profiles, { host, oePort, mdPort });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`engine: ${err.message}\n`);
      process.exit(2);
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`engine: ${(err as Error).message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function run(config: EngineConfig, profiles: ReturnType<typeof loadCostProfiles>,
  venue: { host: string; oePort: number; mdPort: number }): Promise<void> {
  const log = engineLogger('main');
  // Before any worker exists: this thread and V8's helpers (GC, compiles) keep off the hot path's cores; the
  // workers inherit that and then pin themselves where the config says.
  const side = offHotPath(config, getAffinity());
  if (side !== null) log.info({ cpus: side, threads: pinProcessThreads(side) }, 'main thread and V8 helpers pinned off the hot path');
  mkdirSync(dirname(config.engine.journal), { recursive: true });
  const controlToken = ensureControlToken(config.engine.controlDir);
  const supervisor = new EngineSupervisor({ config, profiles, venue, controlToken, log });
  supervisor.onStopped = (line) => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
    log.info({ code: line.code, reason: line.reason }, 'engine stopped');
    // A worker's 'exit' event comes before its thread has finished tearing down; exiting the process in
    // that window can crash it (SIGSEGV seen here), so the workers get a moment to end first.
    process.exitCode = line.code;
    setTimeout(() => process.exit(line.code), 200);
  };
  const signal = (name: string) => {
    log.info({ signal: name }, 'stopping');
    void supervisor.stop(0, name);
  };
  process.on('SIGINT', () => signal('SIGINT'));
  process.on('SIGTERM', () => signal('SIGTERM'));
  try {
    const ready = await supervisor.start();
    process.stdout.write(`${JSON.stringify(ready)}\n`);
    log.info(ready, 'engine ready');
  } catch (err) {
    log.error({ err: (err as Error).message }, 'engine failed to start');
    await supervisor.stop(1, `start failed: ${(err as Error).message}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`engine: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
