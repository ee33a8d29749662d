// Host side of the execution stage (wasm-core/execution.ts): config validation of the `[execution]`
// table, the region's size, its init (every sub-module configured with its own host init at the
// address the core gives), the command record layout, and readers for telemetry and tests.
// Browser-safe: no Node imports. The stage order and the strategies are described in docs/execution.md.
import { ConfigError } from '../config/config-error.js';
import { integerIn, isTable, numberIn, onlyKeys, oneOf, type Table } from '../config/validate.js';
import type { CoreExports } from '../core/core.js';
import {
  ExecCommand, ExecFlag, ExecParam, ExecRefusal, ExecStatus, ExecTtlAction, StrategyKind,
} from '../../build/core-constants.js';
import { DEFAULT_BROKER_WINDOWS, initBrokerWindows, resolveBrokerWindowsConfig, type BrokerWindowsConfig } from './broker-windows.js';
import { pickProfileVersion, writeCostProfile, type CostProfiles, type CostProfileVersion } from './cost-model.js';
import { initFloodControl } from './flood-control.js';
import { DEFAULT_OTR_CONFIG, dateOfDay, dayNumber, dayNumberAt, initOtrLedger, type OtrConfig } from './otr-ledger.js';
import { DEFAULT_RISK_CONFIG, resolveRiskConfig, writeRiskLimits, type RiskConfig } from './pre-trade-risk.js';
import {
  initCircuitBreaker, initRttWatchdog, resolveSentinelConfig, SENTINEL_DEFAULTS, type CircuitBreakerConfig,
  type RttWatchdogConfig,
} from './sentinel.js';
import { RiskRefusal, TradingState, TradingStateReason } from '../model/vocabulary.js';

export { ExecCommand, ExecFlag, ExecParam, ExecRefusal, ExecStatus, ExecTtlAction, StrategyKind };

/** Byte offsets of one command record (32 bytes) in the command buffer at execCommandAddress. */
export const ExecCommandLayout = {
  BYTES: 32,
  /** u8 ExecCommand: NEW 1, CANCEL 2, REPLACE 3, PROBE 4 (an RTT probe: only clOrdId, its id, is set). */
  type: 0,
  /** u8 Side. */
  side: 1,
  /** u8 OrderKind. */
  kind: 2,
  /** u8 TimeInForce. */
  tif: 3,
  /** u32 the venue's symbol id. */
  symbolId: 4,
  /** u64 the id to send the request with (the core numbers every request from 1). */
  clOrdId: 8,
  /** u64 cancel/replace: the order's current id (0 for NEW). */
  origClOrdId: 16,
  /** i32 price in ticks (cancel: the order's price). */
  priceTicks: 24,
  /** i32 quantity (replace: the new total; cancel: the leaves). */
  qty: 28,
} as const;

export type StrategyName = 'wobi' | 'mean-reversion' | 'stress' | 'none';
export const STRATEGIES: readonly StrategyName[] = ['wobi', 'mean-reversion', 'stress', 'none'];
const STRATEGY_CODE: Readonly<Record<StrategyName, number>> = {
  wobi: StrategyKind.WOBI_PASSIVE, 'mean-reversion': StrategyKind.MEAN_REVERSION, stress: StrategyKind.STRESS,
  none: StrategyKind.NONE,
};

export interface StrategyConfig {
  readonly kind: StrategyName;
  /** Order quantity in units (a multiple of every symbol's lot size). */
  readonly qty: number;
  /** WOBI: |signal| at or above which it quotes, [0, 1]. */
  readonly threshold: number;
  /** Mean reversion: mids in the window, [2, 256]; stress: working orders kept, [1, 8]. */
  readonly window: number;
  /** Mean reversion: entry beyond k σ, (0, 100]. */
  readonly k: number;
  /** Stress: distance from the touch in ticks, [1, 1000000]. */
  readonly offsetTicks: number;
}

