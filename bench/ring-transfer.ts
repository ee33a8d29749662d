// Moves N messages from a producer worker to a consumer worker and checks them.
import { runPair, type Impl } from './ring-pair.js';
import type { TransferData, TransferResult } from './ring-transfer-worker.js';
import type { WaitKind } from '../host/core/wait-strategy.js';

export interface TransferOptions {
  readonly impl: Impl;
  readonly messages: number;
  readonly batch?: number;
  readonly slots?: number;
  readonly wait?: WaitKind;
  readonly pin?: boolean;
}

export interface TransferOutcome {
  readonly producer: TransferResult;
  readonly consumer: TransferResult;
  /** From the producer's first send to the consumer's last receive. */
  readonly elapsedNs: number;
  readonly msgPerSec: number;
}

export async function runTransfer(o: TransferOptions): Promise<TransferOutcome> {
  const batch = o.batch ?? 256;
  const base = { messages: o.messages, batch, wait: o.wait ?? 'spin-then-park' } as const;
  const [producer, consumer] = await runPair<TransferData, TransferResult>({
    impl: o.impl,
    url: new URL('./ring-transfer-worker.js', import.meta.url),
    names: ['producer', 'consumer'],
    data: [{ ...base, role: 'producer' }, { ...base, role: 'consumer' }],
    rings: [{ name: 'transfer', slots: o.slots ?? 4096 }],
    scratchBytes: batch * 64,
    pin: o.pin ?? false,
  });
  const elapsedNs = Number(consumer.at - producer.at);
  return { producer, consumer, elapsedNs, msgPerSec: o.messages / (elapsedNs / 1e9) };
}
