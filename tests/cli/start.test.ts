// `npm start` brings up venue, engine and monitor, prints the cockpit URL and where to look, trades
// (the status line read from the telemetry segment shows orders and fills), and stops on SIGINT with
// nothing left: no child process, no /dev/shm segment. Each run uses a private segment, journal and
// token dir, so it never meets another engine on this machine.
//
// The engine config is config/engine.toml with a livelier strategy: the shipped WOBI executor gates every
// entry on NEV > 0 after charges, which on the venue's 1-tick synthetic spreads a 1.0 signal gain rarely
// clears; signalGain 100, threshold 0.1 and a trade-rate floor make it quote within a second or two, and
// a 1 s time-to-live (not 200 ms) lets each quote rest long enough for the synthetic flow to fill some.
// The zero-trust gate's RTT bound is raised from 20 ms to 500 ms: its first sample is the login's round
// trip, and on a loaded test machine one slow login would keep the gate shut (no order, no new sample).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withOverrides } from '../../host/config/config-overrides.js';
import { SegmentReader, mapSegmentFile, readTelemetry } from '../../host/telemetry/index.js';
import { liveClock } from '../../host/platform/clock.js';

const START_JS = fileURLToPath(new URL('../../host/start.js', import.meta.url));
const ENGINE_TOML = fileURLToPath(new URL('../../../config/engine.toml', import.meta.url));

interface Started {
  readonly proc: ChildProcess;
  readonly dir: string;
  readonly segment: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` in stdout (or stderr) within `ms`, else rejects with both. */
  waitFor(re: RegExp, ms: number, stream?: 'stdout' | 'stderr'): Promise<RegExpExecArray>;
  readonly exit: Promise<number | null>;
}

let runs = 0;

/** start.js on a private copy of config/engine.toml (`overrides` on top of the lively ones). */
function start(t: { after(fn: () => void): void }, args: readonly string[], overrides: Record<string, unknown> = {}): Started {
  const dir = mkdtempSync(join(tmpdir(), 'start-test-'));
  const segment = `/tradecore-start-test-${process.pid}-${++runs}`;
  const config = join(dir, 'engine.toml');
  writeFileSync(config, withOverrides(readFileSync(ENGINE_TOML, 'utf8'), {
    'engine.segment': segment, 'engine.journal': join(dir, 'engine.journal'), 'engine.controlDir': dir,
    'execution.signalGain': 100, 'execution.tradeRateFloor': 1000, 'execution.strategy.threshold': 0.1, 'execution.rttWatchdog.lockdownMs': 500,
    'execution.ttlMs': 1000,
    ...overrides,
  }));
  const proc = spawn(process.execPath, [START_JS, '--port', '0', '--config', config, '--status-ms', '1000', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const exit = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const pids: number[] = [];
  t.after(() => {
    // A failed test leaves nothing running either.
    if (proc.exitCode === null) proc.kill('SIGKILL');
    for (const m of stdout.matchAll(/pid (\d+)/g)) pids.push(Number(m[1]));
    for (const pid of pids) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone, as it should be */ }
    }
    rmSync(`/dev/shm${segment}`, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    proc, dir, segment, exit,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor(re, ms, stream = 'stdout') {
      return new Promise((resolve, reject) => {
        const until = Date.now() + ms;
        const poll = setInterval(() => {
          const m = re.exec(stream === 'stdout' ? stdout : stderr);
          if (m) {
            clearInterval(poll);
            resolve(m);
          } else if (Date.now() > until || proc.exitCode !== null) {
            clearInterval(poll);
            reject(new Error(`no ${re} on ${stream} within ${ms} ms${proc.exitCode !== null ? ` (start exited ${proc.exitCode})` : ''}\n`
              + `stdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        }, 50);
      });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The venue's and the engine's pids, from the lines start prints. */
async function childPids(s: Started): Promise<{ venue: number; engine: number; monitor: number }> {
  const venue = Number((await s.waitFor(/^venue: .*, pid (\d+)$/m, 20_000))[1]);
  const engine = Number((await s.waitFor(/^engine: pid (\d+), /m, 20_000))[1]);
  const monitor = Number((await s.waitFor(/^monitor: pid (\d+), /m, 20_000))[1]);
  return { venue, engine, monitor };
}

