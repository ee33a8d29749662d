// The capture's pieces in one process, no venue: the recorder (the execution thread's side) over the engine's
// own memory plan, the writer (the cool side) and the replay. A full capture ring refuses records without
// stopping a call: each refused record is counted, the file's header says INCOMPLETE with the count, and the
// replay reports the capture incomplete and exits 1. A complete capture of every call kind replays exactly.
// Sonar no longer writes the execution region: its verdict waits in the hot-input words until the execution
// stage's next call applies it (and a capture records it there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { createEngineMemory } from '../../host/engine/engine-memory.js';
import { RecordViews, controlWords } from '../../host/engine/stage-records.js';
import { HotInput, hotInputWords } from '../../host/engine/hot-inputs.js';
import { SonarStage } from '../../host/engine/sonar-stage.js';
import { ExecutionStage } from '../../host/engine/execution-stage.js';
import { engineLogger } from '../../host/engine/engine-log.js';
import { hotClock } from '../../host/engine/hot-clock.js';
import { CaptureRecorder } from '../../host/capture/capture-recorder.js';
import { CaptureWriter } from '../../host/capture/capture-writer.js';
import { readCapture, replayCapture } from '../../host/capture/capture-replay.js';
import { CAPTURE_RING_SLOTS, CaptureHeader, CaptureState } from '../../host/capture/capture-format.js';
import { compileCore } from '../../host/core/core-loader.js';
import { ExecParam, Regime } from '../../build/core-constants.js';
import { Side } from '../../host/model/vocabulary.js';
import { runCli } from '../testkit/cli.js';
import { scriptedDialer } from '../testkit/scripted-socket.js';

async function engine(t: import('node:test').TestContext, capture: boolean, extra: readonly string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'capture-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'unit.capture');
  const profiles = loadCostProfiles(await readFile(new URL('../../../config/costs.toml', import.meta.url), 'utf8'));
  const config = loadEngineConfig(['[engine]', 'symbols = ["AAA", "BBB"]', ...(capture ? [`capture = "${file}"`] : []), ...extra].join('\n'), profiles);
  const clock = hotClock();
  const mem = await createEngineMemory(config, clock.nowNs());
  const { core } = mem.shared;
  const L = mem.layout;
  const views = new RecordViews(core);
  const inputs = hotInputWords(mem.shared.memory, L.inputs);
  return { dir, file, config, clock, mem, core, L, views, inputs, control: controlWords(mem.shared.memory, L.control) };
}

test('a full capture ring drops and counts records, the call is made all the same, and the capture says incomplete', { timeout: 60_000 }, async (t) => {
  const e = await engine(t, true);
  const { core, L } = e;
  assert.ok(L.capture !== 0, 'engine.capture plans the capture ring');
  const writer = new CaptureWriter({
    core, file: e.file, config: e.config, ring: L.capture, exec: L.exec, execBytes: L.execBytes, inputs: e.inputs, startNs: 0,
  });
  const rec = new CaptureRecorder(core, e.views, L.capture, L.exec, e.inputs);
  const extra = 100;
  for (let k = 0; k < CAPTURE_RING_SLOTS + extra; k++) rec.timer(1e9 + k);
  assert.equal(Atomics.load(e.inputs, HotInput.CAPTURE_DROPPED), extra);
  // The call behind a dropped record was still made: the parameter below is set although its record is gone.
  assert.equal(rec.param(ExecParam.QTY, 7), 0);
  const out = writer.finish();
  assert.deepEqual(out, { records: CAPTURE_RING_SLOTS, dropped: extra + 1, complete: false });
  const bytes = readFileSync(e.file);
  assert.equal(bytes.readUInt32LE(CaptureHeader.STATE), CaptureState.INCOMPLETE);
  assert.equal(bytes.readDoubleLE(CaptureHeader.DROPPED), extra + 1);
  assert.equal(bytes.readDoubleLE(CaptureHeader.RECORDS), CAPTURE_RING_SLOTS);
  const summary = replayCapture(await compileCore(), readCapture(bytes));
  assert.equal(summary.capture, 'incomplete');
  assert.equal(summary.records, CAPTURE_RING_SLOTS);
  assert.equal(summary.dropped, extra + 1);
  const cli = await runCli('sim', ['--capture', e.file]);
  assert.equal(cli.code, 1, 'an incomplete capture cannot pass');
  assert.equal(JSON.parse(cli.stdout).capture, 'incomplete');
});

