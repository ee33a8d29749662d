// `npm start [-- --topology fused|modules --config <engine.toml> --port N]`: the trading system on the
// built-in simulated venue. Starts the venue (config/venue.toml, synthetic flow, ephemeral ports), the
// engine on config/engine.toml pointed at it (host/platform/engine-process.ts), and the monitor serving the
// cockpit (host/platform/monitor-process.ts); prints the cockpit URL with the engine's control token in its
// fragment, each symbol's top of book as the engine sees it, and where to look (status,
// telemetry segment, journal, engine log, kill / flatten / reset). Then it keeps one status line from the
// telemetry segment (host/cli/status-line.ts): rewritten every second on a terminal, a new line every
// --status-ms (5 s) otherwise.
//
// Stopping (Ctrl-C, SIGTERM, SIGHUP): the engine first (it cancels its working orders and logs out while
// the venue still answers), then the venue and the monitor; exit 0. The children run in process groups of
// their own so a terminal's Ctrl-C reaches only this process, which stops them in that order. If the
// engine or the venue dies on its own, that is said and everything else stops, exit 1 (a config the
// engine would refuse is refused here first, naming the key: exit 2). The monitor is not needed to trade:
// if it dies, that is said and the engine trades on. Nothing is left
// behind: no child process, no /dev/shm segment (removed here if the engine could not unlink it).
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startVenue, type LocalVenue } from './venue/venue-process.js';
import { loadVenueConfig } from './venue/venue-config.js';
import { startEngine, type EngineProcess, type JsonLine } from './platform/engine-process.js';
import { liveClock } from './platform/clock.js';
import { startMonitor, type MonitorProcess } from './platform/monitor-process.js';
import { loadEngineConfig, type EngineConfig } from './config/engine-config.js';
import { withOverrides } from './config/config-overrides.js';
import { loadCostProfiles } from './modules/cost-model.js';
import {
  DEFAULT_SEGMENT_NAME, SegmentReader, defaultControlDir, mapSegmentFile, readControlToken, readTelemetry, segmentPath, type SymbolView,
} from './telemetry/index.js';
import { OrderRate, statusLine } from './cli/status-line.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VENUE_CONFIG = join(ROOT, 'config/venue.toml');
const ENGINE_CONFIG = join(ROOT, 'config/engine.toml');
const COSTS = join(ROOT, 'config/costs.toml');
const TTY_REFRESH_MS = 1000;
const DEFAULT_STATUS_MS = 5000;
/** How long to wait for the engine's first book tops in telemetry before printing what there is. */
const BOOKS_WAIT_MS = 10_000;

const USAGE = `usage: npm start [-- --topology fused|modules] [--config <engine.toml>] [--port N] [--status-ms N]
  Runs the simulated venue, the engine and the monitor with the cockpit; Ctrl-C stops everything.
  --topology   the engine's worker layout (default: the config's, fused in config/engine.toml)
  --config     the engine's config (default config/engine.toml; its relative paths are under the repository)
  --port       the cockpit's port (the monitor; default 8080, 0 picks a free one)
  --status-ms  how often a status line is printed when stdout is not a terminal (default ${DEFAULT_STATUS_MS})`;

