// docs/execution.md and the code agree: the command record's byte table against ExecCommandLayout and
// bytes the core writes, the command type codes, the extra refusal codes, the parameter keys, and the
// config error the document quotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkByteTable, sections } from '../testkit/doc-tables.js';
import {
  ExecCommand, ExecCommandLayout, ExecFlag, ExecParam, ExecRefusal, resolveExecutionConfig,
} from '../../host/modules/execution.js';
import { Side, TimeInForce } from '../../host/model/vocabulary.js';
import { costProfiles, market, stage } from '../testkit/exec-stage.js';

const DOC = readFileSync(new URL('../../../docs/execution.md', import.meta.url), 'utf8');
const SIZES: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, i32: 4, i64: 8 };

test('the command record table matches ExecCommandLayout and the bytes the core writes', async () => {
  const section = sections(DOC).find((s) => s.heading === `Command record (${ExecCommandLayout.BYTES} bytes)`);
  assert.ok(section, 'docs/execution.md has the command record section with the size the code says');
  const rows = checkByteTable(section.tables[0]!, ExecCommandLayout.BYTES, 'command', (t) => SIZES[t]!);
  const { BYTES, ...fields } = ExecCommandLayout;
  void BYTES;
  assert.deepEqual(rows.map((r) => [r.name, r.offset]), Object.entries(fields));
  const typeRow = section.tables[0]![0]![4]!;
  for (const [name, code] of Object.entries(ExecCommand)) assert.ok(typeRow.includes(`${name} ${code}`), `type codes name ${name} ${code}`);

  const s = await stage();
  market(s, 0, 2000, 2002, 1n);
  s.core.execCommandsClear(s.state);
  s.core.execSubmit(s.state, 0, Side.SELL, 2003, 7, TimeInForce.POST_ONLY, ExecFlag.UNGATED, 2n);
  const b = Buffer.from(s.core.memory.buffer, s.core.execCommandAddress(s.state), BYTES);
  const at = (name: string): number => rows.find((r) => r.name === name)!.offset;
  assert.equal(b.readUInt8(at('type')), ExecCommand.NEW);
  assert.equal(b.readUInt8(at('side')), Side.SELL);
  assert.equal(b.readUInt8(at('tif')), TimeInForce.POST_ONLY);
  assert.equal(b.readUInt32LE(at('symbolId')), 1);
  assert.equal(b.readBigUInt64LE(at('clOrdId')), 1n);
  assert.equal(b.readBigUInt64LE(at('origClOrdId')), 0n);
  assert.equal(b.readInt32LE(at('priceTicks')), 2003);
  assert.equal(b.readInt32LE(at('qty')), 7);
});

test('the refusal codes, the parameter keys and the quoted config error are the code\'s', async () => {
  for (const [name, code] of Object.entries(ExecRefusal)) assert.ok(DOC.includes(`${name} ${code}`), `doc names ${name} ${code}`);
  const params = /`execSetParam\(state, key, value: i64\)`[^:]*: ([\s\S]*?)\. `execNewDay/.exec(DOC);
  assert.ok(params);
  const named = [...params[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]);
  assert.deepEqual(named, Object.keys(ExecParam));
  const quoted = /\(`(execution\.strategy\.window must be [^`]+)`\)/.exec(DOC);
  assert.ok(quoted);
  const profiles = await costProfiles();
  assert.throws(() => resolveExecutionConfig({ strategy: { kind: 'mean-reversion', window: 1 } }, { profiles }),
    (e: Error) => e.message === quoted[1]);
});
