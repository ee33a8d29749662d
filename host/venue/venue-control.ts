// Runtime control of a running venue, for tests and benchmarks: one JSON command per line in, one JSON
// answer per line out (`npm run venue -- --config … --control stdin`: commands on stdin, answers on
// stdout after the ready line).
//
//   {"cmd":"latency","port":"oe"|"md","inbound_us":N,"outbound_us":M}    (also inbound_jitter_us,
//        outbound_jitter_us; a key left out keeps its value) → {"venue":"latency","port":…,"inbound_us":…,
//        "inbound_jitter_us":…,"outbound_us":…,"outbound_jitter_us":…}
//   {"cmd":"latency","port":"oe"}                                       → the same answer, nothing changed
//   {"cmd":"stats"} → {"venue":"stats","users":[{"user","orders","cancels","replaces","acks","fills",
//        "canceled","replaced","rejects"}…],"sessions","md_subscribers","deltas","trades"}
//   {"cmd":"flush"} → {"venue":"flush"} once the audit's waiting lines are in its file (no audit: nothing)
//   {"cmd":"disconnect","port":"oe"|"md"|"all"} → {"venue":"disconnect","oe":N,"md":M}: every connection of
//        the port cut at once, as a network failure would (no Logout; resting orders canceled as on any
//        lost connection); the ports keep listening, so clients reconnect
//
// A command may carry "id" (any JSON value): its answer carries the same id. A bad command is answered
// {"venue":"error","message":…} naming the key and what it must be, and changes nothing. A latency
// change applies to every connection of the port at once; frames already waiting keep their delay.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Exchange, PortName } from './exchange.js';
import { MAX_LATENCY_US, type LatencySpec, type PortLatency } from './venue-config.js';

/** A command the control refuses; the message names the key. */
export class ControlError extends Error {}

type Command = Record<string, unknown>;

function microseconds(cmd: Command, key: string, current: number): number {
  const v = cmd[key];
  if (v === undefined) return current;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_LATENCY_US) {
    throw new ControlError(`${key} must be an integer in [0, ${MAX_LATENCY_US}] µs, got ${JSON.stringify(v)}`);
  }
  return v;
}

function portOf(cmd: Command): PortName {
  const port = cmd['port'];
  if (port !== 'oe' && port !== 'md') throw new ControlError(`port must be "oe" or "md", got ${JSON.stringify(port)}`);
  return port;
}

const LATENCY_KEYS = new Set(['cmd', 'id', 'port', 'inbound_us', 'inbound_jitter_us', 'outbound_us', 'outbound_jitter_us']);
const DISCONNECT_KEYS = new Set(['cmd', 'id', 'port']);
/** stats and flush take no arguments. */
const STATS_KEYS = new Set(['cmd', 'id']);

function onlyKeys(cmd: Command, allowed: Set<string>): void {
  for (const k of Object.keys(cmd)) {
    if (!allowed.has(k)) throw new ControlError(`unknown key ${JSON.stringify(k)} for cmd ${JSON.stringify(cmd['cmd'])} (allowed: ${[...allowed].join(', ')})`);
  }
}

function latencyAnswer(port: PortName, l: PortLatency): Record<string, unknown> {
  return {
    venue: 'latency', port,
    inbound_us: l.inbound.fixedUs, inbound_jitter_us: l.inbound.jitterUs,
    outbound_us: l.outbound.fixedUs, outbound_jitter_us: l.outbound.jitterUs,
  };
}

export class VenueControl {
  constructor(private readonly exchange: Exchange) {}

  /** Runs one command line; returns its answer line (no newline). Never throws. */
  handle(line: string): string {
    let id: unknown;
    try {
      let cmd: unknown;
      try {
        cmd = JSON.parse(line);
      } catch {
        throw new ControlError(`not a JSON object: ${JSON.stringify(line.slice(0, 80))}`);
      }
      if (typeof cmd !== 'object' || cmd === null || Array.isArray(cmd)) throw new ControlError(`not a JSON object: ${JSON.stringify(line.slice(0, 80))}`);
      id = (cmd as Command)['id'];
      return this.answer(this.run(cmd as Command), id);
    } catch (err) {
      const message = err instanceof ControlError ? err.message : `internal: ${(err as Error).message}`;
      return this.answer({ venue: 'error', message }, id);
    }
  }

  /** Reads commands from `input` line by line and writes each answer with `write`. */
  attach(input: Readable, write: (line: string) => void, onEnd: () => void): void {
    const lines = createInterface({ input, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim() !== '') write(`${this.handle(line)}\n`);
    });
    lines.once('close', onEnd);
  }

  private run(cmd: Command): Record<string, unknown> {
    switch (cmd['cmd']) {
      case 'latency': {
        onlyKeys(cmd, LATENCY_KEYS);
        const port = portOf(cmd);
        const now = this.exchange.latency(port);
        const inbound: LatencySpec = {
          fixedUs: microseconds(cmd, 'inbound_us', now.inbound.fixedUs),
          jitterUs: microseconds(cmd, 'inbound_jitter_us', now.inbound.jitterUs),
        };
        const outbound: LatencySpec = {
          fixedUs: microseconds(cmd, 'outbound_us', now.outbound.fixedUs),
          jitterUs: microseconds(cmd, 'outbound_jitter_us', now.outbound.jitterUs),
        };
        const changed = inbound.fixedUs !== now.inbound.fixedUs || inbound.jitterUs !== now.inbound.jitterUs
          || outbound.fixedUs !== now.outbound.fixedUs || outbound.jitterUs !== now.outbound.jitterUs;
        if (changed) this.exchange.setLatency(port, { inbound, outbound });
        return latencyAnswer(port, this.exchange.latency(port));
      }
      case 'stats':
        onlyKeys(cmd, STATS_KEYS);
        return { venue: 'stats', ...this.exchange.stats() };
      case 'disconnect': {
        onlyKeys(cmd, DISCONNECT_KEYS);
        const port = cmd['port'];
        if (port !== 'oe' && port !== 'md' && port !== 'all') throw new ControlError(`port must be "oe", "md" or "all", got ${JSON.stringify(port)}`);
        const oe = port === 'md' ? 0 : this.exchange.disconnect('oe');
        const md = port === 'oe' ? 0 : this.exchange.disconnect('md');
        return { venue: 'disconnect', oe, md };
      }
      case 'flush':
        onlyKeys(cmd, STATS_KEYS);
        this.exchange.flushAudit();
        return { venue: 'flush' };
      default:
        throw new ControlError(`cmd must be "latency", "stats", "flush" or "disconnect", got ${JSON.stringify(cmd['cmd'])}`);
    }
  }

  private answer(body: Record<string, unknown>, id: unknown): string {
    return JSON.stringify(id === undefined ? body : { ...body, id });
  }
}
