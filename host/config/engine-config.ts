// Loads config/engine.toml: every section validated by its module, unknown sections and keys refused,
// the cost profile checked against the cost profiles file. Errors are ConfigError naming the key.
// The process sections ([engine], [venue], [workers.*]) say how the engine runs: topology, symbols,
// the venue's addresses and login, the segment and journal, and each worker's cores and wait strategy.
import { readConfigFile } from './config-file.js';
import { ConfigError } from './config-error.js';
import { integerIn, isPrintableAscii, isTable, nonEmptyString, numberIn, onlyKeys, oneOf, tableAt, type Table } from './validate.js';
import { validateOracleConfig, type OracleConfig, type OracleConfigInput } from '../modules/oracle.js';
import { resolveSonarConfig, type SonarConfig, type SonarConfigInput } from '../modules/sonar.js';
import { DEFAULT_OTR_CONFIG, resolveOtrConfig, type OtrConfig } from '../modules/otr-ledger.js';
import { DEFAULT_FLOOD_CONFIG, resolveFloodConfig, type FloodConfig, type ResolvedFloodConfig } from '../modules/flood-control.js';
import type { CostProfiles } from '../modules/cost-model.js';
import { resolveExecutionConfig, type ExecutionConfig } from '../modules/execution.js';

export type { ExecutionConfig };

