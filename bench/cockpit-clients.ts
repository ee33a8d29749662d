// Cockpit stand-ins for `npm run bench -- cockpit-load`, in a process of their own: `n` WebSocket clients on the
// monitor's /ws, each parsing every frame as a browser does. Browsers run on the operator's machine, not the
// engine's, so this process pins all of its threads (V8's too) to the CPUs it is given, off the engine's hot
// path; what the benchmark then measures is the monitor's effect on the engine, not the clients'.
//   node dist/bench/cockpit-clients.js <monitor url> <n> <cpu,...|->   (-: not pinned)
// Prints {"connected": n} once all are open, and {"frames": total} when stdin closes, then exits.
import { WebSocket } from 'ws';
import { pinProcessThreads } from '../host/platform/process-threads.js';

const [url, nText, cpusText] = process.argv.slice(2);
const n = Number(nText);
if (!url || !Number.isInteger(n) || n < 1 || !cpusText) {
  process.stderr.write('usage: cockpit-clients <monitor url> <clients ≥ 1> <cpu,...|->\n');
  process.exit(2);
}
if (cpusText !== '-') pinProcessThreads(cpusText.split(',').map(Number));
let frames = 0;
const sockets: WebSocket[] = [];
await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve, reject) => {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + 'ws');
  ws.on('message', (data) => {
    JSON.parse(String(data));
    frames++;
  });
  ws.once('open', () => resolve());
  ws.once('error', reject);
  sockets.push(ws);
})));
process.stdout.write(`${JSON.stringify({ connected: n })}\n`);
process.stdin.resume();
process.stdin.once('end', () => {
  sockets.forEach((s) => s.terminate());
  process.stdout.write(`${JSON.stringify({ frames })}\n`);
  process.exit(0);
});
