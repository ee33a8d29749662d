// The core's status codes, event types, flags and modes reach the host through one generated file,
// build/core-constants.ts (wasm-core/host-constants.mjs reads every `export namespace` of constants in
// wasm-core/). These tests keep it that way: no status code left as a loose constant the generator
// cannot see, and no host module exporting its own copy of a generated object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import * as generated from '../../build/core-constants.js';
import * as core from '../../host/core/core.js';
import * as costModel from '../../host/modules/cost-model.js';
import * as floodControl from '../../host/modules/flood-control.js';
import * as nev from '../../host/modules/nev.js';
import * as oracle from '../../host/modules/oracle.js';
import * as otrLedger from '../../host/modules/otr-ledger.js';
import * as sonar from '../../host/modules/sonar.js';
import * as positions from '../../host/modules/positions.js';
import * as orderTable from '../../host/modules/order-table.js';
import * as brokerWindows from '../../host/modules/broker-windows.js';
import * as preTradeRisk from '../../host/modules/pre-trade-risk.js';
import * as sentinel from '../../host/modules/sentinel.js';
import * as matching from '../../host/venue/market/matching.js';

const CORE_DIR = new URL('../../../wasm-core/', import.meta.url);

test('no negative (status-like) core constant sits outside a generated namespace', async () => {
  const loose: string[] = [];
  for (const f of (await readdir(CORE_DIR)).filter((f) => f.endsWith('.ts'))) {
    const lines = (await readFile(new URL(f, CORE_DIR), 'utf8')).split('\n');
    lines.forEach((line, i) => {
      // Integers only: a status code is an integer, a negative f64 is a coefficient (seeded-random.ts's kernels).
      if (/^(export )?const \w+: (i32|i64) = -/.test(line)) loose.push(`wasm-core/${f}:${i + 1}: ${line}`);
    });
  }
  assert.deepEqual(loose, [], 'move these into an `export namespace` so build/core-constants.ts carries them');
});

test('host modules re-export the generated objects rather than copies', () => {
  const modules: Record<string, Record<string, unknown>> = {
    core, costModel, floodControl, nev, oracle, otrLedger, sonar, matching, positions, orderTable, brokerWindows, preTradeRisk, sentinel,
  };
  let shared = 0;
  for (const [name, value] of Object.entries(generated)) {
    for (const [module, exports] of Object.entries(modules)) {
      if (!(name in exports)) continue;
      assert.equal(exports[name], value, `${module}.${name} is not the generated ${name}`);
      shared++;
    }
  }
  assert.ok(shared >= 17, `${shared} generated objects re-exported by host modules`);
  assert.equal(matching.MatchRejectReason.POOL_FULL, -generated.MatchStatus.POOL_FULL);
});