export interface ExecutionConfig {
  /** Working orders at once (the order table's slots). */
  readonly orderCapacity: number;
  /** A passive order's life from its ack before the 200 ms rule acts, ms; also the NEV horizon. */
  readonly ttlMs: number;
  readonly ttlAction: 'cancel' | 'reprice';
  /** Fair price = weighted mid + gain × signal × half the spread (NEV's edge). */
  readonly signalGain: number;
  /** OTR budget for new orders and modifies: the highest OTR to stay at; null = no budget check. */
  readonly targetOtr: number | null;
  /** Lower bound of the trade rate the fill model assumes, lots/s (0: the measured rate only). */
  readonly tradeRateFloor: number;
  /** Half-life of the trade-rate estimate, ms. */
  readonly tradeRateHalfLifeMs: number;
  /** Collar of a flatten in ticks: a long sells at bid − collar. */
  readonly flattenCollarTicks: number;
  readonly strategy: StrategyConfig;
  /** Pre-trade risk limits (validated against the symbols at initExecution). */
  readonly risk: Partial<RiskConfig>;
  readonly broker: BrokerWindowsConfig;
  readonly rttWatchdog: RttWatchdogConfig;
  /** RTT probes (TestRequest), keys of [execution.rttWatchdog]: every intervalMs while locked down, and
   *  after idleMs without any round trip. */
  readonly rttProbe: RttProbeConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
  readonly costProfile: string;
  /** The version of costProfile in force on the trading date (null when no profiles were given to resolve). */
  readonly costs: CostProfileVersion | null;
  readonly otr: OtrConfig;
  readonly openingBanSeconds: number;
  /** Trading day in the OTR ledger's numbering (days since 1970-01-01, IST). */
  readonly day: number;
}

export interface RttProbeConfig {
  /** Probe interval while the watchdog is in LOCKDOWN, [1, 60000] ms; 0: none (a lockdown then waits for acks). */
  readonly intervalMs: number;
  /** Probe after this long without an RTT sample, [1, 3600000] ms; 0: none. */
  readonly idleMs: number;
}
export const DEFAULT_RTT_PROBE: RttProbeConfig = { intervalMs: 100, idleMs: 1000 };

export const DEFAULT_STRATEGY: StrategyConfig = {
  kind: 'wobi', qty: 1, threshold: 0.3, window: 50, k: 2, offsetTicks: 20,
};

const TOP_KEYS = [
  'orderCapacity', 'ttlMs', 'ttlAction', 'signalGain', 'targetOtr', 'tradeRateFloor', 'tradeRateHalfLifeMs',
  'flattenCollarTicks', 'costProfile', 'strategy', 'risk', 'broker', 'rttWatchdog', 'circuitBreaker',
] as const;

export interface ResolveExecutionOptions {
  /** Cost profiles (config/costs.toml): costProfile must name one; its version on `date` is picked. */
  readonly profiles?: CostProfiles;
  /** Trading date YYYY-MM-DD (IST) for the cost version and the OTR day; default today. */
  readonly date?: string;
  /** The engine's [otr] section (default DEFAULT_OTR_CONFIG). */
  readonly otr?: OtrConfig;
  /** The opening ban of the engine's [flood] section, seconds (default 900). */
  readonly openingBanSeconds?: number;
  /** Prefix of the keys in errors (default 'execution'). */
  readonly path?: string;
}

/** Re-throws a sub-module's ConfigError with the key under `path` (its own keys are relative). */
function under<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError && !e.key.startsWith(`${path}.`)) throw new ConfigError(`${path}.${e.key}`, e.allowed, e.got);
    throw e;
  }
}

function subTable(t: Table, key: string, path: string): Table {
  const v = t[key];
  if (v === undefined) return {};
  if (!isTable(v)) throw new ConfigError(`${path}.${key}`, 'a table', v);
  return v;
}


/**
 * Fills defaults and validates the `[execution]` table (sub-tables strategy, risk, broker,
 * rttWatchdog, circuitBreaker); throws ConfigError naming `execution.<key>`, the allowed range and
 * the value. Unknown keys are refused.
 */
