// A Node program of ours as a child process that speaks JSON lines on stdout ({"<name>":"ready",…}): the
// engine and the monitor, for `npm start`, the benchmarks and the tests. Waits for the line that says it is
// up, keeps every JSON line it prints and the tail of its stderr, and stops it with SIGTERM (SIGKILL after a
// grace period). Lines that are not JSON go to `onOtherLine` (e.g. V8's --trace-gc output). Off every hot path.
import { createInterface } from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';

export type JsonLine = Record<string, unknown>;

export interface NodeProcessOptions {
  /** The script (a dist/*.js file). */
  readonly entry: string;
  readonly args: readonly string[];
  /** Options for node itself, before the script (e.g. --trace-gc). */
  readonly nodeArgs?: readonly string[];
  /** The key of its JSON lines: {"engine":"ready"} → "engine". */
  readonly name: string;
  /** The value of the line that says it is up ("ready", "listening"). */
  readonly readyValue: string;
  readonly readyTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** In a process group of its own, so a terminal's Ctrl-C reaches only the parent, which then stops its
   *  children in the right order (default false). */
  readonly detached?: boolean;
  /** Each piece of stderr as it comes (e.g. to a log file). */
  readonly onStderr?: (text: string) => void;
  /** Each stdout line that is not JSON. */
  readonly onOtherLine?: (line: string) => void;
}

export interface NodeProcess {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly ready: JsonLine;
  /** The exit code once the process has exited (null after a signal). */
  readonly exited: Promise<number | null>;
  alive(): boolean;
  /** The signal that ended the process (null while it runs, or when it exited with a code). */
  exitSignal(): NodeJS.Signals | null;
  stderrText(): string;
  /** The first JSON line whose `name` key has `value`, waiting up to `timeoutMs`; null if none came. */
  lineOf(value: string, timeoutMs: number): Promise<JsonLine | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export async function startNodeProcess(o: NodeProcessOptions): Promise<NodeProcess> {
  const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), o.entry, ...o.args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env }, cwd: o.cwd, detached: o.detached ?? false,
  });
  let stderr = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (s: string) => {
    o.onStderr?.(s);
    stderr += s;
    if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19)); // keep the tail of a chatty run
  });
  const lines: JsonLine[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: proc.stdout!, crlfDelay: Infinity }).on('line', (raw: string) => {
    const line = raw.trim();
    let json: JsonLine | null = null;
    if (line.startsWith('{')) {
      try {
        json = JSON.parse(line) as JsonLine;
      } catch {
        // not a JSON line after all
      }
    }
    if (json !== null) lines.push(json);
    else o.onOtherLine?.(line);
    for (const w of waiters.splice(0)) w();
  });
  let exited = false;
  let exitCode: number | null = null;
  let signal: NodeJS.Signals | null = null;
  // 'close', not 'exit': the last stdout line has been read by then.
  const exitPromise = new Promise<number | null>((resolve) => proc.once('close', (code, sig) => {
    exited = true;
    exitCode = code;
    signal = sig;
    for (const w of waiters.splice(0)) w();
    resolve(code);
  }));
  const lineOf = async (value: string, timeoutMs: number): Promise<JsonLine | null> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find((l) => l[o.name] === value);
      if (found !== undefined) return found;
      if (exited || Date.now() >= deadline) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  };
  const timeoutMs = o.readyTimeoutMs ?? 20_000;
  const ready = await lineOf(o.readyValue, timeoutMs);
  if (ready === null) {
    const why = exited ? `it exited with code ${exitCode}` : `none within ${timeoutMs} ms`;
    proc.kill('SIGKILL');
    await exitPromise;
    throw new Error(`${o.name} not ${o.readyValue} (${why}); stderr:\n${stderr.slice(-4000)}`);
  }
  return {
    proc, pid: proc.pid!, ready, exited: exitPromise, lineOf,
    alive: () => !exited,
    exitSignal: () => signal,
    stderrText: () => stderr,
    async stop(graceMs = 10_000): Promise<void> {
      if (!exited) proc.kill('SIGTERM');
      const t = setTimeout(() => {
        if (!exited) proc.kill('SIGKILL');
      }, graceMs);
      await exitPromise;
      clearTimeout(t);
    },
  };
}
