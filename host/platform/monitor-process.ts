// The monitor as a child process (`node dist/monitor/server.js --config <engine.toml> --port N`), for
// `npm start` and the tests: waits for its {"monitor":"listening","url":…} line.
import { fileURLToPath } from 'node:url';
import { startNodeProcess, type NodeProcess } from './node-process.js';

/** dist/monitor/server.js, relative to this file's place in dist/host/platform/. */
export const MONITOR_JS_URL = new URL('../../monitor/server.js', import.meta.url);

export interface MonitorStartOptions {
  /** The engine's config (the monitor finds the segment, journal, token and symbols there). */
  readonly configFile: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly hz?: number;
  /** CPUs to pin the monitor's main thread to (default: those the engine's hot path does not use). */
  readonly cpus?: readonly number[];
  readonly cwd?: string;
  readonly detached?: boolean;
  readonly onStderr?: (text: string) => void;
}

export interface MonitorProcess extends NodeProcess {
  /** http://host:port/ */
  readonly url: string;
  readonly port: number;
}

export async function startMonitor(o: MonitorStartOptions): Promise<MonitorProcess> {
  const args = ['--config', o.configFile, '--port', String(o.port), '--host', o.host ?? '127.0.0.1'];
  if (o.hz !== undefined) args.push('--hz', String(o.hz));
  if (o.cpus !== undefined) args.push('--cpus', o.cpus.join(','));
  const p = await startNodeProcess({
    name: 'monitor', readyValue: 'listening', entry: fileURLToPath(MONITOR_JS_URL), args, cwd: o.cwd, detached: o.detached,
    onStderr: o.onStderr, readyTimeoutMs: 15_000,
  });
  return { ...p, url: String(p.ready['url']), port: Number(p.ready['port']) };
}
