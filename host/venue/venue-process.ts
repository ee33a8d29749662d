// A venue process on this machine, for tests and benchmarks: writes a config to a temp dir, spawns
// `node dist/host/venue.js --config <file>`, waits for its ready line
// `{"venue":"ready","oe_port":N,"md_port":M,"symbols":[...]}` on stdout and hands back the ports.
// Started with `control: true` it also drives the venue at run time (host/venue/venue-control.ts):
// setLatency() and stats() send one command each on the venue's stdin and resolve with its answer.
// Node-only, off every hot path.
import { createInterface } from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AUDIT_FLUSH_MS, readAudit, type AuditLine } from './venue-audit.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/host/venue.js, relative to this file's place in dist/host/venue/. */
export const VENUE_JS_URL = new URL('../venue.js', import.meta.url);

/** The venue's ready line, as printed. */
export interface ReadyLine {
  readonly venue: 'ready';
  readonly oe_port: number;
  readonly md_port: number;
  readonly symbols: string[];
}

export interface LocalVenue {
  readonly proc: ChildProcess;
  readonly ready: ReadyLine;
  readonly pid: number;
  readonly oePort: number;
  readonly mdPort: number;
  readonly symbols: readonly string[];
  readonly configFile: string;
  /** stderr lines so far (the venue logs there). */
  readonly stderr: string[];
  /** stderr so far as one text, with a last line not yet ended. */
  stderrText(): string;
  /** The exit code once the process has exited (null after a signal). */
  readonly exited: Promise<number | null>;
  /** True until the process has exited. */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. Removes the temp dir. */
  stop(graceMs?: number): Promise<void>;
  /** Changes a port's injected latency at run time (needs `control: true`); resolves with the port's
   *  latency now. A value left out keeps its current setting. */
  setLatency(port: 'oe' | 'md', latency: LatencyChange): Promise<LatencyNow>;
  /** The venue's counters now (needs `control: true`). */
  stats(): Promise<VenueStatsLine>;
  /** Cuts every connection of a port at once, as a network failure would (needs `control: true`);
   *  resolves with how many connections of each port were cut. */
  disconnect(port: 'oe' | 'md' | 'all'): Promise<{ oe: number; md: number }>;
  /** One raw control command (needs `control: true`); resolves with the answer, rejects on an error answer. */
  command(cmd: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The audit file (option `audit`), or null. */
  readonly auditFile: string | null;
  /** The audit so far (needs option `audit`): flushed first through the control when there is one,
   *  else after the venue's flush period. A file inside the temp dir is gone after stop(). */
  audit(): Promise<AuditLine[]>;
}

/** Microseconds; a key left out keeps its current value. */
export interface LatencyChange {
  readonly inboundUs?: number;
  readonly inboundJitterUs?: number;
  readonly outboundUs?: number;
  readonly outboundJitterUs?: number;
}

/** The control's answer to a latency command. */
export interface LatencyNow {
  readonly venue: 'latency';
  readonly port: 'oe' | 'md';
  readonly inbound_us: number;
  readonly inbound_jitter_us: number;
  readonly outbound_us: number;
  readonly outbound_jitter_us: number;
}

/** Per user: requests received after login and reports sent. */
export interface UserStats {
  readonly user: number;
  readonly orders: number;
  readonly cancels: number;
  readonly replaces: number;
  readonly acks: number;
  readonly fills: number;
  readonly canceled: number;
  readonly replaced: number;
  readonly rejects: number;
  /** TestRequests (RTT probes) answered: not orders (absent from a venue older than them). */
  readonly testRequests?: number;
}

/** The control's answer to `stats`. */
export interface VenueStatsLine {
  readonly venue: 'stats';
  readonly users: UserStats[];
  readonly sessions: number;
  readonly md_subscribers: number;
  readonly deltas: number;
  readonly trades: number;
}

export interface StartVenueOptions {
  /** Ready line wait (default 10 000 ms). */
  readonly readyTimeoutMs?: number;
  /** Extra environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Echo the venue's stderr to ours (default false). */
  readonly echoStderr?: boolean;
  /** Start with `--control stdin` so setLatency(), stats() and command() work (default false). */
  readonly control?: boolean;
  /** Keep the order-arrival audit (host/venue/venue-audit.ts): true = audit.jsonl in the temp dir,
   *  a string = that file (kept after stop). */
  readonly audit?: boolean | string;
  /** With `audit`: record every market-data frame written too. */
  readonly auditMd?: boolean;
  /** In a process group of its own, so a terminal's Ctrl-C reaches only the parent (default false). */
  readonly detached?: boolean;
  /** Pin the venue's threads to these CPUs (`--cpus`), e.g. away from a spinning engine worker. */
  readonly cpus?: readonly number[];
  /** The main thread's SCHED_FIFO priority (`--priority`; 0 or absent: ordinary). */
  readonly priority?: number;
}

/** How long a control command may take to be answered. */
const COMMAND_TIMEOUT_MS = 5000;

export async function startVenue(configToml: string, opts: StartVenueOptions = {}): Promise<LocalVenue> {
  const dir = mkdtempSync(join(tmpdir(), 'venue-'));
  const configFile = join(dir, 'venue.toml');
  writeFileSync(configFile, configToml);
  const args = [fileURLToPath(VENUE_JS_URL), '--config', configFile];
  if (opts.control) args.push('--control', 'stdin');
  const auditFile = opts.audit === undefined || opts.audit === false ? null
    : opts.audit === true ? join(dir, 'audit.jsonl') : opts.audit;
  if (auditFile !== null) args.push('--audit', auditFile);
  if (auditFile !== null && opts.auditMd) args.push('--audit-md');
  if (opts.cpus !== undefined && opts.cpus.length > 0) args.push('--cpus', opts.cpus.join(','));
  if (opts.priority) args.push('--priority', String(opts.priority));
  const proc = spawn(process.execPath, args, {
    stdio: [opts.control ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
    detached: opts.detached ?? false,
  });
  proc.stdin?.on('error', () => {}); // a command written as the venue exits: its promise times out instead
  const stderr: string[] = [];
  let exited = false;
  // Answers to control commands, by the id each command was sent with.
  const answers = new Map<number, (answer: Record<string, unknown>) => void>();
  const exitPromise = new Promise<number | null>((resolve) => proc.once('exit', (code) => {
    exited = true;
    for (const waiting of answers.values()) waiting({ venue: 'error', message: `the venue exited (code ${code})` });
    answers.clear();
    resolve(code);
  }));
  let errBuf = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (s: string) => {
    if (opts.echoStderr) process.stderr.write(s);
    errBuf += s;
    let nl: number;
    while ((nl = errBuf.indexOf('\n')) >= 0) {
      stderr.push(errBuf.slice(0, nl));
      errBuf = errBuf.slice(nl + 1);
    }
  });
  const afterReady = (line: string): void => {
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      const waiting = typeof j['id'] === 'number' ? answers.get(j['id']) : undefined;
      if (waiting !== undefined) {
        answers.delete(j['id'] as number);
        waiting(j);
      }
    } catch {
      // not a JSON line
    }
  };
  const timeoutMs = opts.readyTimeoutMs ?? 10_000;
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    let isReady = false;
    const timer = setTimeout(() => fail(new Error(`venue not ready within ${timeoutMs} ms`)), timeoutMs);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${e.message}; stderr:\n${stderr.join('\n')}${errBuf}`));
    };
    createInterface({ input: proc.stdout!, crlfDelay: Infinity }).on('line', (raw: string) => {
      const line = raw.trim();
      if (!line.startsWith('{')) return;
      if (isReady) {
        afterReady(line);
        return;
      }
      try {
        const j = JSON.parse(line) as Partial<ReadyLine>;
        if (j.venue === 'ready') {
          isReady = true;
          clearTimeout(timer);
          resolve(j as ReadyLine);
        }
      } catch {
        // not a JSON line
      }
    });
    proc.once('exit', (code, signal) => {
      if (!isReady) fail(new Error(`venue exited (code ${code}, signal ${signal}) before ready`));
    });
  });
  const pid = proc.pid!;
  let nextId = 0;
  const command = (cmd: Record<string, unknown>): Promise<Record<string, unknown>> => {
    if (!opts.control) return Promise.reject(new Error('the venue was started without control: true'));
    if (exited) return Promise.reject(new Error('the venue has exited'));
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        answers.delete(id);
        reject(new Error(`no answer to ${JSON.stringify(cmd)} within ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      answers.set(id, (answer) => {
        clearTimeout(timer);
        if (answer['venue'] === 'error') reject(new Error(`venue control: ${String(answer['message'])}`));
        else resolve(answer);
      });
      proc.stdin!.write(`${JSON.stringify({ ...cmd, id })}\n`);
    });
  };
  return {
    proc, ready, pid, oePort: ready.oe_port, mdPort: ready.md_port, symbols: ready.symbols, configFile, stderr,
    stderrText: () => (stderr.length > 0 ? `${stderr.join('\n')}\n` : '') + errBuf,
    exited: exitPromise,
    alive: () => !exited,
    async stop(graceMs = 2000): Promise<void> {
      if (!exited) {
        try {
          proc.kill('SIGCONT'); // in case a test stopped it
          proc.kill('SIGTERM');
        } catch {
          // already gone
        }
        const t = setTimeout(() => {
          if (!exited) proc.kill('SIGKILL');
        }, graceMs);
        await exitPromise;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
    command,
    auditFile,
    async audit(): Promise<AuditLine[]> {
      if (auditFile === null) throw new Error('the venue was started without an audit');
      if (opts.control && !exited) await command({ cmd: 'flush' });
      else if (!exited) await new Promise((r) => setTimeout(r, 3 * AUDIT_FLUSH_MS));
      return readAudit(auditFile);
    },
    async setLatency(port, l): Promise<LatencyNow> {
      const cmd: Record<string, unknown> = { cmd: 'latency', port };
      if (l.inboundUs !== undefined) cmd['inbound_us'] = l.inboundUs;
      if (l.inboundJitterUs !== undefined) cmd['inbound_jitter_us'] = l.inboundJitterUs;
      if (l.outboundUs !== undefined) cmd['outbound_us'] = l.outboundUs;
      if (l.outboundJitterUs !== undefined) cmd['outbound_jitter_us'] = l.outboundJitterUs;
      return (await command(cmd)) as unknown as LatencyNow;
    },
    async disconnect(port): Promise<{ oe: number; md: number }> {
      const a = await command({ cmd: 'disconnect', port });
      return { oe: a['oe'] as number, md: a['md'] as number };
    },
    async stats(): Promise<VenueStatsLine> {
      return (await command({ cmd: 'stats' })) as unknown as VenueStatsLine;
    },
  };
}

/** One [[symbols]] entry of venueConfigToml. Prices in ticks. */
export interface VenueSymbolSpec {
  readonly name: string;
  readonly refPrice: number;
  readonly tickPaise?: number;
  readonly lotSize?: number;
  readonly bandLow?: number;
  readonly bandHigh?: number;
  readonly capacity?: number;
  /** Synthetic flow: events per second (absent or 0: no flow). */
  readonly flowEventsPerSecond?: number;
  readonly flowSeed?: number;
  readonly flowWarmupEvents?: number;
}

export interface VenueSpec {
  readonly oePort?: number;
  readonly mdPort?: number;
  readonly users: readonly { id: number; token: string }[];
  readonly symbols: readonly VenueSymbolSpec[];
  readonly ordersPerSecond?: number;
  readonly heartbeatMinMs?: number;
  readonly mdHeartbeatMs?: number;
  readonly inboundQueueFrames?: number;
  readonly sendBufferBytes?: number;
  readonly oeInboundFixedUs?: number;
  readonly mdOutboundFixedUs?: number;
  readonly loginTimeoutMs?: number;
  /** Synthetic flow timer period (config flow_tick_ms). */
  readonly flowTickMs?: number;
}

/** A venue config (config/venue.toml format) for a test or bench venue on loopback. */
export function venueConfigToml(spec: VenueSpec): string {
  const lines: string[] = [
    '[venue]',
    'host = "127.0.0.1"',
    `oe_port = ${spec.oePort ?? 0}`,
    `md_port = ${spec.mdPort ?? 0}`,
    `heartbeat_min_ms = ${spec.heartbeatMinMs ?? 100}`,
    `orders_per_second = ${spec.ordersPerSecond ?? 0}`,
  ];
  if (spec.mdHeartbeatMs !== undefined) lines.push(`md_heartbeat_ms = ${spec.mdHeartbeatMs}`);
  if (spec.inboundQueueFrames !== undefined) lines.push(`inbound_queue_frames = ${spec.inboundQueueFrames}`);
  if (spec.sendBufferBytes !== undefined) lines.push(`send_buffer_bytes = ${spec.sendBufferBytes}`);
  if (spec.loginTimeoutMs !== undefined) lines.push(`login_timeout_ms = ${spec.loginTimeoutMs}`);
  if (spec.flowTickMs !== undefined) lines.push(`flow_tick_ms = ${spec.flowTickMs}`);
  lines.push('');
  for (const u of spec.users) lines.push('[[users]]', `id = ${u.id}`, `token = "${u.token}"`, '');
  lines.push('[latency.oe]', `inbound_fixed_us = ${spec.oeInboundFixedUs ?? 0}`, '');
  lines.push('[latency.md]', `outbound_fixed_us = ${spec.mdOutboundFixedUs ?? 0}`, '');
  for (const s of spec.symbols) {
    lines.push('[[symbols]]', `name = "${s.name}"`, `tick_paise = ${s.tickPaise ?? 5}`, `lot_size = ${s.lotSize ?? 1}`,
      `ref_price = ${s.refPrice}`);
    if (s.bandLow !== undefined) lines.push(`band_low = ${s.bandLow}`, `band_high = ${s.bandHigh}`);
    if (s.capacity !== undefined) lines.push(`capacity = ${s.capacity}`);
    if (s.flowEventsPerSecond) {
      lines.push('[symbols.flow]', `seed = ${s.flowSeed ?? 7}`, `events_per_second = ${s.flowEventsPerSecond}`,
        `warmup_events = ${s.flowWarmupEvents ?? 200}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
