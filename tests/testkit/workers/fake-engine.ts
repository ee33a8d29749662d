// Child PROCESS for tests/platform/engine-process.test.ts: a stand-in for dist/host/engine.js that keeps
// only the process contract the launcher relies on, chosen by FAKE_ENGINE:
//   ready     prints a --trace-gc-like line, then {"engine":"ready",…} with its argv and cwd; on SIGTERM
//             logs to stderr, prints {"engine":"stopped","code":0,"reason":"SIGTERM"} and exits 0
//   refuse    writes a config error to stderr and exits 2 without a ready line
//   silent    never prints a ready line (a hung start-up)
//   stubborn  ready, but ignores SIGTERM (only SIGKILL ends it)
const mode = process.env['FAKE_ENGINE'] ?? 'ready';
const keepAlive = setInterval(() => {}, 1000);
// Never outlives a test that forgot it.
setTimeout(() => process.exit(3), 30_000).unref();

if (mode === 'refuse') {
  process.stderr.write('engine: execution.strategy.threshold must be a number in [0, 1], got 7\n');
  process.exit(2);
}
// The handler is in place before the ready line: a SIGTERM sent on seeing it must find it.
process.on('SIGTERM', () => {
  if (mode === 'stubborn') return;
  process.stderr.write('{"level":30,"msg":"stopping"}\n');
  clearInterval(keepAlive);
  // The stopped line right before exiting: the launcher must still read it.
  process.stdout.write(`${JSON.stringify({ engine: 'stopped', code: 0, reason: 'SIGTERM' })}\n`);
  process.exitCode = 0;
});
if (mode === 'ready' || mode === 'stubborn') {
  process.stdout.write('[1234:0x5555]      12 ms: Scavenge 4.4 (4.5) -> 3.6 (5.5) MB, 1.0 / 0.0 ms  (average mu = 1.000) allocation failure;\n');
  process.stdout.write(`${JSON.stringify({ engine: 'ready', argv: process.argv.slice(2), cwd: process.cwd(), pid: process.pid })}\n`);
  process.stderr.write('{"level":30,"msg":"engine ready"}\n');
}
