// Test helper: the engine as a child process (`node dist/host/engine.js --config <tmp toml>`) against a venue
// on loopback: writes the config (a unique segment name, the journal and control token in a temp dir),
// waits for the ready line, and stops it with SIGTERM, handing back the stopped line. Not a test file.
import { createInterface } from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import type { ReadyLine, StoppedLine } from '../../host/engine/supervisor.js';
import assert from 'node:assert/strict';
import { segmentPath } from '../../host/telemetry/segment-writer.js';
import { ControlWriter, SegmentReader } from '../../host/telemetry/index.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { liveClock } from '../../host/platform/clock.js';

const ENGINE = fileURLToPath(new URL('../../host/engine.js', import.meta.url));

export interface RunningEngine {
  readonly ready: ReadyLine;
  readonly proc: ChildProcess;
  readonly dir: string;
  readonly segment: string;
  readonly journal: string;
  stderr(): string;
  /** Resolves with the exit code and the stopped line once the process has exited. */
  readonly exited: Promise<Exit>;
  /** SIGTERM; resolves once it has exited. */
  stop(): Promise<Exit>;
}

export interface Exit { readonly code: number | null; readonly signal: string | null; readonly stopped: StoppedLine | null }

let counter = 0;

/** Starts an engine on `toml` (its [engine] section gets segment, journal and controlDir added) against the venue ports. */
export async function startEngine(t: TestContext, engineToml: string, venue: { oePort: number; mdPort: number },
  env: NodeJS.ProcessEnv = {}, readyTimeoutMs = 15_000): Promise<RunningEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'engine-test-'));
  const segment = `/tradecore-test-${process.pid}-${++counter}`;
  const journal = join(dir, 'engine.journal');
  const toml = engineToml.replace('[engine]', `[engine]\nsegment = "${segment}"\njournal = "${journal}"\ncontrolDir = "${join(dir, 'ctl')}"`);
  const file = join(dir, 'engine.toml');
  writeFileSync(file, toml.includes('[engine]') ? toml : `[engine]\nsegment = "${segment}"\njournal = "${journal}"\ncontrolDir = "${join(dir, 'ctl')}"\n${toml}`);
  const proc = spawn(process.execPath, [ENGINE, '--config', file, '--venue-oe', String(venue.oePort), '--venue-md', String(venue.mdPort)], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRADECORE_LOG_LEVEL: 'warn', ...env },
  });
  let err = '';
  let stopped: StoppedLine | null = null;
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => { err += s; });
  const exited = new Promise<Exit>((resolve) => {
    proc.once('close', (code, signal) => resolve({ code, signal, stopped }));
  });
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine not ready within ${readyTimeoutMs} ms; stderr:\n${err}`)), readyTimeoutMs);
    createInterface({ input: proc.stdout!, crlfDelay: Infinity }).on('line', (line: string) => {
      const j = JSON.parse(line) as { engine?: string };
      if (j.engine === 'ready') {
        clearTimeout(timer);
        resolve(j as ReadyLine);
      } else if (j.engine === 'stopped') {
        stopped = j as StoppedLine;
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited (code ${code}) before ready; stderr:\n${err}`));
    });
  });
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    // An engine that was killed (or crashed on purpose) could not unlink its segment.
    rmSync(segmentPath(segment), { force: true });
  });
  return {
    ready, proc, dir, segment, journal, exited,
    stderr: () => err,
    stop: () => {
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** Writes the kill word and checks the engine's answer: acknowledged, HALTED (KILL) in telemetry, and no order
 *  counted in the `quietMs` after `settleMs` (the kill's cancels answered). Returns when the word was written
 *  and when the halt was seen, for checks against the journal. */
export async function killAndCheckQuiet(sab: SharedArrayBuffer, settleMs: number, quietMs = 300): Promise<{ killAt: number; haltedAt: number }> {
  const reader = new SegmentReader(sab, { clock: liveClock });
  const control = new ControlWriter(sab);
  const killAt = liveClock.nowNs();
  control.kill();
  for (const until = Date.now() + 2000; !control.killSeen(); await new Promise((r) => setTimeout(r, 20))) {
    assert.ok(Date.now() < until, 'the kill acknowledged within 2 s');
  }
  const haltedAt = liveClock.nowNs();
  const state = reader.tradingState().values;
  assert.equal(state['state'], TradingState.HALTED);
  assert.equal(state['reason'], TradingStateReason.KILL);
  await new Promise((r) => setTimeout(r, settleMs));
  const ordersAtHalt = reader.counters().values['orders'];
  await new Promise((r) => setTimeout(r, quietMs));
  assert.equal(reader.counters().values['orders'], ordersAtHalt, 'no new order after the halt');
  return { killAt, haltedAt };
}
