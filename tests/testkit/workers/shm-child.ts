// Child PROCESS for shared-mapping.test.ts:
//   node shm-child.js <name> <bytes>
// Maps the same POSIX shm segment, signals READY, waits (polling with a
// deadline — Atomics.notify does not cross processes) for the parent's value,
// writes answer(value) back and prints a JSON report on stdout.
import { mapShared } from '../../../host/platform/native.js';
import { W, answer } from './shm-layout.js';

const [name, bytesArg] = process.argv.slice(2);
if (name === undefined || bytesArg === undefined) {
  console.error('usage: shm-child.js <name> <bytes>');
  process.exit(2);
}
const bytes = Number(bytesArg);
const sab = mapShared(name, bytes);
const i32 = new Int32Array(sab);
Atomics.store(i32, W.READY, 1);

const deadline = Date.now() + 10_000;
while (Atomics.load(i32, W.PARENT_FLAG) !== 1) {
  if (Date.now() > deadline) {
    console.error('shm-child: timed out waiting for the parent write');
    process.exit(3);
  }
  // Bounded sleep: nobody notifies across processes, so this always times out
  // after 2 ms (unless the value already changed) and we re-check.
  Atomics.wait(i32, W.PARENT_FLAG, 0, 2);
}
const seen = Atomics.load(i32, W.PARENT_VAL);
Atomics.store(i32, W.CHILD_VAL, answer(seen, 7));
Atomics.store(i32, W.CHILD_FLAG, 1);

process.stdout.write(
  JSON.stringify({
    isSharedArrayBuffer: sab instanceof SharedArrayBuffer,
    byteLength: sab.byteLength,
    seen,
    pid: process.pid,
  }) + '\n',
);
