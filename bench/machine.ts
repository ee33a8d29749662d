// What the numbers were measured on, noted on every benchmark line.
import os from 'node:os';

export interface Machine { cpus: number; cpu_model: string; mem_gib: number; node: string; platform: string; load1: number }

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    mem_gib: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()}-${os.arch()} ${os.release()}`,
    load1: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
