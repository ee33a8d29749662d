// Worker for shared-mapping.test.ts. Receives a mapped SharedArrayBuffer via
// workerData, maps the same segment itself, then receives a second mapping via
// postMessage; reads the parent's value through all three and writes answers
// back through each.
import { parentPort, workerData } from 'node:worker_threads';
import { mapShared } from '../../../host/platform/native.js';
import { W, answer } from './shm-layout.js';

export interface SabWorkerData {
  sab: SharedArrayBuffer;
  name: string;
  bytes: number;
}

export interface SabWorkerReport {
  workerDataIsSab: boolean;
  messageIsSab: boolean;
  waitResult: string;
  seenViaWorkerData: number;
  seenViaOwnMapping: number;
  seenViaMessage: number;
}

if (parentPort === null) throw new Error('sab-worker must run in a worker_thread');
const port = parentPort;
const { sab, name, bytes } = workerData as SabWorkerData;

const i32 = new Int32Array(sab);
const own = new Int32Array(mapShared(name, bytes));
Atomics.store(i32, W.READY, 1);
Atomics.notify(i32, W.READY);

// Same process: Atomics.wait/notify work on the mapped SAB.
const waitResult = Atomics.wait(i32, W.PARENT_FLAG, 0, 10_000);
const seenViaWorkerData = Atomics.load(i32, W.PARENT_VAL);
const seenViaOwnMapping = Atomics.load(own, W.PARENT_VAL);
Atomics.store(i32, W.CHILD_VAL, answer(seenViaWorkerData, 7));
Atomics.store(own, W.OWN_VAL, answer(seenViaOwnMapping, 11));
Atomics.store(i32, W.CHILD_FLAG, 1);
Atomics.notify(i32, W.CHILD_FLAG);

port.once('message', (msg: { sab: unknown }) => {
  const messageIsSab = msg.sab instanceof SharedArrayBuffer;
  const viaMsg = new Int32Array(msg.sab as SharedArrayBuffer);
  const seenViaMessage = Atomics.load(viaMsg, W.PARENT_VAL);
  Atomics.store(viaMsg, W.MSG_VAL, answer(seenViaMessage, 13));
  const report: SabWorkerReport = {
    workerDataIsSab: sab instanceof SharedArrayBuffer,
    messageIsSab,
    waitResult,
    seenViaWorkerData,
    seenViaOwnMapping,
    seenViaMessage,
  };
  port.postMessage(report);
});
