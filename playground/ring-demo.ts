// The playground page's script: proves the engine's one core runs in the browser as it does in Node.
// It compiles core.wasm once, plans and initialises two rings in one shared memory, and hands the
// module and the memory to two module Web Workers that ping-pong through the rings
// (ping: pinger → ponger, pong: ponger → pinger). The outcome lands on window.__ringResult for tests.
import { createSharedMemory, instantiateCore, RingStatus, SLOT_BYTES } from '../host/core/core.js';
import { planMemory } from '../host/core/memory-map.js';
import type { RingReport, RingRole, RingWorkerInit, RingWorkerMessage } from './ring-worker.js';

export type RingResult = RingReport | { readonly ok: false; readonly error: string };

declare global {
  interface Window {
    __ringResult?: RingResult;
    __crossOriginIsolated?: boolean;
  }
}

const DEFAULT_ROUND_TRIPS = 1000;
const MAX_ROUND_TRIPS = 1_000_000;
/** Two slots would do for one message in flight; a few more cost nothing. */
const RING_SLOTS = 64;

const workers: Worker[] = [];

function finish(result: RingResult): void {
  if (window.__ringResult !== undefined) return; // the first outcome wins; later errors are echoes
  window.__ringResult = result;
  for (const w of workers) w.terminate();
  const out = document.getElementById('result');
  if (out !== null) out.textContent = JSON.stringify(result, null, 2);
}

const failWith = (error: string): void => finish({ ok: false, error });

/** ?roundTrips=N overrides the default so a test can say how many it expects. */
function requestedRoundTrips(): number {
  const raw = new URLSearchParams(location.search).get('roundTrips');
  const n = raw === null ? DEFAULT_ROUND_TRIPS : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_ROUND_TRIPS) throw new Error(`roundTrips must be an integer in [1, ${MAX_ROUND_TRIPS}], got ${raw}`);
  return n;
}

async function run(): Promise<void> {
  window.__crossOriginIsolated = crossOriginIsolated;
  if (!crossOriginIsolated) {
    return failWith('page is not cross-origin isolated (COOP/COEP headers missing): shared memory is unavailable');
  }
  const roundTrips = requestedRoundTrips();
  const module = await WebAssembly.compileStreaming(fetch('/build/core.wasm'));
  // Sizes come from the core itself, asked of a throw-away instance over one page.
  const map = planMemory({
    rings: [{ name: 'ping', slots: RING_SLOTS }, { name: 'pong', slots: RING_SLOTS }],
    // Each worker stages one outgoing and one incoming message.
    scratch: [{ worker: 'pinger', bytes: 2 * SLOT_BYTES }, { worker: 'ponger', bytes: 2 * SLOT_BYTES }],
  }, instantiateCore(module, createSharedMemory(65536)));
  const memory = createSharedMemory(map.totalBytes);
  const core = instantiateCore(module, memory);
  for (const [name, ring] of Object.entries(map.rings)) {
    const status = core.ringInit(ring.offset, ring.slots);
    if (status !== RingStatus.OK) return failWith(`ringInit(${name}) failed with status ${status}`);
  }

  for (const role of ['ponger', 'pinger'] as const satisfies readonly RingRole[]) {
    const worker = new Worker(new URL('./ring-worker.js', import.meta.url), { type: 'module', name: role });
    workers.push(worker);
    worker.onerror = (event) => failWith(`${role} worker error: ${event.message || 'failed to load'}`);
    worker.onmessageerror = () => failWith(`${role} worker: message could not be deserialised`);
    worker.onmessage = (event: MessageEvent<RingWorkerMessage>) => {
      const message = event.data;
      if (message.kind === 'report') finish(message.report);
      else failWith(`${message.role}: ${message.error}`);
    };
    const init: RingWorkerInit = { module, memory, map, role, roundTrips };
    worker.postMessage(init);
  }
}

run().catch((err: unknown) => failWith(err instanceof Error ? `${err.name}: ${err.message}` : String(err)));