export function resolveExecutionConfig(table: Table = {}, options: ResolveExecutionOptions = {}): ExecutionConfig {
  const path = options.path ?? 'execution';
  if (!isTable(table)) throw new ConfigError(path, 'a table', table);
  onlyKeys(path, table, TOP_KEYS);
  const k = (key: string): string => `${path}.${key}`;
  const get = <T>(key: string, d: T): unknown => (table[key] === undefined ? d : table[key]);

  const s = subTable(table, 'strategy', path);
  onlyKeys(k('strategy'), s, Object.keys(DEFAULT_STRATEGY));
  const sc = { ...DEFAULT_STRATEGY, ...s } as Record<string, unknown>;
  const kind = oneOf(k('strategy.kind'), sc['kind'], STRATEGIES, `one of ${STRATEGIES.map((n) => `"${n}"`).join(', ')}`);
  const windowRange: [number, number] = kind === 'stress' ? [1, 8] : [2, 256];
  const strategy: StrategyConfig = {
    kind,
    qty: integerIn(k('strategy.qty'), sc['qty'], 1, 1_000_000_000),
    threshold: numberIn(k('strategy.threshold'), sc['threshold'], 0, 1),
    window: integerIn(k('strategy.window'), sc['window'], windowRange[0], windowRange[1], kind === 'stress' ? ' (stress: working orders kept)' : ' (mids in the window)'),
    k: numberIn(k('strategy.k'), sc['k'], 0.001, 100), // the core takes k in thousandths
    offsetTicks: integerIn(k('strategy.offsetTicks'), sc['offsetTicks'], 1, 1_000_000),
  };

  const riskTable = subTable(table, 'risk', path);
  onlyKeys(k('risk'), riskTable, Object.keys(DEFAULT_RISK_CONFIG));
  // Checked now against any symbol names it gives; again at initExecution against the engine's symbols.
  const named = isTable(riskTable['maxPositionBySymbol']) ? Object.keys(riskTable['maxPositionBySymbol']) : [];
  resolveRiskConfig(riskTable, named.length > 0 ? named : ['*'], k('risk'));

  const brokerTable = subTable(table, 'broker', path);
  const broker = resolveBrokerWindowsConfig(brokerTable as Partial<BrokerWindowsConfig>, k('broker'));
  // The probe keys sit with the watchdog's (one place for everything RTT); the watchdog's own resolver gets the rest.
  const { probeIntervalMs, probeIdleMs, ...watchdogTable } = subTable(table, 'rttWatchdog', path);
  const probeMs = (key: string, v: unknown, hi: number): number => {
    if (v === 0) return 0;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > hi) throw new ConfigError(k(key), `0 (off) or a number in [1, ${hi}]`, v);
    return v;
  };
  const rttProbe: RttProbeConfig = {
    intervalMs: probeMs('rttWatchdog.probeIntervalMs', probeIntervalMs ?? DEFAULT_RTT_PROBE.intervalMs, 60_000),
    idleMs: probeMs('rttWatchdog.probeIdleMs', probeIdleMs ?? DEFAULT_RTT_PROBE.idleMs, 3_600_000),
  };
  const sentinel = under(path, () => resolveSentinelConfig({
    rttWatchdog: watchdogTable, circuitBreaker: subTable(table, 'circuitBreaker', path),
  }));

  const date = options.date ?? dateOfDay(dayNumberAt(Date.now()));
  const costProfile = get('costProfile', 'cash_intraday');
  let costs: CostProfileVersion | null = null;
  if (options.profiles !== undefined) {
    oneOf(k('costProfile'), costProfile, [...options.profiles.keys()]);
    costs = under(k('costProfile'), () => pickProfileVersion(options.profiles!, costProfile as string, date));
  } else if (typeof costProfile !== 'string' || costProfile.length === 0) {
    throw new ConfigError(k('costProfile'), 'the name of a cost profile', costProfile);
  }
  const targetOtr = get('targetOtr', 49.999);
  if (targetOtr !== false && (typeof targetOtr !== 'number' || !(targetOtr >= 0.001) || targetOtr > 1_000_000)) {
    throw new ConfigError(k('targetOtr'), 'a number in [0.001, 1000000] (the core takes thousandths), or false for no OTR budget', targetOtr);
  }
  const ttlMs = numberIn(k('ttlMs'), get('ttlMs', 200), 0.001, 3_600_000);
  return {
    orderCapacity: integerIn(k('orderCapacity'), get('orderCapacity', 1024), 1, 65_536),
    ttlMs,
    ttlAction: oneOf(k('ttlAction'), get('ttlAction', 'cancel'), ['cancel', 'reprice'] as const, '"cancel" or "reprice"'),
    signalGain: numberIn(k('signalGain'), get('signalGain', 1), 0, 100),
    targetOtr: targetOtr === false ? null : targetOtr as number,
    tradeRateFloor: numberIn(k('tradeRateFloor'), get('tradeRateFloor', 0), 0, 1_000_000),
    tradeRateHalfLifeMs: numberIn(k('tradeRateHalfLifeMs'), get('tradeRateHalfLifeMs', 5000), 0, 86_400_000, true),
    flattenCollarTicks: integerIn(k('flattenCollarTicks'), get('flattenCollarTicks', 10), 0, 1_000_000),
    strategy,
    risk: riskTable as Partial<RiskConfig>,
    broker,
    rttWatchdog: sentinel.rttWatchdog,
    rttProbe,
    circuitBreaker: sentinel.circuitBreaker,
    costProfile: costProfile as string,
    costs,
    otr: options.otr ?? DEFAULT_OTR_CONFIG,
    openingBanSeconds: options.openingBanSeconds ?? 900,
    day: dayNumber(date, 'date'),
  };
}

