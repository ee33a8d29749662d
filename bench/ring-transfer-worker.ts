// Producer → consumer transfer of N 64-byte messages, for the throughput bench and for the test
// that checks nothing is lost or reordered. Every message is 16 words: its sequence number, then 15
// words derived from it. Both sides fold every word into an order-sensitive FNV-1a checksum, and
// the consumer also checks each sequence number as it arrives.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { joinCore } from '../host/core/core-loader.js';
import { createWaitStrategy, type WaitKind } from '../host/core/wait-strategy.js';

export interface TransferData {
  readonly role: 'producer' | 'consumer';
  readonly messages: number;
  /** Messages per ringPushBatch / ringPopBatch call. */
  readonly batch: number;
  readonly wait: WaitKind;
  readonly port?: MessagePort;
}

export interface TransferResult {
  role: 'producer' | 'consumer';
  count: number;
  checksum: number;
  outOfOrder: number;
  firstOutOfOrder: number;
  /** hrtime (ns) of the first send (producer) or last receive (consumer). */
  at: bigint;
}

const WORDS = 16;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/** Word w of message `seq`. */
export const messageWord = (seq: number, w: number): number => (w === 0 ? seq : (Math.imul(seq, 0x9e3779b1) + w) | 0);

async function viaRing(): Promise<TransferResult> {
  const { core, memory, map, name, data } = await joinCore<TransferData>();
  const ring = map.rings['transfer']!.offset;
  const scratch = map.scratch[name]!.offset;
  const words = new Int32Array(memory.buffer);
  const first = scratch >> 2;
  const total = data.messages;
  let checksum = FNV_OFFSET;
  if (data.role === 'producer') {
    const at = process.hrtime.bigint();
    for (let seq = 0; seq < total;) {
      const n = Math.min(data.batch, total - seq);
      for (let m = 0, i = first; m < n; m++) {
        for (let w = 0; w < WORDS; w++, i++) {
          const v = messageWord(seq + m, w);
          words[i] = v;
          checksum = Math.imul(checksum ^ v, FNV_PRIME);
        }
      }
      for (let done = 0; done < n;) done += core.ringPushBatch(ring, scratch + done * 64, n - done);
      seq += n;
    }
    return { role: 'producer', count: total, checksum, outOfOrder: 0, firstOutOfOrder: -1, at };
  }
  const wait = createWaitStrategy({ kind: data.wait }, core);
  let expected = 0;
  let outOfOrder = 0;
  let firstOutOfOrder = -1;
  while (expected < total) {
    const n = core.ringPopBatch(ring, scratch, data.batch);
    if (n === 0) { wait.awaitReadable(ring); continue; }
    for (let m = 0, i = first; m < n; m++) {
      if (words[i] !== expected && outOfOrder++ === 0) firstOutOfOrder = expected;
      for (let w = 0; w < WORDS; w++, i++) checksum = Math.imul(checksum ^ words[i]!, FNV_PRIME);
      expected++;
    }
  }
  return { role: 'consumer', count: expected, checksum, outOfOrder, firstOutOfOrder, at: process.hrtime.bigint() };
}

/** The same transfer over a MessagePort, one postMessage per message, with credit-based flow control. */
function viaPort(data: TransferData): Promise<TransferResult> {
  const port = data.port!;
  const total = data.messages;
  const ACK_EVERY = 4096;
  const WINDOW = 16 * ACK_EVERY;
  let checksum = FNV_OFFSET;
  return new Promise((resolve) => {
    if (data.role === 'producer') {
      const msg = new Int32Array(WORDS);
      let seq = 0;
      let acked = 0;
      const at = process.hrtime.bigint();
      const pump = () => {
        while (seq < total && seq - acked < WINDOW) {
          for (let w = 0; w < WORDS; w++) {
            const v = messageWord(seq, w);
            msg[w] = v;
            checksum = Math.imul(checksum ^ v, FNV_PRIME);
          }
          port.postMessage(msg);
          seq++;
        }
        if (seq === total) resolve({ role: 'producer', count: total, checksum, outOfOrder: 0, firstOutOfOrder: -1, at });
      };
      port.on('message', (count: number) => { acked = count; if (seq < total) pump(); else port.close(); });
      pump();
    } else {
      let expected = 0;
      let outOfOrder = 0;
      let firstOutOfOrder = -1;
      port.on('message', (msg: Int32Array) => {
        if (msg[0] !== expected && outOfOrder++ === 0) firstOutOfOrder = expected;
        for (let w = 0; w < WORDS; w++) checksum = Math.imul(checksum ^ msg[w]!, FNV_PRIME);
        if (++expected % ACK_EVERY === 0 || expected === total) port.postMessage(expected);
        if (expected === total) {
          resolve({ role: 'consumer', count: expected, checksum, outOfOrder, firstOutOfOrder, at: process.hrtime.bigint() });
        }
      });
    }
  });
}

const { data, cpus } = workerData as { data: TransferData; cpus?: number[] };
if (data.port && cpus) (await import('../host/platform/native.js')).setAffinity(cpus);
parentPort!.postMessage(data.port ? await viaPort(data) : await viaRing());