function usage(problem: string): never {
  process.stderr.write(`start: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

interface Args {
  readonly port: number;
  readonly topology: 'fused' | 'modules' | undefined;
  readonly configFile: string;
  readonly statusMs: number;
}

function parse(argv: string[]): Args {
  let values: Record<string, string | boolean | undefined> = {};
  try {
    ({ values } = parseArgs({
      args: argv, strict: true,
      options: {
        port: { type: 'string' }, topology: { type: 'string' }, config: { type: 'string' }, 'status-ms': { type: 'string' },
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
  const int = (name: string, lo: number, hi: number, fallback: number): number => {
    const text = values[name] as string | undefined;
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < lo || n > hi) usage(`--${name} must be an integer in [${lo}, ${hi}], got ${JSON.stringify(text)}`);
    return n;
  };
  const topology = values['topology'] as string | undefined;
  if (topology !== undefined && topology !== 'fused' && topology !== 'modules') {
    usage(`--topology must be fused or modules, got ${JSON.stringify(topology)}`);
  }
  const config = values['config'] as string | undefined;
  return {
    port: int('port', 0, 65535, 8080),
    topology,
    configFile: config === undefined ? ENGINE_CONFIG : resolve(config),
    statusMs: int('status-ms', 100, 3_600_000, DEFAULT_STATUS_MS),
  };
}

/** A path as the user types it after `npm run …` (npm runs in the repository): relative when inside it. */
function shown(path: string): string {
  const abs = resolve(ROOT, path);
  const rel = relative(ROOT, abs);
  return rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

const rupees = (ticks: number, tickPaise: number): string =>
  `₹${((ticks * tickPaise) / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function bookLine(s: SymbolView, name: string, tickPaise: number): string {
  const side = (price: number, qty: number): string => (qty > 0 ? `${rupees(price, tickPaise)} × ${qty}` : '—');
  const spread = s.bidQty > 0 && s.askQty > 0 ? `${s.askPrice - s.bidPrice} ticks` : '—';
  return `${name.padEnd(10)} bid ${side(s.bidPrice, s.bidQty).padEnd(22)} ask ${side(s.askPrice, s.askQty).padEnd(22)} spread ${spread}`;
}

/** The engine's config cannot be read or is refused: exit 2, as the engine would. */
class BadConfig extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Everything started so far, stopped in order: engine, then venue and monitor; then the leftovers removed. */
class Running {
  venue: LocalVenue | null = null;
  engine: EngineProcess | null = null;
  monitor: MonitorProcess | null = null;
  log: WriteStream | null = null;
  tmp: string | null = null;
  segment: string | null = null;
  stopping = false;

  async stopAll(): Promise<JsonLine | null> {
    this.stopping = true;
    const stopped = this.engine === null ? null : await this.engine.stop();
    await Promise.all([this.venue?.stop(), this.monitor?.stop()]);
    if (this.log !== null) await new Promise<void>((r) => this.log!.end(r));
    if (this.tmp !== null) rmSync(this.tmp, { recursive: true, force: true });
    // The engine unlinks its segment when it stops; one that was killed cannot.
    if (this.segment !== null) rmSync(segmentPath(this.segment), { force: true });
    return stopped;
  }

  /** Last resort when this process exits some other way: no child outlives it. */
  killChildren(): void {
    for (const p of [this.engine, this.venue, this.monitor]) {
      if (p !== null && p.alive()) {
        try {
          p.proc.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const run = new Running();
  process.on('exit', () => run.killChildren());
  // A signal during start-up is answered once everything is up, so no child is started after the stop.
  let signalled: string | null = null;
  let onSignal = (name: string): void => {
    if (signalled === null) process.stderr.write(`start: ${name}: stopping as soon as everything has started\n`);
    signalled = name;
  };
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, () => onSignal(name));

  // The engine's config, checked here first so a bad one is refused before anything starts.
  let engineConfig: EngineConfig;
  let engineConfigFile = args.configFile;
  const overrides = args.topology === undefined ? {} : { 'engine.topology': args.topology };
  try {
    const text = withOverrides(readFileSync(args.configFile, 'utf8'), overrides);
    engineConfig = loadEngineConfig(text, loadCostProfiles(readFileSync(COSTS, 'utf8')), args.configFile);
    if (Object.keys(overrides).length > 0) {
      run.tmp = mkdtempSync(join(tmpdir(), 'tradecore-start-'));
      engineConfigFile = join(run.tmp, 'engine.toml');
      writeFileSync(engineConfigFile, text);
    }
  } catch (err) {
    throw new BadConfig(`engine config ${args.configFile}: ${(err as Error).message}`);
  }
  const e = engineConfig.engine;

  // The shipped venue config on ephemeral ports, so a second copy or a busy 9101 does not stop us.
  const venueToml = readFileSync(VENUE_CONFIG, 'utf8').replace(/^(oe_port|md_port)\s*=\s*\d+/gm, '$1 = 0');
  const tickPaise = new Map(loadVenueConfig(venueToml, VENUE_CONFIG).symbols.map((s) => [s.id, s.tickPaise]));
  const fail = async (what: string, err: unknown): Promise<never> => {
    await run.stopAll();
    throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  };
  try {
    run.venue = await startVenue(venueToml, { detached: true });
  } catch (err) {
    return fail('the venue did not start', err);
  }
  const venue = run.venue;
  // Venue symbol ids are 1..N in its config's order.
  const names = new Map(venue.symbols.map((name, i) => [i + 1, name]));
  const journal = resolve(ROOT, e.journal);
  const logFile = join(dirname(journal), 'engine.log');
  try {
    mkdirSync(dirname(journal), { recursive: true });
    run.log = createWriteStream(logFile);
    run.segment = e.segment;
    run.engine = await startEngine({
      configFile: engineConfigFile, oePort: venue.oePort, mdPort: venue.mdPort, cwd: ROOT, detached: true,
      onStderr: (text) => run.log?.write(text),
    });
  } catch (err) {
    return fail('the engine did not start', err);
  }
  const engine = run.engine;
  try {
    run.monitor = await startMonitor({
      configFile: engineConfigFile, port: args.port, cwd: ROOT, detached: true, onStderr: (text) => run.log?.write(`monitor: ${text}`),
    });
  } catch (err) {
    return fail(`the monitor did not start on 127.0.0.1:${args.port}`, new Error(`${(err as Error).message} (choose another port with --port N)`));
  }
  const monitor = run.monitor;

  const reader = new SegmentReader(mapSegmentFile(e.segment), { clock: liveClock });
  // The books as the engine sees them, once every traded symbol has both sides (or after BOOKS_WAIT_MS).
  for (const until = Date.now() + BOOKS_WAIT_MS; Date.now() < until; await sleep(100)) {
    const symbols = readTelemetry(reader).symbols;
    if (symbols.length >= e.symbols.length && symbols.every((s) => s.bidQty > 0 && s.askQty > 0)) break;
  }
  for (const s of readTelemetry(reader).symbols) {
    process.stderr.write(`${bookLine(s, names.get(s.symbolId) ?? `#${s.symbolId}`, tickPaise.get(s.symbolId) ?? 1)}\n`);
  }

  const ready = engine.ready as { topology?: string; workers?: { name: string; cpus: string }[]; watcher?: { cpus: string; realtime: boolean } };
  // The tools' defaults need not be this config's: say the flags that reach this engine.
  const segmentFlag = e.segment === DEFAULT_SEGMENT_NAME ? [] : [`--segment ${e.segment}`];
  const tokenDir = resolve(ROOT, e.controlDir);
  const tokenFlag = tokenDir === resolve(defaultControlDir()) ? [] : [`--token-dir ${shown(tokenDir)}`];
  const npmRun = (cmd: string, flags: readonly string[]): string => `npm run ${cmd}${flags.length ? ` -- ${flags.join(' ')}` : ''}`;
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  // The token rides in the fragment, which the browser keeps to itself: the cockpit sends it only to the monitor.
  out(`cockpit: ${monitor.url}#token=${readControlToken(tokenDir)}`);
  out(`monitor: pid ${monitor.pid}, ${monitor.url}api/state · ${monitor.url}metrics (Prometheus)`);
  out(`venue: order entry 127.0.0.1:${venue.oePort}, market data 127.0.0.1:${venue.mdPort} `
    + `(${venue.symbols.join(', ')}; synthetic flow), pid ${venue.pid}`);
  out(`engine: pid ${engine.pid}, topology ${ready.topology ?? e.topology}, trading ${e.symbols.join(', ')}; `
    + `workers ${(ready.workers ?? []).map((w) => `${w.name} on CPU ${w.cpus}`).join(', ')}`
    + (ready.watcher ? `, kill watcher on CPU ${ready.watcher.cpus} (${ready.watcher.realtime ? 'real-time' : 'ordinary: no real-time priority here'})` : ''));
  out(`  status:  ${npmRun('status', segmentFlag)}   (telemetry segment ${segmentPath(e.segment)})`);
  out(`  journal: ${npmRun('journal', [shown(journal)])}`);
  out(`  log:     ${shown(logFile)}`);
  out(`  control: ${npmRun('kill', segmentFlag)} · ${npmRun('flatten', segmentFlag)} · ${npmRun('reset', [...segmentFlag, ...tokenFlag])}`);
  out('press Ctrl-C to stop (the engine cancels its working orders first)');

  const tty = process.stdout.isTTY === true;
  const rate = new OrderRate();
  const draw = (): void => {
    const v = readTelemetry(reader);
    const line = statusLine(v, names, rate.sample(v.counters['orders'] ?? 0, Date.now()));
    // On a terminal the line must fit its width, or the next \r would leave the wrapped part behind.
    process.stdout.write(tty ? `\r${line.slice(0, Math.max(20, (process.stdout.columns || 200) - 1))}\x1b[K` : `${line}\n`);
  };
  rate.sample(readTelemetry(reader).counters['orders'] ?? 0, Date.now());
  const timer = setInterval(draw, tty ? TTY_REFRESH_MS : args.statusMs);

  const stop = async (why: string, code: number): Promise<void> => {
    if (run.stopping) return;
    clearInterval(timer);
    if (tty) process.stdout.write('\n');
    process.stderr.write(`start: ${why}: stopping the engine, then the venue\n`);
    const stopped = await run.stopAll();
    if (stopped === null && run.engine !== null && why !== 'engine died') {
      const code = await run.engine.exited;
      process.stderr.write(`start: the engine ended (${code ?? run.engine.exitSignal()}) without its stopped line; `
        + `its last words:\n${run.engine.stderrText().slice(-2000)}\n`);
    } else if (stopped !== null) {
      const counts = (stopped['counts'] ?? {}) as Record<string, number>;
      process.stderr.write(`start: engine stopped (${String(stopped['reason'])}): ${counts['orders'] ?? 0} orders, `
        + `${counts['fills'] ?? 0} fills, ${counts['canceled'] ?? 0} canceled\n`);
    }
    process.exit(code);
  };
  onSignal = (name) => void stop(name, 0);
  if (signalled !== null) onSignal(signalled);
  void engine.exited.then((code) => {
    if (run.stopping) return;
    process.stderr.write(`start: the engine exited on its own (${code ?? engine.exitSignal()}); its last words:\n${engine.stderrText().slice(-2000)}\n`);
    void stop('engine died', 1);
  });
  void monitor.exited.then((code) => {
    if (run.stopping) return;
    process.stderr.write(`start: the monitor exited on its own (code ${code}); the engine trades on. Its last words:\n`
      + `${monitor.stderrText().slice(-2000)}\n`);
  });
  void venue.exited.then((code) => {
    if (run.stopping) return;
    process.stderr.write(`start: the venue exited on its own (code ${code})\n`);
    void stop('venue died', 1);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof BadConfig ? 2 : 1);
});
