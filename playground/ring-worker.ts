// One side of the playground's ping-pong: a module Web Worker that instantiates the same compiled
// core over the same shared memory as its peer, so the rings are the only channel between them.
// The pinger sends one message on `ping` and waits for its reply on `pong` before the next, so each
// round trip is timed alone; the ponger checks every ping and answers with a transform of it.
import { instantiateCore, SLOT_BYTES, type CoreExports } from '../host/core/core.js';
import type { MemoryMap } from '../host/core/memory-map.js';
import { createWaitStrategy, type WaitStrategy } from '../host/core/wait-strategy.js';

export type RingRole = 'pinger' | 'ponger';

/** What the page posts to each worker. */
export interface RingWorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly map: MemoryMap;
  readonly role: RingRole;
  readonly roundTrips: number;
}

export interface RingReport {
  readonly ok: boolean;
  readonly roundTrips: number;
  readonly mismatches: number;
  readonly medianRoundTripUs: number;
}

/** What a worker posts back to the page. */
export type RingWorkerMessage =
  | { readonly kind: 'report'; readonly report: RingReport }
  | { readonly kind: 'error'; readonly role: RingRole; readonly error: string };

const WORDS = SLOT_BYTES / 4;
/** A peer silent this long is dead or stuck; fail instead of hanging the page. */
const STALL_MS = 10_000;

/** Ping word `w` (1..15) of message `seq`: distinct per word and per message, so a torn or stale slot shows. */
const pingWord = (seq: number, w: number): number => (Math.imul(seq + 1, 0x9e3779b1) ^ Math.imul(w, 0x01000193)) >>> 0;
/** The ponger's answer to a ping word. */
const pongWord = (ping: number): number => ~ping >>> 0;

/** Reply layout: word 0 seq, word 1 = 1 when the ponger found the ping intact, words 2..15 pongWord(ping). */
const PING_INTACT = 1;

interface Side {
  readonly core: CoreExports;
  readonly wait: WaitStrategy;
  /** Outgoing message, staged in this worker's scratch region (the core copies from memory only). */
  readonly out: Uint32Array;
  readonly outAddress: number;
  /** Incoming message, popped into the same region. */
  readonly in: Uint32Array;
  readonly inAddress: number;
}

function sideOf(init: RingWorkerInit): Side {
  const core = instantiateCore(init.module, init.memory);
  const scratch = init.map.scratch[init.role];
  if (scratch === undefined) throw new Error(`memory map has no scratch region for ${init.role}`);
  return {
    core,
    wait: createWaitStrategy({ kind: 'spin-then-park' }, core),
    out: new Uint32Array(init.memory.buffer, scratch.offset, WORDS),
    outAddress: scratch.offset,
    in: new Uint32Array(init.memory.buffer, scratch.offset + SLOT_BYTES, WORDS),
    inAddress: scratch.offset + SLOT_BYTES,
  };
}

function ringBase(map: MemoryMap, name: string): number {
  const ring = map.rings[name];
  if (ring === undefined) throw new Error(`memory map has no ring ${name}`);
  return ring.offset;
}

function send(side: Side, ring: number): void {
  // One message is in flight at a time, so a full ring means the peer broke the protocol.
  if (side.core.ringPush(ring, side.outAddress) !== 1) throw new Error('ring full with a single message in flight');
}

function receive(side: Side, ring: number, what: string): void {
  const deadline = performance.now() + STALL_MS;
  while (!side.wait.awaitReadable(ring)) {
    if (performance.now() > deadline) throw new Error(`no ${what} within ${STALL_MS} ms`);
  }
  if (side.core.ringPop(ring, side.inAddress) !== 1) throw new Error('ring readable but pop returned nothing');
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function runPinger(init: RingWorkerInit): RingReport {
  const side = sideOf(init);
  const ping = ringBase(init.map, 'ping');
  const pong = ringBase(init.map, 'pong');
  const roundTripUs: number[] = [];
  let mismatches = 0;
  for (let seq = 0; seq < init.roundTrips; seq++) {
    side.out[0] = seq;
    for (let w = 1; w < WORDS; w++) side.out[w] = pingWord(seq, w);
    const sentAt = performance.now();
    send(side, ping);
    receive(side, pong, `reply to ping ${seq}`);
    roundTripUs.push((performance.now() - sentAt) * 1000);
    let intact = side.in[0] === seq && side.in[1] === PING_INTACT;
    for (let w = 2; w < WORDS && intact; w++) intact = side.in[w] === pongWord(pingWord(seq, w));
    if (!intact) mismatches++;
  }
  return {
    ok: mismatches === 0 && roundTripUs.length === init.roundTrips,
    roundTrips: roundTripUs.length,
    mismatches,
    medianRoundTripUs: Math.round(median(roundTripUs) * 10) / 10,
  };
}

function runPonger(init: RingWorkerInit): void {
  const side = sideOf(init);
  const ping = ringBase(init.map, 'ping');
  const pong = ringBase(init.map, 'pong');
  for (let n = 0; n < init.roundTrips; n++) {
    receive(side, ping, `ping ${n}`);
    const seq = side.in[0];
    let intact = seq === n;
    for (let w = 1; w < WORDS && intact; w++) intact = side.in[w] === pingWord(seq, w);
    side.out[0] = seq;
    side.out[1] = intact ? PING_INTACT : 0;
    for (let w = 2; w < WORDS; w++) side.out[w] = pongWord(side.in[w]);
    send(side, pong);
  }
}

// Under the DOM lib `self` types as a Window; this file only ever runs as a dedicated worker.
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: RingWorkerMessage): void => scope.postMessage(message);

scope.onmessage = (event: MessageEvent<RingWorkerInit>) => {
  const init = event.data;
  try {
    if (init.role === 'pinger') post({ kind: 'report', report: runPinger(init) });
    else runPonger(init);
  } catch (err) {
    post({ kind: 'error', role: init.role, error: err instanceof Error ? err.message : String(err) });
  }
};
