// The venue process: the exchange simulator the engine trades against (`npm run venue -- --config
// config/venue.toml`). Price-time matching per symbol in the core, seeded synthetic background flow,
// replay of recorded feeds, latency injection, and the binary order-entry and market-data ports of
// docs/protocol.md.
//
// stdout carries exactly one line, once both ports listen:
//   {"venue":"ready","oe_port":N,"md_port":M,"symbols":["RELIANCE","INFY","NIFTY-FUT"]}
// (symbol names in symbol-id order, ids 1..N). Everything else goes to stderr, except with
// `--control stdin`: then the venue reads JSON commands on stdin and answers each with one JSON line
// on stdout after the ready line (host/venue/venue-control.ts), and stops when stdin ends (the
// controlling process is gone).
// Exit codes: 0 after SIGINT/SIGTERM (sessions get Logout VENUE_SHUTDOWN) and after --help (the usage on
// stdout), 2 for bad arguments or a bad config (the message names the key), 1 for anything else that
// stops the start.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HelpRequested, readCommandLine, UsageError } from './cli/command-line.js';
import { ConfigError } from './config/config-error.js';
import { liveClock } from './platform/clock.js';
import { pinProcessThreads } from './platform/process-threads.js';
import { loadNative } from './platform/native.js';
import { Exchange } from './venue/exchange.js';
import { loadVenueConfig } from './venue/venue-config.js';
import { VenueLog } from './venue/venue-log.js';
import { VenueControl } from './venue/venue-control.js';

const USAGE = 'usage: venue --config <venue.toml> [--control stdin] [--audit <file.jsonl> [--audit-md]] [--cpus <n,...>] [--priority <0..98>]';
/** Sockets that do not close within this long of a shutdown are abandoned. */
const SHUTDOWN_GRACE_MS = 1500;

interface Arguments {
  readonly file: string;
  readonly control: boolean;
  /** Overrides the config's audit_file. */
  readonly audit: string | undefined;
  /** With --audit: record market data too (audit_md). */
  readonly auditMd: boolean;
  /** --cpus: the CPUs every venue thread (its sockets and matching on the main thread, V8's GC) pins itself to. */
  readonly cpus: number[] | undefined;
  /** --priority: SCHED_FIFO priority of the main thread, where the sockets and the matching run (for a venue standing
   *  in for an exchange on a machine of its own, in a benchmark: nothing on this machine may delay its feed); 0:
   *  ordinary. Threads it starts later inherit it. */
  readonly priority: number;
}

function readArguments(argv: string[]): Arguments {
  const parsed = readCommandLine(argv, { config: { type: 'string' }, control: { type: 'string' }, audit: { type: 'string' }, 'audit-md': { type: 'boolean' }, cpus: { type: 'string' },
    priority: { type: 'string' } });
  const file = parsed.values.config;
  if (file === undefined) throw new UsageError('--config is required');
  const control = parsed.values.control;
  if (control !== undefined && control !== 'stdin') throw new UsageError(`--control must be "stdin", got "${control}"`);
  const audit = parsed.values.audit;
  if (audit === '') throw new UsageError('--audit needs a file name');
  const auditMd = parsed.values['audit-md'] === true;
  if (auditMd && audit === undefined) throw new UsageError('--audit-md needs --audit <file>');
  const cpusText = parsed.values.cpus;
  let cpus: number[] | undefined;
  if (cpusText !== undefined) {
    cpus = cpusText.split(',').map(Number);
    if (cpus.some((c) => !Number.isInteger(c) || c < 0 || c > 1023)) throw new UsageError(`--cpus must list CPU numbers 0..1023 (e.g. 1 or 0,1), got "${cpusText}"`);
  }
  const priorityText = parsed.values.priority ?? '0';
  const priority = Number(priorityText);
  if (!/^\d+$/.test(priorityText) || priority > 98) throw new UsageError(`--priority must be an integer in [0, 98], got "${priorityText}"`);
  return { file, control: control === 'stdin', audit, auditMd, cpus, priority };
}

async function main(argv: string[]): Promise<void> {
  const { file, control, audit, auditMd, cpus, priority } = readArguments(argv);
  // Pinned first, every thread (V8's helpers too): the venue's own work (matching, market data, sessions) runs
  // on its main thread, its garbage collection on V8's.
  if (cpus !== undefined) pinProcessThreads(cpus);
  if (priority > 0 && !loadNative().setRealtimePriority(priority)) throw new UsageError(`--priority ${priority}: the kernel refused real-time scheduling (needs root or CAP_SYS_NICE)`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', 'a readable file', `${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const loaded = loadVenueConfig(text, file);
  const config = audit === undefined ? loaded : { ...loaded, auditFile: resolve(audit), auditMd: auditMd || loaded.auditMd };
  const log = new VenueLog();
  const exchange = await Exchange.create(config, log, liveClock);
  const address = await exchange.start();
  // However the process ends (a stop that outlives its grace period included), the audit's last
  // lines reach the file.
  process.once('exit', () => exchange.audit?.close());

  // From here on a fault in one connection must not take the venue down: sessions catch their own
  // errors; anything that still escapes is logged and the venue keeps serving.
  process.on('uncaughtException', (err) => log.event('internal', `uncaught: ${err.stack ?? String(err)}`));
  process.on('unhandledRejection', (err) => log.event('internal', `unhandled rejection: ${(err as Error)?.stack ?? String(err)}`));

  const stop = (signal: string): void => {
    log.info(`${signal}: stopping`);
    const timer = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
    exchange.stop().then(() => {
      clearTimeout(timer);
      log.info('stopped');
      process.exit(0);
    }, (err: unknown) => {
      log.info(`stop failed: ${(err as Error).message}`);
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  log.info(`listening on ${config.host}: order entry ${address.oePort}, market data ${address.mdPort}; `
    + `${address.symbols.length} symbols (${address.symbols.join(', ')})`
    + (config.replay ? `; replaying ${config.replay.kind} as ${config.replay.symbol}` : ''));
  process.stdout.write(`${JSON.stringify({ venue: 'ready', oe_port: address.oePort, md_port: address.mdPort, symbols: address.symbols })}\n`);
  if (control) {
    new VenueControl(exchange).attach(process.stdin, (line) => process.stdout.write(line), () => stop('end of control input'));
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof HelpRequested) {
    process.stdout.write(`${USAGE}\n`);
  } else if (err instanceof UsageError) {
    process.stderr.write(`venue: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  } else if (err instanceof ConfigError) {
    process.stderr.write(`venue: config error: ${err.message}\n`);
    process.exit(2);
  } else {
    process.stderr.write(`venue: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
});
