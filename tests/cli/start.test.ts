// `npm start` brings up venue, feed and playground, prints the cockpit URL, and stops on SIGINT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('start prints a cockpit URL that serves an isolated page, shows live books, and stops cleanly', async (t) => {
  const proc = spawn(process.execPath, [fileURLToPath(new URL('../../host/start.js', import.meta.url)), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  proc.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no cockpit URL within 20 s; stderr:\n${stderr}`)), 20_000);
    const poll = setInterval(() => {
      const m = /cockpit \(playground\): (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (m) { clearInterval(poll); clearTimeout(timer); resolve(m[1]!); }
    }, 50);
  });
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.match(stdout, /venue: order entry 127\.0\.0\.1:\d+, market data 127\.0\.0\.1:\d+/);
  // The first summary comes right after sync: every symbol has both sides of its book.
  assert.match(stderr, /RELIANCE\s+bid ₹[\d,]+\.\d\d × \d+\s+ask ₹[\d,]+\.\d\d × \d+/);
  const exit = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  proc.kill('SIGINT');
  assert.equal(await exit, 0);
});
