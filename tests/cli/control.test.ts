// `npm run kill | flatten | reset` as separate processes against a /dev/shm segment, with a fake engine loop
// in this process (heartbeat and ControlResponder every ms, the engine's real control logic): each tool sees
// its request acknowledged and says so; reset is refused without the token file, refused by the engine with a
// wrong token (kill word set back), accepted with the right one; with no engine, a clear timeout and exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlAction } from '../../host/journal/records.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { liveClock } from '../../host/platform/clock.js';
import { unlinkShared } from '../../host/platform/native.js';
import { ControlWriter, controlTokenPath, createSegmentFile, ensureControlToken } from '../../host/telemetry/index.js';
import { runCli } from '../testkit/cli.js';
import { fakeEngine } from '../testkit/fake-engine.js';

let n = 0;
const uniqueName = (): string => `/tradecore-control-test-${process.pid}-${n++}`;

test('kill, flatten and reset against a running engine', { timeout: 60_000 }, async () => {
  const name = uniqueName();
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-token-'));
  const empty = mkdtempSync(join(tmpdir(), 'tradecore-notoken-'));
  const token = ensureControlToken(dir);
  const engine = fakeEngine(name, token);
  try {
    const state = (): [number, number] => {
      const v = engine.reader.tradingState().values;
      return [v.state!, v.reason!];
    };

    const kill = await runCli('control', ['kill', '--segment', name]);
    assert.equal(kill.code, 0, kill.stderr);
    assert.match(kill.stdout, /^kill: engine halted in [\d.]+ ms, state HALTED \(KILL\); its working orders are being cancelled\n$/);
    assert.deepEqual(state(), [TradingState.HALTED, TradingStateReason.KILL]);

    const flatten = await runCli('control', ['flatten', '--segment', name, '--collar', '5']);
    assert.equal(flatten.code, 0, flatten.stderr);
    assert.match(flatten.stdout, /^flatten: acknowledged in [\d.]+ ms; .* within a collar of 5 ticks \(state HALTED \(KILL\)\)/);
    assert.deepEqual(engine.collars, [5], 'flatten works in HALTED, collar delivered');

    const noToken = await runCli('control', ['reset', '--segment', name, '--token-dir', empty]);
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /^reset: reset refused: no control token at \S+control-token: the engine creates it at its first start \(or pass --token\)/);
    assert.deepEqual(state(), [TradingState.HALTED, TradingStateReason.KILL], 'nothing written');
    assert.equal(engine.control.killSet(), true);

    const wrong = await runCli('control', ['reset', '--segment', name, '--token', '0'.repeat(32)]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^reset: reset refused by the engine: wrong control token\. The kill word is set again\./);
    assert.deepEqual(state(), [TradingState.HALTED, TradingStateReason.KILL]);
    assert.equal(engine.control.killSet(), true, 'kill word restored');

    const reset = await runCli('control', ['reset', '--segment', name, '--token-dir', dir]);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /^reset: accepted in [\d.]+ ms, state ACTIVE \(RESET\)\n$/);
    assert.deepEqual(state(), [TradingState.ACTIVE, TradingStateReason.RESET]);
    assert.equal(engine.control.killSet(), false);

    assert.deepEqual(engine.journal.map((j) => [j.action, j.accepted]), [
      [ControlAction.KILL, true], [ControlAction.FLATTEN, true], [ControlAction.RESET, false], [ControlAction.RESET, true],
    ], 'every control action journaled, the refused reset too');
  } finally {
    engine.stop();
    unlinkShared(name);
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
});

test('with no engine answering: a clear timeout message, exit 1; the kill word stays set', { timeout: 30_000 }, async () => {
  const name = uniqueName();
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-token-'));
  const token = ensureControlToken(dir);
  try {
    const segment = createSegmentFile(name, { pid: 1, clock: liveClock });
    const control = new ControlWriter(segment.sab);
    const kill = await runCli('control', ['kill', '--segment', name, '--timeout-ms', '150']);
    assert.equal(kill.code, 1);
    assert.match(kill.stderr, /^kill: kill word set: no acknowledgement from the engine within 150 ms \(its heartbeat has not moved for [\d.]+ s: is the engine running\?\)\. The word stays set/);
    assert.equal(control.killSet(), true);
    const flatten = await runCli('control', ['flatten', '--segment', name, '--timeout-ms', '100']);
    assert.equal(flatten.code, 1);
    assert.match(flatten.stderr, /flatten request 1: no acknowledgement from the engine within 100 ms/);
    const reset = await runCli('control', ['reset', '--segment', name, '--timeout-ms', '100', '--token', token]);
    assert.equal(reset.code, 1);
    assert.match(reset.stderr, /reset request 1: no acknowledgement .* The kill word is set again\./);
    assert.equal(control.killSet(), true, 'an unanswered reset leaves the engine to halt when it comes back');
  } finally {
    unlinkShared(name);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no segment, bad arguments', async () => {
  const missing = await runCli('control', ['kill', '--segment', uniqueName()]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^kill: telemetry segment \/dev\/shm\/tradecore-control-test-\S+ does not exist: is the engine running\?/);
  const none = await runCli('control', []);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /expected one of kill, flatten, reset, got nothing/);
  const collar = await runCli('control', ['kill', '--collar', '3']);
  assert.equal(collar.code, 2);
  assert.match(collar.stderr, /--collar is for flatten only/);
  const badToken = await runCli('control', ['reset', '--token', 'abc']);
  assert.equal(badToken.code, 2);
  assert.match(badToken.stderr, /--token: a control token is 32 hex digits, got "abc"/);
});

test('the control token file: created 0600, reused, refused when others may read it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-token-'));
  try {
    const inner = join(dir, 'home');
    const a = ensureControlToken(inner);
    assert.match(a, /^[0-9a-f]{32}$/);
    const path = controlTokenPath(inner);
    assert.equal(ensureControlToken(inner), a, 'the first start\'s token is kept');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    chmodSync(path, 0o644);
    assert.throws(() => ensureControlToken(inner), /control token \S+ has mode 0644, must be 0600/);
    chmodSync(path, 0o600);
    writeFileSync(path, 'not a token\n');
    assert.throws(() => ensureControlToken(inner), /a control token is 32 hex digits, got "not a token"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
