// Record and replay (docs/record-replay.md): a live engine against the venue, both topologies, with
// engine.capture set, trades for about 3 s (a parameter applied and one refused on the way), is killed through
// the segment and stops; `npm run sim -- --capture <file>` replays every recorded
// core call and finds the same commands (zero differences, some commands). The diff can fail: a record whose
// market input is changed (both sides of the book emptied, so the strategy cannot quote) is found at that very
// record, as is a record whose command hash is changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVenue, venueConfigToml } from '../../host/venue/venue-process.js';
import { ControlWriter, mapSegmentFile, SegmentReader } from '../../host/telemetry/index.js';
import { ExecParam } from '../../build/core-constants.js';
import { liveClock } from '../../host/platform/clock.js';
import { startEngine } from '../testkit/engine-process.js';
import { runCli } from '../testkit/cli.js';
import {
  CAPTURE_RECORD_BYTES, CaptureField, CaptureHeader, CaptureKind, CaptureState, recordsOffset,
} from '../../host/capture/capture-format.js';
import { NO_PRICE, TradingState } from '../../host/model/vocabulary.js';
import type { ReplaySummary } from '../../host/capture/capture-replay.js';

type Summary = ReplaySummary;

async function until(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function replay(file: string): Promise<{ code: number | null; summary: Summary; stderr: string }> {
  const r = await runCli('sim', ['--capture', file]);
  assert.ok(r.stdout.trim() !== '', `sim --capture printed nothing (exit ${r.code}); stderr:\n${r.stderr}`);
  return { code: r.code, summary: JSON.parse(r.stdout) as Summary, stderr: r.stderr };
}

/** The first record of `kind` after which the live call appended commands. */
function recordWithCommands(bytes: Buffer, start: number, kind: number): number {
  for (let at = start; at + CAPTURE_RECORD_BYTES <= bytes.length; at += CAPTURE_RECORD_BYTES) {
    if (bytes.readUInt32LE(at + CaptureField.KIND) === kind && bytes.readUInt32LE(at + CaptureField.COMMANDS) > 0) return at;
  }
  return -1;
}

for (const topology of ['fused', 'modules'] as const) {
  test(`${topology}: a live run captured against the venue replays with zero differing commands; a changed record is found`, { timeout: 60_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'capture-test-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'run.capture');
    const v = await startVenue(venueConfigToml({
      users: [{ id: 1, token: 'alpha' }],
      symbols: [
        { name: 'AAA', refPrice: 10_000, bandLow: 9_000, bandHigh: 11_000, flowEventsPerSecond: 300, flowSeed: 11 },
        { name: 'BBB', refPrice: 20_000, bandLow: 18_000, bandHigh: 22_000, flowEventsPerSecond: 300, flowSeed: 12 },
      ],
    }));
    t.after(() => v.stop());
    const engine = await startEngine(t, [
      '[engine]', `topology = "${topology}"`, 'symbols = ["AAA", "BBB"]', `capture = "${file}"`,
      '[execution]', 'signalGain = 100', 'tradeRateFloor = 50',
      '[execution.strategy]', 'threshold = 0',
      '[execution.broker]', 'perSecond = 100', 'perMinute = 6000',
    ].join('\n'), v);
    const sab = mapSegmentFile(engine.segment);
    const reader = new SegmentReader(sab, { clock: liveClock });
    const counters = (): Record<string, number> => reader.counters().values;
    await until(() => (counters()['orders'] ?? 0) >= 3 && (counters()['cancels'] ?? 0) >= 2, 15_000,
      () => `orders and cancels (${JSON.stringify(counters())})`);
    // Parameters are applied by the execution thread, which answers with the core's status (recorded there).
    const control = new ControlWriter(sab);
    const param = async (key: number, value: number): Promise<number> => {
      const seq = control.postParam(key, value);
      await until(() => control.paramResult(seq) !== null, 5000, () => `the answer to parameter ${key} = ${value}`);
      return control.paramResult(seq)!;
    };
    assert.equal(await param(ExecParam.THRESHOLD_MILLI, 0), 0, 'a parameter in range is applied');
    assert.ok((await param(ExecParam.QTY, 0)) < 0, 'a quantity of 0 is refused by the core');
    await new Promise((r) => setTimeout(r, 3000));
    // A kill through the segment: Sentinel stores the core's kill word from its own thread; the recorder finds it
    // before the execution thread's next call (or, stored during a call, flags that call: a counted race).
    control.kill();
    await until(() => reader.tradingState().values['state'] === TradingState.HALTED, 5000, () => 'HALTED after the kill');
    await new Promise((r) => setTimeout(r, 300));
    const { code, stopped } = await engine.stop();
    assert.equal(code, 0, `engine exit ${code}; stderr:\n${engine.stderr()}`);
    const sent = stopped!.sent!;

    const { code: simCode, summary } = await replay(file);
    t.diagnostic(`replay: ${JSON.stringify(summary)}; sent ${JSON.stringify(sent)}`);
    assert.equal(summary.capture, 'complete');
    assert.equal(summary.dropped, 0);
    if (summary.killRaces === 0) {
      assert.equal(summary.differences, 0, `first difference ${JSON.stringify(summary.firstDifference)}`);
      assert.equal(simCode, 0);
    } else {
      // The kill landed inside a call (rare): any difference must be that call's or follow it.
      assert.ok(summary.differences === 0 || summary.firstDifference!.killRace, JSON.stringify(summary.firstDifference));
    }
    assert.ok(summary.decisions > 100, `decisions ${summary.decisions}`);
    // Every order, cancel and replace the engine sent was a command the core appended (and PROBEs besides).
    assert.ok(summary.commands >= sent.orders + sent.cancels + sent.replaces, `${summary.commands} commands, sent ${JSON.stringify(sent)}`);
    assert.ok(sent.orders >= 3);
    assert.equal(summary.replayCommands, summary.commands);
    const kinds = summary.byKind;
    assert.ok((kinds[topology === 'fused' ? 'QUOTE' : 'MARKET'] ?? 0) > 0, JSON.stringify(kinds));
    assert.equal(kinds['PARAM'], 2, JSON.stringify(kinds));
    assert.ok((kinds['KILL'] ?? 0) >= 1 && (kinds['CANCELED'] ?? 0) >= 1, JSON.stringify(kinds));
    for (const k of ['SYMBOL', 'GATE', 'ACK', 'TIMER', 'KILL']) assert.ok((kinds[k] ?? 0) > 0, `${k} records: ${JSON.stringify(kinds)}`);

    const bytes = readFileSync(file);
    assert.equal(bytes.readUInt32LE(CaptureHeader.STATE), CaptureState.COMPLETE);
    const start = recordsOffset(bytes.readUInt32LE(CaptureHeader.CONFIG_BYTES), bytes.readUInt32LE(CaptureHeader.EXEC_BYTES));
    assert.equal((bytes.length - start) / CAPTURE_RECORD_BYTES, summary.records);
    assert.equal(bytes.readDoubleLE(CaptureHeader.RECORDS), summary.records);

    // A market input changed: the first decision that quoted, with an empty book, cannot quote.
    const kind = topology === 'fused' ? CaptureKind.QUOTE : CaptureKind.MARKET;
    const at = recordWithCommands(bytes, start, kind);
    assert.ok(at > 0, 'a decision that appended commands');
    const changed = Buffer.from(bytes);
    changed.writeInt32LE(NO_PRICE, at + CaptureField.B);
    changed.writeInt32LE(NO_PRICE, at + CaptureField.D);
    writeFileSync(join(dir, 'changed.capture'), changed);
    const c = await replay(join(dir, 'changed.capture'));
    assert.equal(c.code, 1);
    assert.ok(c.summary.differences >= 1);
    assert.equal(c.summary.firstDifference?.record, (at - start) / CAPTURE_RECORD_BYTES);

    // A recorded command hash changed: that record alone differs.
    const hashed = Buffer.from(bytes);
    hashed.writeUInt32LE((hashed.readUInt32LE(at + CaptureField.HASH) ^ 1) >>> 0, at + CaptureField.HASH);
    writeFileSync(join(dir, 'hashed.capture'), hashed);
    const h = await replay(join(dir, 'hashed.capture'));
    assert.equal(h.code, 1);
    assert.equal(h.summary.differences, 1);
    assert.equal(h.summary.firstDifference?.record, (at - start) / CAPTURE_RECORD_BYTES);
  });
}