/** Why an engine might not trade, from its segment: each symbol's regime, signal and gate inputs, the refusals. */
function engineDiagnosis(segment: string): string {
  try {
    const v = readTelemetry(new SegmentReader(mapSegmentFile(segment), { clock: liveClock }));
    return JSON.stringify({ state: v.state, symbols: v.symbols.map((x) => ({ id: x.symbolId, regime: x.regime, signalBp: x.signalBp, gate: x.gate, nev: x.nevPaise })), refusals: v.refusals, rtt: v.rttNs });
  } catch (err) {
    return `unreadable (${(err as Error).message})`;
  }
}

/** Waits for a status line whose orders and fills are both > 0; returns it. */
async function tradingLine(s: Started, ms: number): Promise<string> {
  const re = /^(ACTIVE|REDUCING|HALTED).* · orders (\d+) · fills (\d+) · .*$/gm;
  const until = Date.now() + ms;
  for (;;) {
    for (const m of s.stdout().matchAll(re)) if (Number(m[2]) > 0 && Number(m[3]) > 0) return m[0];
    if (Date.now() > until || s.proc.exitCode !== null) {
      throw new Error(`no status line with orders and fills > 0 within ${ms} ms\nstdout:\n${s.stdout()}\nstderr:\n${s.stderr()}\n`
        + `the engine's symbols, gate and refusals: ${engineDiagnosis(s.segment)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('start serves the cockpit through the monitor, shows live books, trades on the engine (orders, fills, P&L), survives the monitor dying, and stops cleanly on SIGINT', async (t) => {
  const s = start(t, []);
  const [, url, token] = (await s.waitFor(/^cockpit: (http:\/\/127\.0\.0\.1:\d+\/)#token=([0-9a-f]{32})$/m, 25_000));
  const res = await fetch(url!);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
  // The monitor reads this engine, and the token in the URL is the engine's control token.
  const state = await (await fetch(`${url}api/state`)).json() as { link: { status: string }; symbols: string[] };
  assert.equal(state.link.status, 'up');
  assert.deepEqual(state.symbols, ['RELIANCE', 'INFY', 'NIFTY-FUT']);
  const post = (auth: string | null) => fetch(`${url}api/params`, {
    method: 'POST', body: JSON.stringify({ key: 'execution.none', value: 1 }),
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
  });
  assert.equal((await post(null)).status, 401, 'control without the token is refused');
  assert.equal((await post(token!)).status, 400, 'with the printed token the request is judged on its content');
  assert.match(s.stdout(), /venue: order entry 127\.0\.0\.1:\d+, market data 127\.0\.0\.1:\d+/);
  // Once the engine's books are synced: every symbol has both sides of its book, as the engine publishes it.
  assert.match(s.stderr(), /RELIANCE\s+bid ₹[\d,]+\.\d\d × \d+\s+ask ₹[\d,]+\.\d\d × \d+/);
  const pids = await childPids(s);
  assert.ok(alive(pids.venue) && alive(pids.engine));
  assert.match(s.stdout(), /^engine: pid \d+, topology fused, trading RELIANCE, INFY, NIFTY-FUT; workers .*hot on CPU 0/m);
  // Where to look: the tools pointed at this engine's segment, its journal.
  assert.ok(s.stdout().includes(`npm run status -- --segment ${s.segment}`), s.stdout());
  assert.ok(s.stdout().includes(`npm run kill -- --segment ${s.segment}`), s.stdout());
  assert.ok(s.stdout().includes(`npm run journal -- ${join(s.dir, 'engine.journal')}`), s.stdout());
  assert.ok(existsSync(`/dev/shm${s.segment}`), 'the engine publishes its telemetry segment');

  const line = await tradingLine(s, 15_000);
  const pos = /pos RELIANCE (0|[+-]\d+) INFY (0|[+-]\d+) NIFTY-FUT (0|[+-]\d+)/.exec(line);
  assert.ok(pos, line);
  assert.match(line, / · P&L after costs ₹-?\d+\.\d\d · /);
  assert.match(line, /\d+\.\d orders\/s/);
  assert.match(line, /tick→order p50 \d+\.\d µs p99 \d+\.\d µs$/);
  assert.ok(existsSync(join(s.dir, 'engine.journal')), 'the journal is being written');

  // The monitor is not needed to trade: killed, it is reported, and the engine keeps going.
  const ordersBefore = readTelemetry(new SegmentReader(mapSegmentFile(s.segment), { clock: liveClock })).counters['orders']!;
  process.kill(pids.monitor, 'SIGKILL');
  for (const until = Date.now() + 5000; !/start: the monitor exited on its own/.test(s.stderr()); await new Promise((r) => setTimeout(r, 50))) {
    assert.ok(Date.now() < until, `the monitor's death not reported:\n${s.stderr()}`);
  }
  const reader = new SegmentReader(mapSegmentFile(s.segment), { clock: liveClock });
  for (const until = Date.now() + 15_000; readTelemetry(reader).counters['orders']! <= ordersBefore; await new Promise((r) => setTimeout(r, 100))) {
    assert.ok(Date.now() < until, `no order after the monitor died (${ordersBefore} before)`);
  }
  assert.ok(alive(pids.engine) && alive(pids.venue), 'engine and venue run on');

  const before = s.stderr().length;
  s.proc.kill('SIGINT');
  assert.equal(await s.exit, 0, s.stderr());
  // The engine was stopped first and said how it ended.
  assert.match(s.stderr().slice(before), /start: engine stopped \(SIGTERM\): \d+ orders, \d+ fills, \d+ canceled/);
  assert.ok(!alive(pids.venue), `venue ${pids.venue} still alive`);
  assert.ok(!alive(pids.engine), `engine ${pids.engine} still alive`);
  assert.ok(!existsSync(`/dev/shm${s.segment}`), 'no segment left in /dev/shm');
});

test('start -- --topology modules runs the four module workers, trades, and stops cleanly', async (t) => {
  const s = start(t, ['--topology', 'modules']);
  const pids = await childPids(s);
  assert.match(s.stdout(), /^engine: pid \d+, topology modules, .*workers (?=.*oracle on CPU 0)(?=.*execution on CPU 0)(?=.*sonar on CPU 1)(?=.*sentinel on CPU 1)/m);
  await tradingLine(s, 15_000);
  s.proc.kill('SIGINT');
  assert.equal(await s.exit, 0, s.stderr());
  assert.ok(!alive(pids.venue) && !alive(pids.engine), 'no child left');
  assert.ok(!existsSync(`/dev/shm${s.segment}`), 'no segment left in /dev/shm');
});

test('start: an engine that dies is reported, everything else stops, exit 1, nothing left behind', async (t) => {
  const s = start(t, []);
  const pids = await childPids(s);
  await s.waitFor(/^press Ctrl-C/m, 20_000);
  process.kill(pids.engine, 'SIGKILL'); // no chance to unlink its segment
  assert.equal(await s.exit, 1);
  assert.match(s.stderr(), /start: the engine exited on its own/);
  assert.ok(!alive(pids.venue), 'the venue is stopped');
  assert.ok(!alive(pids.monitor), 'the monitor is stopped');
  assert.ok(!existsSync(`/dev/shm${s.segment}`), 'the dead engine\'s segment is removed');
});

test('start: a bad engine config is refused naming the key, before anything starts', async (t) => {
  const s = start(t, [], { 'execution.strategy.threshold': 7 });
  assert.equal(await s.exit, 2);
  assert.match(s.stderr(), /execution\.strategy\.threshold must be a number in \[0, 1\], got 7/);
  assert.doesNotMatch(s.stdout(), /cockpit|venue:/);
});

test('start: a bad --topology is a usage error', async (t) => {
  const s = start(t, ['--topology', 'pipeline']);
  assert.equal(await s.exit, 2);
  assert.match(s.stderr(), /--topology must be fused or modules, got "pipeline"/);
});
