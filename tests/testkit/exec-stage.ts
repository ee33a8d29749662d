// Shared setup of the execution-stage tests: one core, the stage configured through the host wrapper
// with the shipped cost profiles, and small helpers to drive it and read its commands.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { testCore } from './core.js';
import type { CoreExports } from '../../host/core/core.js';
import type { Table } from '../../host/config/validate.js';
import { loadCostProfiles, type CostProfiles } from '../../host/modules/cost-model.js';
import {
  initExecution, readCommands, resolveExecutionConfig, type ExecCommandView, type ExecSymbol, type ExecutionConfig,
} from '../../host/modules/execution.js';

export const STATE = 65536;
export const MS = 1_000_000n;
export const SECOND = 1_000_000_000n;

export const SYMBOLS: readonly ExecSymbol[] = [
  { name: 'RELIANCE', symbolId: 1, tickPaise: 5, lotSize: 1 },
  { name: 'INFY', symbolId: 2, tickPaise: 5, lotSize: 1 },
];

let profiles: CostProfiles | undefined;
export async function costProfiles(): Promise<CostProfiles> {
  profiles ??= loadCostProfiles(await readFile(fileURLToPath(new URL('../../../config/costs.toml', import.meta.url)), 'utf8'));
  return profiles;
}

export interface Stage {
  readonly core: CoreExports;
  readonly cfg: ExecutionConfig;
  readonly state: number;
}

/**
 * A stage over a fresh core; `table` is the [execution] table (defaults for the rest; no strategy unless it
 * names one). RTT probes are off unless `probes` (their PROBE commands and deadlines are not what the order
 * path's tests model; tests/wasm-core/exec-probe.test.ts turns them on).
 */
export async function stage(table: Table = {}, symbols: readonly ExecSymbol[] = SYMBOLS, probes = false): Promise<Stage> {
  const { core } = await testCore(32 << 20);
  let t = table['strategy'] === undefined ? { ...table, strategy: { kind: 'none' } } : table;
  if (!probes) t = { ...t, rttWatchdog: { probeIntervalMs: 0, probeIdleMs: 0, ...(t['rttWatchdog'] as Table | undefined) } };
  const cfg = resolveExecutionConfig(t, { profiles: await costProfiles(), date: '2026-11-30' });
  initExecution(core, STATE, cfg, symbols, 0n);
  return { core, cfg, state: STATE };
}

/** Reads and clears the command buffer. */
export function take(s: Stage): ExecCommandView[] {
  const out = readCommands(s.core, s.state);
  s.core.execCommandsClear(s.state);
  return out;
}

/** Asserts exactly one command came out and returns it. */
export function one(s: Stage): ExecCommandView {
  const c = take(s);
  assert.equal(c.length, 1, `one command expected, got ${JSON.stringify(c, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  return c[0]!;
}

/** Gives symbol `index` a touch with the gate open in Attack (regime 1) and no signal. */
export function market(s: Stage, index: number, bid: number, ask: number, nowNs: bigint, signal = 0, qty = 100): number {
  s.core.execSetGate(s.state, index, 1, 1);
  return s.core.execOnMarket(s.state, index, bid, qty, ask, qty, signal, nowNs);
}
