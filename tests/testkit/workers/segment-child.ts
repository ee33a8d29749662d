// Child PROCESS for shm-segment.test.ts: node segment-child.js <name>
// Maps the engine's /dev/shm segment with the addon as a reader and control side would: reads the header and
// the trading state, writes the kill word, waits (polling: Atomics.notify does not cross processes) for the
// engine to acknowledge it, reads the state again and prints a JSON report.
import { liveClock } from '../../../host/platform/clock.js';
import { ControlWriter, SegmentReader, mapSegmentFile } from '../../../host/telemetry/index.js';

const [name] = process.argv.slice(2);
if (name === undefined) {
  console.error('usage: segment-child.js <name>');
  process.exit(2);
}
const sab = mapSegmentFile(name);
const reader = new SegmentReader(sab, { clock: liveClock, engineDownAfterMs: 2000 });
const header = reader.headerValues();
const before = { ...reader.tradingState().values };
const control = new ControlWriter(sab);
control.kill();
const deadline = Date.now() + 10_000;
while (!control.killSeen()) {
  if (Date.now() > deadline) {
    console.error('segment-child: the engine did not acknowledge the kill word');
    process.exit(3);
  }
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
}
const after = reader.tradingState().values;
process.stdout.write(JSON.stringify({ pid: process.pid, enginePid: header.enginePid, before, after, up: reader.liveness().up }) + '\n');
