// `npm run sim -- --capture <file>` refuses what it cannot replay with exit 2 and a message naming the argument
// (other simulator options beside it, a missing file, a file that is not a capture, a capture of another
// version), and engine.capture is validated at config load naming the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testkit/cli.js';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { readFileSync } from 'node:fs';
import { CAPTURE_HEADER_BYTES, CAPTURE_MAGIC, CaptureHeader } from '../../host/capture/capture-format.js';

test('sim --capture: bad arguments and files exit 2 naming the problem', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'capture-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const both = await runCli('sim', ['--capture', join(dir, 'x'), '--seed', '3']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--capture replays a capture on its own recorded state: --seed does not apply/);
  assert.match(both.stderr, /usage: sim/);
  const missing = await runCli('sim', ['--capture', join(dir, 'none.capture')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*none\.capture: ENOENT/);
  writeFileSync(join(dir, 'text.capture'), 'hello, this is not a capture file at all, but long enough for a header.......');
  const text = await runCli('sim', ['--capture', join(dir, 'text.capture')]);
  assert.equal(text.code, 2);
  assert.match(text.stderr, /not a capture file/);
  const future = Buffer.alloc(CAPTURE_HEADER_BYTES);
  future.write(CAPTURE_MAGIC, 0, 'latin1');
  future.writeUInt32LE(99, CaptureHeader.VERSION);
  writeFileSync(join(dir, 'future.capture'), future);
  const v = await runCli('sim', ['--capture', join(dir, 'future.capture')]);
  assert.equal(v.code, 2);
  assert.match(v.stderr, /capture version 99, this build reads 1/);
});

test('engine.capture: a file path or "" (off), anything else refused naming the key', () => {
  const profiles = loadCostProfiles(readFileSync(new URL('../../../config/costs.toml', import.meta.url), 'utf8'));
  assert.equal(loadEngineConfig('', profiles).engine.capture, '', 'off by default');
  assert.equal(loadEngineConfig('[engine]\ncapture = "var/a.capture"', profiles).engine.capture, 'var/a.capture');
  for (const bad of ['5', '"var/"', 'true']) {
    assert.throws(() => loadEngineConfig(`[engine]\ncapture = ${bad}`, profiles),
      /engine\.capture must be a file path \(at most 4096 characters, not a directory\) or "" for no capture/, bad);
  }
});