test('every call kind recorded replays exactly; an engine that did not finish leaves the capture "recording"', async (t) => {
  // The stress strategy sends an order on every book update: decisions with commands, and acks that match them.
  const e = await engine(t, true, ['[execution]', 'targetOtr = false', '[execution.strategy]', 'kind = "stress"', 'window = 8']);
  const { core, L } = e;
  const writer = new CaptureWriter({
    core, file: e.file, config: e.config, ring: L.capture, exec: L.exec, execBytes: L.execBytes, inputs: e.inputs, startNs: 0,
  });
  const rec = new CaptureRecorder(core, e.views, L.capture, L.exec, e.inputs);
  const t0 = Math.round(e.clock.nowNs()) + 1e9; // after the region's start (its windows and ledgers begin there)
  assert.equal(rec.symbol(0, 7, 5, 1), 0);
  assert.equal(rec.symbol(1, 8, 5, 1), 0);
  rec.gate(0, Regime.ATTACK, 1);
  rec.rtt(200_000, t0);
  // A book for symbol 0 (bid 999 × 10, ask 1001 × 10) read by the fused call itself.
  const book = L.books[0]!;
  core.bookInit(book, 4096, 1000 - 2048);
  core.bookSet(book, Side.BUY, 999, 10);
  core.bookSet(book, Side.SELL, 1001, 10);
  const nowAt = L.hotScratch.offset + 8;
  e.views.f64[nowAt >>> 3] = t0 + 1000;
  rec.quote(0, book, L.oracles[0]!, nowAt);
  rec.market(1, 1999, 5, 2001, 5, 0.5, t0 + 2000);
  rec.trade(0, 1000, 3, t0 + 3000);
  rec.param(ExecParam.THRESHOLD_MILLI, 0);
  rec.timer(t0 + 4000);
  rec.ack(1, 11, 150_000, t0 + 5000);
  rec.fill(1, 999, 1, t0 + 6000);
  rec.reject(2, 1, t0 + 7000);
  rec.canceled(3, t0 + 8000);
  rec.replaced(4, 5, 12, t0 + 9000);
  rec.probe(6, 100_000, t0 + 10_000);
  rec.flatten(2, t0 + 11_000);
  const killWord = core.execKillAddress(L.exec) >>> 2;
  Atomics.store(e.views.i32, killWord, 1); // another thread's kill: the next call's look records it first
  rec.timer(t0 + 12_000);
  rec.kill(0); // the execution stage's own store before a reset
  Atomics.store(e.views.i32, killWord, 0);
  rec.reset(t0 + 13_000);
  writer.drain();
  // Not finished: the header still says RECORDING (what a crashed engine leaves).
  const unfinished = replayCapture(await compileCore(), readCapture(readFileSync(e.file)));
  assert.equal(unfinished.capture, 'recording');
  assert.equal(writer.finish().complete, true);
  const summary = replayCapture(await compileCore(), readCapture(readFileSync(e.file)));
  assert.equal(summary.capture, 'complete');
  assert.equal(summary.differences, 0, JSON.stringify(summary.firstDifference));
  assert.equal(summary.records, 20);
  assert.equal(summary.byKind['KILL'], 2);
  assert.equal(summary.killRaces, 0);
  assert.equal(summary.decisions, 2);
  assert.deepEqual(Object.keys(summary.byKind).sort(), [
    'ACK', 'CANCELED', 'FILL', 'FLATTEN', 'GATE', 'KILL', 'MARKET', 'PARAM', 'PROBE', 'QUOTE', 'REJECT', 'REPLACED', 'RESET', 'RTT',
    'SYMBOL', 'TIMER', 'TRADE',
  ]);
  assert.ok(summary.commands >= 2, `the decisions and the kill appended commands (${summary.commands})`);
});

test('Sonar leaves the execution region alone: its gate waits in the hot-input words for the execution stage\'s next call', async (t) => {
  const e = await engine(t, true);
  const { core, L } = e;
  const sonar = new SonarStage(core, e.views, L, e.control);
  const region = (): Buffer => Buffer.from(new Uint8Array(core.memory.buffer, L.exec, L.execBytes));
  const before = region();
  const version = Atomics.load(e.inputs, HotInput.GATE_VERSION);
  sonar.evaluate(e.clock.nowNs());
  assert.ok(Atomics.load(e.inputs, HotInput.GATE_VERSION) > version, 'the verdict is handed over');
  assert.equal(Atomics.load(e.inputs, HotInput.GATES + 1), sonar.gateWord(0));
  assert.ok(region().equals(before), 'the execution region is unchanged by Sonar');
  const oe = scriptedDialer();
  const exec = new ExecutionStage({
    core, views: e.views, execState: L.exec, eventRing: L.events, control: e.control, books: L.books, oracles: L.oracles,
    scratch: L.hotScratch.offset, gateway: { port: 1, userId: 1, token: 't', dial: oe.dial }, clock: e.clock,
    log: engineLogger('test', 'error'), flattenCollarTicks: 10, inputs: e.inputs, captureRing: L.capture,
  });
  const writer = new CaptureWriter({
    core, file: e.file, config: e.config, ring: L.capture, exec: L.exec, execBytes: L.execBytes, inputs: e.inputs, startNs: 0,
  });
  const connected = exec.connect();
  const sock = oe.last();
  sock.acceptLogin();
  await connected;
  writer.finish();
  await exec.close(0);
  const summary = replayCapture(await compileCore(), readCapture(readFileSync(e.file)));
  assert.equal(summary.byKind['GATE'], 2, `one GATE per symbol, applied by the execution stage: ${JSON.stringify(summary.byKind)}`);
  assert.equal(summary.differences, 0);
});
