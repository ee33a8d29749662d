// Another process's threads as the kernel lists them (/proc/<pid>/task): name and Cpus_allowed_list, read by
// the test, not by the code under test.
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadSeen { readonly tid: number; readonly name: string; readonly cpus: string }

export function threadsOf(pid: number): ThreadSeen[] {
  const out: ThreadSeen[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const cpus = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1] ?? '?';
      out.push({ tid, name, cpus });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}
