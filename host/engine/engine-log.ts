// The engine's structured log: pino JSON lines on stderr (stdout carries only the ready and stopped
// lines), one logger per thread, named by its worker. Never called on the hot path: sockets' error
// paths go through the adapters' rate-limited sinks, which end here.
import { pino, type Logger } from 'pino';
import type { LogSink } from '../platform/rate-limited-log.js';

export type { Logger };

/** A logger for `worker` writing synchronously to fd 2 (a line is out before a crash can lose it). */
export function engineLogger(worker: string, level = process.env['TRADECORE_LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ name: 'engine', level, base: { pid: process.pid, thread: worker } }, pino.destination({ fd: 2, sync: true }));
}

/** An adapter's line sink (already rate-limited by the adapter) as warn-level log entries. */
export function logSink(log: Logger, component: string): LogSink {
  return (line) => log.warn({ component }, line);
}