/** One traded symbol as the stage knows it (block order = index). */
export interface ExecSymbol {
  readonly name: string;
  /** The venue's symbol id (docs/protocol.md). */
  readonly symbolId: number;
  readonly tickPaise: number;
  readonly lotSize: number;
}

function maxSymbolId(symbols: readonly ExecSymbol[]): number {
  return Math.max(1, ...symbols.map((s) => s.symbolId));
}

/** Bytes of the execution region for `cfg` and `symbols` (place it with the memory map, 64-byte aligned). */
export function executionBytes(core: Pick<CoreExports, 'execBytes'>, cfg: ExecutionConfig, symbols: readonly ExecSymbol[]): number {
  if (symbols.length < 1 || symbols.length > 128) throw new ConfigError('symbols', 'between 1 and 128 symbols', symbols.length);
  const bytes = core.execBytes(
    symbols.length, cfg.orderCapacity, maxSymbolId(symbols), cfg.broker.perSecond, cfg.broker.perMinute, cfg.circuitBreaker.maxRejects,
  );
  if (bytes === 0) throw new ConfigError('symbols', 'symbol ids in [0, 65535]', symbols.map((s) => s.symbolId));
  return bytes;
}

/** A core call the core refused while configuring the stage. */
export class ExecutionInitError extends Error {
  override readonly name = 'ExecutionInitError';
  constructor(readonly call: string, readonly status: number) {
    const hit = Object.entries(ExecStatus).find(([, v]) => v === status);
    super(`${call} failed with status ${status} (${hit ? hit[0] : 'unknown'})`);
  }
}

function ok(call: string, status: number): void {
  if (status !== ExecStatus.OK) throw new ExecutionInitError(call, status);
}

const msNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

/**
 * Lays out the region at `state` (executionBytes bytes, 64-byte aligned) and configures every
 * sub-module from `cfg` with its own host init at the core's addresses, then the symbols, the
 * strategy and the stage's parameters. Throws ConfigError (a bad risk key for these symbols, no cost
 * profile) or ExecutionInitError.
 */
