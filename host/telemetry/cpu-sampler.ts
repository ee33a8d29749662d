// CPU use per core (/proc/stat) and per engine thread (/proc/self/task/<tid>/stat), sampled by the cool
// worker every few hundred ms and published in the segment's CpuBlock and ThreadBlocks. Each figure is the
// share of the interval since the previous sample, in basis points (10000 = one core fully busy), so the
// first sample of a core or thread reads 0. The parsers take text, so tests feed them fixtures; the sampler
// reads through an injected function and clock.
import { readFileSync, readdirSync } from 'node:fs';
import type { Clock } from '../platform/clock.js';

/** One `cpuN` line of /proc/stat, in clock ticks since boot. */
export interface CoreTimes {
  readonly core: number;
  /** Every state but idle and iowait. */
  readonly busy: number;
  readonly total: number;
}

/** The per-core lines of /proc/stat (`cpu0`, `cpu1`, ...; not the `cpu` sum), in core order. */
export function parseProcStat(text: string): CoreTimes[] {
  const out: CoreTimes[] = [];
  for (const line of text.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]!.trim().split(/\s+/).map(Number);
    if (v.length < 4 || v.some((x) => !Number.isFinite(x))) throw new Error(`/proc/stat: cannot read line "${line}"`);
    // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
    const idleAll = idle + iowait;
    const total = user + nice + system + idleAll + irq + softirq + steal;
    out.push({ core: Number(m[1]), busy: total - idleAll, total });
  }
  out.sort((a, b) => a.core - b.core);
  return out;
}

/** The fields of /proc/<pid>/task/<tid>/stat the sampler uses. */
export interface TaskTimes {
  readonly tid: number;
  /** `comm`, as the kernel keeps it (15 bytes at most). */
  readonly comm: string;
  /** utime + stime, clock ticks. */
  readonly cpuTicks: number;
  /** The core it last ran on. */
  readonly processor: number;
}

/** One task's stat line. `comm` is in parentheses and may itself hold spaces and ')': read to the LAST ')'. */
export function parseTaskStat(text: string): TaskTimes {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`task stat: no "(comm)" in "${text.slice(0, 80)}"`);
  const tid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state): utime is field 14, stime 15, processor 39.
  const at = (field: number): number => {
    const v = Number(rest[field - 3]);
    if (!Number.isFinite(v)) throw new Error(`task stat of ${tid}: field ${field} missing or not a number`);
    return v;
  };
  return { tid, comm: text.slice(open + 1, close), cpuTicks: at(14) + at(15), processor: at(39) };
}

/** CPU per core, basis points of the last interval. */
export interface CpuSample {
  sampledNs: number;
  /** One per core, in core order. */
  busyBp: number[];
}

/** One thread's CPU over the last interval. */
export interface ThreadSample {
  tid: number;
  name: string;
  cpu: number;
  busyBp: number;
}

/** A thread to sample and the name to publish for it (the module it runs, e.g. "oracle"). */
export interface ThreadName {
  readonly tid: number;
  readonly name: string;
}

export interface CpuSamplerOptions {
  readonly clock: Clock;
  /** Reads a /proc file (default: readFileSync as UTF-8). */
  readonly readText?: (path: string) => string;
  /** Lists the tids of this process (default: /proc/self/task). */
  readonly listTasks?: () => number[];
  /** USER_HZ, the unit of /proc times (`getconf CLK_TCK`; 100 on every Linux this runs on). */
  readonly ticksPerSecond?: number;
}

function toBp(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.max(0, Math.min(10000, Math.round((part * 10000) / whole)));
}

export class CpuSampler {
  private readonly clock: Clock;
  private readonly readText: (path: string) => string;
  private readonly listTasks: () => number[];
  private readonly ticksPerSecond: number;
  private prevCores: CoreTimes[] = [];
  private readonly prevTasks = new Map<number, { ticks: number; ns: number }>();

  constructor(options: CpuSamplerOptions) {
    this.clock = options.clock;
    this.readText = options.readText ?? ((p) => readFileSync(p, 'utf8'));
    this.listTasks = options.listTasks ?? (() => readdirSync('/proc/self/task').map(Number));
    this.ticksPerSecond = options.ticksPerSecond ?? 100;
  }

  /** CPU per core since the previous call (0 for a core seen the first time). */
  sampleCores(out: CpuSample = { sampledNs: 0, busyBp: [] }): CpuSample {
    const now = parseProcStat(this.readText('/proc/stat'));
    out.sampledNs = this.clock.nowNs();
    out.busyBp.length = now.length;
    for (let i = 0; i < now.length; i++) {
      const c = now[i]!;
      const p = this.prevCores.find((x) => x.core === c.core);
      out.busyBp[i] = p ? toBp(c.busy - p.busy, c.total - p.total) : 0;
    }
    this.prevCores = now;
    return out;
  }

  /** CPU per thread since the previous call: the given threads (with the names to publish), or every thread
   *  of this process under its kernel name. A thread that has exited is left out. */
  /** `between` runs after each thread's file is read (a /proc read can take a millisecond on a busy machine). */
  sampleThreads(threads: readonly ThreadName[] | null = null, between?: () => void): ThreadSample[] {
    const list = threads ?? this.listTasks().map((tid) => ({ tid, name: '' }));
    const nowNs = this.clock.nowNs();
    const out: ThreadSample[] = [];
    const seen = new Set<number>();
    for (const { tid, name } of list) {
      let t: TaskTimes;
      try {
        t = parseTaskStat(this.readText(`/proc/self/task/${tid}/stat`));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      seen.add(tid);
      const prev = this.prevTasks.get(tid);
      const busyBp = prev ? toBp(t.cpuTicks - prev.ticks, ((nowNs - prev.ns) / 1e9) * this.ticksPerSecond) : 0;
      this.prevTasks.set(tid, { ticks: t.cpuTicks, ns: nowNs });
      out.push({ tid, name: name || t.comm, cpu: t.processor, busyBp });
      between?.();
    }
    for (const tid of this.prevTasks.keys()) if (!seen.has(tid)) this.prevTasks.delete(tid);
    return out;
  }
}
