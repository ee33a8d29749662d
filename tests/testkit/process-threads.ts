// Another process's threads as the kernel lists them (/proc/<pid>/task): name, Cpus_allowed_list and scheduling, read by
// the test, not by the code under test.
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadSeen {
  readonly tid: number;
  readonly name: string;
  readonly cpus: string;
  /** Scheduling policy (0 SCHED_OTHER, 1 SCHED_FIFO) and real-time priority: stat fields 41 and 40. */
  readonly policy: number;
  readonly rtPriority: number;
}

export function threadsOf(pid: number): ThreadSeen[] {
  const out: ThreadSeen[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const cpus = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1] ?? '?';
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' '); // fields from 3 on
      out.push({ tid, name, cpus, policy: Number(stat[41 - 3]), rtPriority: Number(stat[40 - 3]) });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}