export function initExecution(core: CoreExports, state: number, cfg: ExecutionConfig, symbols: readonly ExecSymbol[], nowNs: bigint): void {
  if (cfg.costs === null) {
    throw new ConfigError('execution.costProfile', 'resolved against the cost profiles (resolveExecutionConfig with options.profiles)', cfg.costProfile);
  }
  executionBytes(core, cfg, symbols);
  const odd = cfg.strategy.kind === 'none' ? undefined : symbols.find((s) => cfg.strategy.qty % s.lotSize !== 0);
  if (odd !== undefined) {
    throw new ConfigError('execution.strategy.qty', `a multiple of every symbol's lot size (${odd.name}: ${odd.lotSize})`, cfg.strategy.qty);
  }
  const names = symbols.map((s) => s.name);
  const risk = resolveRiskConfig(cfg.risk, names, 'execution.risk');
  ok('execInit', core.execInit(
    state, symbols.length, cfg.orderCapacity, maxSymbolId(symbols), cfg.broker.perSecond, cfg.broker.perMinute,
    cfg.circuitBreaker.maxRejects, nowNs,
  ));
  symbols.forEach((s, i) => ok(`execSetSymbol(${s.name})`, core.execSetSymbol(state, i, s.symbolId, s.tickPaise, s.lotSize)));
  const ot = core.execOrderTableAddress(state);
  if (core.orderTableInit(ot, cfg.orderCapacity, maxSymbolId(symbols), msNs(cfg.ttlMs)) !== 0) throw new ExecutionInitError('orderTableInit', -1);
  writeRiskLimits(core, core.execRiskAddress(state), risk);
  initBrokerWindows(core, core.execBrokerWindowsAddress(state), cfg.broker);
  // The broker windows are the rate limit; flood control keeps the OTR budget and the opening ban,
  // so its bucket is set never to bind (host/modules/broker-windows.ts).
  initFloodControl(core, core.execFloodAddress(state), { ordersPerSecond: 1000, burst: 1_000_000, openingBanSeconds: cfg.openingBanSeconds }, nowNs);
  initOtrLedger(core, core.execOtrAddress(state), cfg.otr);
  writeCostProfile(core, core.execCostAddress(state), cfg.costs);
  initRttWatchdog(core, core.execRttAddress(state), cfg.rttWatchdog);
  initCircuitBreaker(core, core.execBreakerAddress(state), cfg.circuitBreaker);
  const st = cfg.strategy;
  ok('execSetStrategy', core.execSetStrategy(state, STRATEGY_CODE[st.kind], st.qty, st.threshold, st.window, st.k, st.offsetTicks));
  const param = (name: keyof typeof ExecParam, v: bigint): void => ok(`execSetParam(${name})`, core.execSetParam(state, ExecParam[name], v));
  param('TTL_NS', msNs(cfg.ttlMs));
  param('NEV_HORIZON_NS', msNs(cfg.ttlMs));
  param('TTL_ACTION', BigInt(cfg.ttlAction === 'reprice' ? ExecTtlAction.REPRICE : ExecTtlAction.CANCEL));
  param('NEV_GAIN_MILLI', BigInt(Math.round(cfg.signalGain * 1000)));
  param('TARGET_OTR_MILLI', cfg.targetOtr === null ? -1n : BigInt(Math.floor(cfg.targetOtr * 1000)));
  param('TRADE_RATE_FLOOR_MILLI', BigInt(Math.round(cfg.tradeRateFloor * 1000)));
  param('DAY', BigInt(cfg.day));
  param('TRADE_RATE_HALF_LIFE_NS', msNs(cfg.tradeRateHalfLifeMs));
  param('PROBE_INTERVAL_NS', msNs(cfg.rttProbe.intervalMs));
  param('PROBE_IDLE_NS', msNs(cfg.rttProbe.idleMs));
}

