// The engine as a child process, for `npm start` and the benchmark: `node dist/host/engine.js --config
// <file> --venue-oe P --venue-md M`, waiting for its ready line {"engine":"ready",…} on stdout; stop()
// sends SIGTERM (the engine cancels its working orders and logs out) and resolves with its final line
// {"engine":"stopped","code":…,"latency":{"tick_to_order_ns":{…},"wire_to_order_ns":{…}},…}. It also
// reads the process's resident set from /proc and, when started with `traceGc`, counts the V8
// collections each isolate (main thread and every worker) reports on stdout (`--trace-gc`), for the
// benchmark's GC figures when the engine does not count its own. Node-only, off every hot path.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startNodeProcess, type JsonLine, type NodeProcess } from './node-process.js';

/** dist/host/engine.js, relative to this file's place in dist/host/platform/. */
export const ENGINE_JS_URL = new URL('../engine.js', import.meta.url);

/** V8 collections of one isolate. */
export interface GcCounts {
  readonly scavenges: number;
  readonly mark_sweeps: number;
}

export interface EngineStartOptions {
  readonly configFile: string;
  readonly oePort: number;
  readonly mdPort: number;
  readonly readyTimeoutMs?: number;
  /** Count collections per isolate (`node --trace-gc`). */
  readonly traceGc?: boolean;
  /** Another engine entry (default dist/host/engine.js). */
  readonly engineJs?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The engine's working directory (its config's relative paths, e.g. the journal, resolve there). */
  readonly cwd?: string;
  /** In a process group of its own, so a terminal's Ctrl-C reaches only the parent, which then stops
   *  the engine before what it depends on (default false). */
  readonly detached?: boolean;
  /** Each piece of the engine's stderr as it comes (its structured log), e.g. to a log file. */
  readonly onStderr?: (text: string) => void;
}

export type { JsonLine };

export interface EngineProcess extends Omit<NodeProcess, 'lineOf' | 'stop'> {
  /** VmRSS of the engine process, bytes (0 once it is gone). */
  rssBytes(): number;
  /** Collections per isolate so far (traceGc), keyed "isolate-<n>" in order of first report. */
  gcCounts(): Record<string, GcCounts>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the stopped line (null if none came). */
  stop(graceMs?: number): Promise<JsonLine | null>;
}

/** `[pid:0xisolate]  123 ms: Scavenge …` / `… Mark-Compact …` (V8's --trace-gc line). */
const GC_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: (.+?) [\d.]+ \(/;

/** Counts one --trace-gc line into `counts` (by isolate address); false when it is not one. */
export function countGcLine(line: string, counts: Map<string, { scavenges: number; mark_sweeps: number }>): boolean {
  const m = GC_LINE.exec(line);
  if (m === null) return false;
  let c = counts.get(m[1]!);
  if (c === undefined) counts.set(m[1]!, (c = { scavenges: 0, mark_sweeps: 0 }));
  const kind = m[2]!;
  // Young-generation collections (Scavenge, and V8's minor mark-sweep/compact) vs full ones.
  if (kind.startsWith('Scavenge') || kind.startsWith('Minor')) c.scavenges++;
  else if (kind.startsWith('Mark')) c.mark_sweeps++;
  return true;
}

export function rssBytesOf(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) * 1024;
  } catch {
    return 0;
  }
}

export async function startEngine(o: EngineStartOptions): Promise<EngineProcess> {
  const gc = new Map<string, { scavenges: number; mark_sweeps: number }>();
  const p = await startNodeProcess({
    name: 'engine', readyValue: 'ready', entry: o.engineJs ?? fileURLToPath(ENGINE_JS_URL),
    args: ['--config', o.configFile, '--venue-oe', String(o.oePort), '--venue-md', String(o.mdPort)],
    nodeArgs: o.traceGc ? ['--trace-gc'] : [], readyTimeoutMs: o.readyTimeoutMs, env: o.env, cwd: o.cwd, detached: o.detached,
    onStderr: o.onStderr, onOtherLine: (line) => countGcLine(line, gc),
  });
  return {
    proc: p.proc, pid: p.pid, ready: p.ready, exited: p.exited, alive: p.alive, exitSignal: p.exitSignal, stderrText: p.stderrText,
    rssBytes: () => (p.alive() ? rssBytesOf(p.pid) : 0),
    gcCounts(): Record<string, GcCounts> {
      const r: Record<string, GcCounts> = {};
      let i = 0;
      for (const c of gc.values()) r[`isolate-${++i}`] = { ...c };
      return r;
    },
    async stop(graceMs = 10_000): Promise<JsonLine | null> {
      await p.stop(graceMs);
      return p.lineOf('stopped', 0);
    },
  };
}
