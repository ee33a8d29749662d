// `npm run bench -- ring`: wasm ring vs MessagePort postMessage between two worker threads, in one run.
import { runPair, type Impl } from './ring-pair.js';
import { runTransfer } from './ring-transfer.js';
import { percentiles } from './stats.js';
import type { LatencyData, LatencyResult } from './ring-latency-worker.js';
import type { WaitKind } from '../host/core/wait-strategy.js';

export interface RingBenchOptions {
  readonly samples: number;
  readonly warmup: number;
  readonly messages: number;
  readonly wait: WaitKind;
}

export async function latency(impl: Impl, o: RingBenchOptions) {
  const base = { warmup: o.warmup, samples: o.samples, wait: o.wait } as const;
  const [ping, pong] = await runPair<LatencyData, LatencyResult>({
    impl,
    url: new URL('./ring-latency-worker.js', import.meta.url),
    names: ['ping', 'pong'],
    data: [{ ...base, role: 'ping' }, { ...base, role: 'pong' }],
    rings: [{ name: 'ping', slots: 64 }, { name: 'pong', slots: 64 }],
    scratchBytes: 64,
    pin: true,
  });
  return {
    bench: 'ring_latency', impl, wait: impl === 'wasm-ring' ? o.wait : 'event-loop', samples: o.samples, warmup: o.warmup,
    one_way_us: percentiles(pong.samplesNs, 1e-3),
    round_trip_us: percentiles(ping.samplesNs, 1e-3),
  };
}

export async function throughput(impl: Impl, o: RingBenchOptions) {
  const out = await runTransfer({ impl, messages: o.messages, wait: o.wait, pin: true });
  const lost = out.producer.count - out.consumer.count;
  return {
    bench: 'ring_throughput', impl, messages: o.messages, bytes_per_message: 64,
    msg_per_s: Math.round(out.msgPerSec), seconds: Math.round(out.elapsedNs / 1e6) / 1e3,
    lost, out_of_order: out.consumer.outOfOrder, checksum_ok: out.consumer.checksum === out.producer.checksum,
  };
}