/** One command of the buffer, decoded (tests, logs; allocates: not for the hot path). */
export interface ExecCommandView {
  readonly type: 'new' | 'cancel' | 'replace' | 'probe';
  readonly side: number;
  readonly kind: number;
  readonly tif: number;
  readonly symbolId: number;
  readonly clOrdId: bigint;
  readonly origClOrdId: bigint;
  readonly priceTicks: number;
  readonly qty: number;
}

const TYPE_NAMES: Readonly<Record<number, ExecCommandView['type']>> = {
  [ExecCommand.NEW]: 'new', [ExecCommand.CANCEL]: 'cancel', [ExecCommand.REPLACE]: 'replace', [ExecCommand.PROBE]: 'probe',
};

/** The commands now in the buffer, decoded. */
export function readCommands(core: CoreExports, state: number): ExecCommandView[] {
  const n = core.execCommandCount(state);
  const base = core.execCommandAddress(state);
  const view = new DataView(core.memory.buffer);
  const out: ExecCommandView[] = [];
  for (let i = 0; i < n; i++) {
    const at = base + i * ExecCommandLayout.BYTES;
    out.push({
      type: TYPE_NAMES[view.getUint8(at + ExecCommandLayout.type)]!,
      side: view.getUint8(at + ExecCommandLayout.side),
      kind: view.getUint8(at + ExecCommandLayout.kind),
      tif: view.getUint8(at + ExecCommandLayout.tif),
      symbolId: view.getUint32(at + ExecCommandLayout.symbolId, true),
      clOrdId: view.getBigUint64(at + ExecCommandLayout.clOrdId, true),
      origClOrdId: view.getBigUint64(at + ExecCommandLayout.origClOrdId, true),
      priceTicks: view.getInt32(at + ExecCommandLayout.priceTicks, true),
      qty: view.getInt32(at + ExecCommandLayout.qty, true),
    });
  }
  return out;
}

/** The stage's counters as plain data (telemetry). */
export interface ExecutionSnapshot {
  readonly trading_state: keyof typeof TradingState;
  readonly reason: keyof typeof TradingStateReason;
  readonly refusals: Readonly<Record<string, number>>;
  readonly ignored_reports: number;
  readonly waiting_cancels: number;
  readonly cancels_waited: number;
  readonly new_orders: bigint;
  readonly cancels: bigint;
  readonly replaces: bigint;
  readonly fills: bigint;
  readonly rejects: number;
  readonly last_nev_paise: number;
  readonly next_deadline_ns: bigint | null;
}

const nameOf = <T extends Record<string, number>>(table: T, code: number): keyof T =>
  (Object.keys(table) as (keyof T)[]).find((k) => table[k] === code) ?? (String(code) as keyof T);

export function readExecution(core: CoreExports, state: number): ExecutionSnapshot {
  const refusals: Record<string, number> = {};
  for (const [name, code] of Object.entries(RiskRefusal)) if (code !== 0) refusals[name] = core.execRefusals(state, code) >>> 0;
  for (const [name, code] of Object.entries(ExecRefusal)) refusals[name] = core.execRefusals(state, code) >>> 0;
  const deadline = core.execNextDeadline(state);
  return {
    trading_state: nameOf(TradingState, core.execTradingState(state)),
    reason: nameOf(TradingStateReason, core.execTradingReason(state)),
    refusals,
    ignored_reports: core.execIgnoredReports(state) >>> 0,
    waiting_cancels: core.execWaitingCancels(state) >>> 0,
    cancels_waited: core.execCancelsWaited(state) >>> 0,
    new_orders: core.execEmitted(state, 1),
    cancels: core.execEmitted(state, 2),
    replaces: core.execEmitted(state, 3),
    fills: core.execEmitted(state, 4),
    rejects: core.execRejects(state) >>> 0,
    last_nev_paise: core.execLastNev(state),
    next_deadline_ns: deadline === 2n ** 63n - 1n ? null : deadline,
  };
}

export { DEFAULT_BROKER_WINDOWS, SENTINEL_DEFAULTS };
