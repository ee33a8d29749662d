// Child PROCESS for doorbell.test.ts: node doorbell-sleeper.js <segment name> <timeout ms>
// Maps the segment as the engine's control watcher would, says "ready", sleeps on the doorbell for at most
// <timeout ms>, then prints how it woke: {"woke": true|false, "sleptMs": n, "kill": 0|1}.
import { Doorbell, SegmentBlock, mapSegmentFile } from '../../../host/telemetry/index.js';

const [name, timeoutArg] = process.argv.slice(2);
if (name === undefined || timeoutArg === undefined) {
  console.error('usage: doorbell-sleeper.js <segment name> <timeout ms>');
  process.exit(2);
}
const sab = mapSegmentFile(name);
const bell = new Doorbell(sab);
const control = new SegmentBlock(sab, 'control');
const seen = bell.rings();
process.stdout.write('ready\n');
const t0 = process.hrtime.bigint();
let woke = false;
const until = t0 + BigInt(Number(timeoutArg) * 1e6);
// A futex may wake spuriously: sleep again until a ring or the timeout, as a real watcher would.
while (!woke && process.hrtime.bigint() < until) {
  bell.sleep(seen, Number(until - process.hrtime.bigint()));
  woke = bell.rings() !== seen;
}
const sleptMs = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(JSON.stringify({ woke, sleptMs, kill: control.get('kill') }) + '\n');
