// Ping-pong between two workers: the pinger stamps a message and waits for its echo (round trip);
// the ponger records when the message reached it (one way) and echoes it. Clock: hrtime, the
// process-wide CLOCK_MONOTONIC, so stamps from two threads compare directly. Both transports pay
// the same clock reads.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { joinCore } from '../host/core/core-loader.js';
import { createWaitStrategy, type WaitKind } from '../host/core/wait-strategy.js';

export interface LatencyData {
  readonly role: 'ping' | 'pong';
  readonly warmup: number;
  readonly samples: number;
  readonly wait: WaitKind;
  /** Present for the postMessage variant. */
  readonly port?: MessagePort;
}

export interface LatencyResult { role: 'ping' | 'pong'; samplesNs: Float64Array }

const now = process.hrtime.bigint;

async function viaRing(): Promise<LatencyResult> {
  const { core, memory, map, name, data } = await joinCore<LatencyData>();
  const ping = map.rings['ping']!.offset;
  const pong = map.rings['pong']!.offset;
  const slot = map.scratch[name]!.offset;
  const stamps = new BigInt64Array(memory.buffer);
  const stampAt = slot >> 3;
  const wait = createWaitStrategy({ kind: data.wait }, core);
  const total = data.warmup + data.samples;
  const out = new Float64Array(data.samples);
  if (data.role === 'ping') {
    for (let i = 0; i < total; i++) {
      const t0 = now();
      stamps[stampAt] = t0;
      while (core.ringPush(ping, slot) === 0);
      while (!wait.awaitReadable(pong));
      core.ringPop(pong, slot);
      const t2 = now();
      if (i >= data.warmup) out[i - data.warmup] = Number(t2 - t0);
    }
  } else {
    for (let i = 0; i < total; i++) {
      while (!wait.awaitReadable(ping));
      core.ringPop(ping, slot);
      const t1 = now();
      if (i >= data.warmup) out[i - data.warmup] = Number(t1 - stamps[stampAt]!);
      while (core.ringPush(pong, slot) === 0);
    }
  }
  return { role: data.role, samplesNs: out };
}

function viaPort(data: LatencyData): Promise<LatencyResult> {
  const port = data.port!;
  const total = data.warmup + data.samples;
  const out = new Float64Array(data.samples);
  const payload = new BigInt64Array(8); // 64 bytes, like a ring slot
  let i = 0;
  return new Promise((resolve) => {
    if (data.role === 'ping') {
      let t0 = 0n;
      const send = () => { t0 = now(); payload[0] = t0; port.postMessage(payload); };
      port.on('message', () => {
        const t2 = now();
        if (i >= data.warmup) out[i - data.warmup] = Number(t2 - t0);
        if (++i === total) { port.close(); resolve({ role: 'ping', samplesNs: out }); } else send();
      });
      send();
    } else {
      port.on('message', (msg: BigInt64Array) => {
        const t1 = now();
        if (i >= data.warmup) out[i - data.warmup] = Number(t1 - msg[0]!);
        port.postMessage(msg);
        if (++i === total) resolve({ role: 'pong', samplesNs: out });
      });
    }
  });
}

const { data, cpus } = workerData as { data: LatencyData; cpus?: number[] };
if (data.port && cpus) (await import('../host/platform/native.js')).setAffinity(cpus);
const result = data.port ? await viaPort(data) : await viaRing();
parentPort!.postMessage(result, [result.samplesNs.buffer as ArrayBuffer]);