export const TOPOLOGIES = ['fused', 'modules'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/** The workers of each topology: fused runs the hot path in one worker; modules one worker per seed module. */
export const TOPOLOGY_WORKERS: Readonly<Record<Topology, readonly WorkerName[]>> = {
  fused: ['hot', 'cool'],
  modules: ['oracle', 'execution', 'sonar', 'sentinel'],
};
export const WORKER_NAMES = ['hot', 'cool', 'oracle', 'execution', 'sonar', 'sentinel'] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

/** How a worker that is not driven by a socket waits for its next piece of work (host/core/wait-strategy.ts). */
export const WORKER_WAITS = ['busy-spin', 'spin-then-park', 'park'] as const;
export type WorkerWait = (typeof WORKER_WAITS)[number];
/** How a socket worker waits for its sockets: `event` sleeps in its event loop until libuv wakes it (polite:
 *  the core is free for others); `spin` polls its sockets itself without sleeping (host/engine/spin-loop.ts:
 *  a core of its own, pin it where nothing else needs to run). */
export const SOCKET_WAITS = ['event', 'spin'] as const;
export type SocketWait = (typeof SOCKET_WAITS)[number];
/** Workers driven by their sockets: they choose a SocketWait. */
export const SOCKET_WORKERS: readonly WorkerName[] = ['hot', 'oracle', 'execution'];

export interface WorkerConfig {
  /** CPUs the worker pins itself to (sched_setaffinity); empty: not pinned. */
  readonly cpus: readonly number[];
  /** Ring consumers (cool, sonar, sentinel): a WorkerWait; socket workers (hot, oracle, execution): a SocketWait. */
  readonly wait: WorkerWait | SocketWait;
}

export interface EngineProcessConfig {
  readonly topology: Topology;
  /** Venue symbol names to trade, at most 16 (the telemetry segment's symbol blocks). */
  readonly symbols: readonly string[];
  /** POSIX shared-memory name of the telemetry segment ("/name"). */
  readonly segment: string;
  /** Journal file path (relative: to the working directory). */
  readonly journal: string;
  /** Directory of the control token file (created 0700 at first start). */
  readonly controlDir: string;
  /** Levels of each symbol's L2 book window, a power of two. */
  readonly bookLevels: number;
  /** Telemetry publications per second. */
  readonly telemetryHz: number;
  /** The kill watcher thread's SCHED_FIFO priority, 1..99 (0: an ordinary thread; engine/kill-watcher.ts). */
  readonly killWatcherPriority: number;
  /** Capture file of every core call the execution thread makes (docs/record-replay.md); "": no capture. */
  readonly capture: string;
}

export interface VenueAccess {
  readonly host: string;
  /** Order-entry and market-data ports; 0: must be given on the command line (--venue-oe, --venue-md). */
  readonly oePort: number;
  readonly mdPort: number;
  readonly userId: number;
  readonly token: string;
}

export interface EngineConfig {
  readonly engine: EngineProcessConfig;
  readonly venue: VenueAccess;
  readonly workers: Readonly<Record<WorkerName, WorkerConfig>>;
  readonly oracle: OracleConfig;
  readonly sonar: SonarConfig;
  readonly otr: OtrConfig;
  readonly flood: ResolvedFloodConfig;
  readonly execution: ExecutionConfig;
}

const SECTIONS = ['engine', 'venue', 'workers', 'oracle', 'sonar', 'regime', 'gate', 'otr', 'flood', 'execution'] as const;

export const DEFAULT_ENGINE_PROCESS: EngineProcessConfig = {
  topology: 'fused', symbols: ['RELIANCE', 'INFY', 'NIFTY-FUT'], segment: '/tradecore-engine', journal: 'var/engine.journal',
  controlDir: 'var', bookLevels: 4096, telemetryHz: 10, killWatcherPriority: 10, capture: '',
};
export const DEFAULT_VENUE_ACCESS: VenueAccess = { host: '127.0.0.1', oePort: 9101, mdPort: 9102, userId: 1, token: 'alpha' };
/** Two cores: the latency-critical worker(s) on CPU 0, the rest on CPU 1. */
export const DEFAULT_WORKERS: Readonly<Record<WorkerName, WorkerConfig>> = {
  hot: { cpus: [0], wait: 'event' },
  cool: { cpus: [1], wait: 'park' },
  oracle: { cpus: [0], wait: 'event' },
  execution: { cpus: [0], wait: 'event' },
  sonar: { cpus: [1], wait: 'park' },
  sentinel: { cpus: [1], wait: 'park' },
};
/** The telemetry segment has this many symbol blocks. */
export const MAX_ENGINE_SYMBOLS = 16;
const MAX_CPU = 1023;

function engineProcess(t: Table): EngineProcessConfig {
  if (t['killPollUs'] !== undefined) {
    // The kill watcher no longer polls: control requests ring the segment's doorbell (telemetry/doorbell.ts).
    throw new ConfigError('engine.killPollUs', 'left out (removed: the kill word wakes the engine through the segment\'s doorbell, no polling)', t['killPollUs']);
  }
  onlyKeys('engine', t, Object.keys(DEFAULT_ENGINE_PROCESS));
  const c = { ...DEFAULT_ENGINE_PROCESS, ...t };
  const symbols = c.symbols as unknown;
  if (!Array.isArray(symbols) || symbols.length === 0 || symbols.length > MAX_ENGINE_SYMBOLS) {
    throw new ConfigError('engine.symbols', `a list of 1 to ${MAX_ENGINE_SYMBOLS} symbol names`, symbols);
  }
  const seen = new Set<string>();
  symbols.forEach((s: unknown, i) => {
    const key = `engine.symbols[${i}]`;
    if (typeof s !== 'string' || s.length === 0 || s.length > 16 || !isPrintableAscii(s)) {
      throw new ConfigError(key, 'a symbol name of 1 to 16 printable ASCII characters', s);
    }
    if (seen.has(s)) throw new ConfigError(key, 'a symbol not listed before', s);
    seen.add(s);
  });
  const segment = nonEmptyString('engine.segment', c.segment);
  if (!/^\/[A-Za-z0-9._-]{1,200}$/.test(segment)) {
    throw new ConfigError('engine.segment', 'a shared-memory name "/" + letters, digits, ".", "_" or "-"', segment);
  }
  const bookLevels = integerIn('engine.bookLevels', c.bookLevels, 64, 1 << 20);
  if ((bookLevels & (bookLevels - 1)) !== 0) throw new ConfigError('engine.bookLevels', 'a power of two in [64, 1048576]', bookLevels);
  return {
    topology: oneOf('engine.topology', c.topology, TOPOLOGIES),
    symbols: [...symbols] as string[],
    segment,
    journal: nonEmptyString('engine.journal', c.journal),
    controlDir: nonEmptyString('engine.controlDir', c.controlDir),
    bookLevels,
    telemetryHz: numberIn('engine.telemetryHz', c.telemetryHz, 0, 1000, true),
    killWatcherPriority: integerIn('engine.killWatcherPriority', c.killWatcherPriority, 0, 99),
    capture: capturePath(c.capture),
  };
}

/** engine.capture: "" (off) or a file path (its directory is created at start; an existing file is replaced). */
function capturePath(v: unknown): string {
  if (typeof v !== 'string' || v.length > 4096 || v.endsWith('/') || v.includes('\0')) {
    throw new ConfigError('engine.capture', 'a file path (at most 4096 characters, not a directory) or "" for no capture', v);
  }
  return v;
}

function venueAccess(t: Table): VenueAccess {
  onlyKeys('venue', t, Object.keys(DEFAULT_VENUE_ACCESS));
  const c = { ...DEFAULT_VENUE_ACCESS, ...t };
  const token = nonEmptyString('venue.token', c.token);
  if (token.length > 16 || !isPrintableAscii(token)) throw new ConfigError('venue.token', 'at most 16 printable ASCII characters', token);
  return {
    host: nonEmptyString('venue.host', c.host),
    oePort: integerIn('venue.oePort', c.oePort, 0, 65535),
    mdPort: integerIn('venue.mdPort', c.mdPort, 0, 65535),
    userId: integerIn('venue.userId', c.userId, 1, 0xffffffff),
    token,
  };
}

function workers(t: Table): Record<WorkerName, WorkerConfig> {
  onlyKeys('workers', t, WORKER_NAMES, `a worker (${WORKER_NAMES.join(', ')})`);
  const out = { ...DEFAULT_WORKERS };
  for (const name of WORKER_NAMES) {
    const w = tableAt(t, name, `workers.${name}`);
    onlyKeys(`workers.${name}`, w, ['cpus', 'wait']);
    const waits: readonly (WorkerWait | SocketWait)[] = SOCKET_WORKERS.includes(name) ? SOCKET_WAITS : WORKER_WAITS;
    const cpus = w.cpus ?? DEFAULT_WORKERS[name].cpus;
    if (!Array.isArray(cpus) || cpus.length > 64) throw new ConfigError(`workers.${name}.cpus`, 'a list of CPU numbers', cpus);
    cpus.forEach((cpu: unknown, i) => integerIn(`workers.${name}.cpus[${i}]`, cpu, 0, MAX_CPU));
    out[name] = {
      cpus: [...cpus] as number[],
      wait: oneOf(`workers.${name}.wait`, w.wait ?? DEFAULT_WORKERS[name].wait, waits),
    };
  }
  return out;
}

/** Parses and validates an engine config. `source` names the file in errors. */
export function loadEngineConfig(text: string, profiles: CostProfiles, source = 'engine.toml'): EngineConfig {
  const doc = readConfigFile(text, source);
  onlyKeys('', doc, SECTIONS, `a known section (${SECTIONS.join(', ')})`);
  const sonarTables = { sonar: tableAt(doc, 'sonar'), regime: tableAt(doc, 'regime'), gate: tableAt(doc, 'gate') };
  onlyKeys('sonar', sonarTables.sonar, ['window', 'order', 'source']);
  onlyKeys('regime', sonarTables.regime, ['enter', 'exit', 'minDwellMs']);
  if (isTable(sonarTables.gate) && sonarTables.gate['maxRttMs'] !== undefined) {
    // One RTT threshold: the gate's RTT check is the execution core's watchdog verdict.
    throw new ConfigError('gate.maxRttMs', 'left out (removed: the lockdown threshold is execution.rttWatchdog.lockdownMs)',
      sonarTables.gate['maxRttMs']);
  }
  onlyKeys('gate', sonarTables.gate, ['maxFeedAgeMs']);
  const otr = tableAt(doc, 'otr');
  onlyKeys('otr', otr, Object.keys(DEFAULT_OTR_CONFIG));
  const flood = tableAt(doc, 'flood');
  onlyKeys('flood', flood, [...Object.keys(DEFAULT_FLOOD_CONFIG), 'burst']);
  const otrConfig = resolveOtrConfig(otr as Partial<OtrConfig>).config;
  const floodConfig = resolveFloodConfig(flood as Partial<FloodConfig>);
  const workerTables = tableAt(doc, 'workers');
  if (!isTable(workerTables)) throw new ConfigError('workers', 'a table', workerTables);
  return {
    engine: engineProcess(tableAt(doc, 'engine')),
    venue: venueAccess(tableAt(doc, 'venue')),
    workers: workers(workerTables),
    oracle: validateOracleConfig(tableAt(doc, 'oracle') as OracleConfigInput),
    sonar: resolveSonarConfig(sonarTables as SonarConfigInput),
    otr: otrConfig,
    flood: floodConfig,
    execution: resolveExecutionConfig(tableAt(doc, 'execution'), {
      profiles, otr: otrConfig, openingBanSeconds: floodConfig.openingBanSeconds,
    }),
  };
}
