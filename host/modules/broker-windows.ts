// Host side of the broker's order-rate windows (wasm-core/broker-windows.ts): config validation, the
// state block's size and init, readers for telemetry.
//
// One block per broker account (the broker counts new, modify and cancel messages together). How it
// composes with flood control in the execution stage: the windows are the broker's rate limit, flood
// control (wasm-core/flood-control.ts) keeps the OTR budget and the opening ban. Ask the windows
// first without recording (brokerWindowsNextFree(now, m) === now), then floodTry (which takes its
// tokens), then brokerWindowsTry (which then allows and records), so neither counts a message that
// was not sent; give flood control a rate and burst that never bind before the windows (e.g. its
// maximum, 1000/s) so its bucket does not shadow them.
import { ConfigError } from '../config/config-error.js';
import { integerIn } from '../config/validate.js';

import type { CoreExports } from '../core/core.js';
import { BrokerWindow, BrokerWindowsStatus } from '../../build/core-constants.js';
import { RiskRefusal } from '../model/vocabulary.js';

export { BrokerWindow, BrokerWindowsStatus };

export interface BrokerWindowsConfig {
  /** Messages in any sliding second window (0 = none). */
  readonly perSecond: number;
  /** Messages in any sliding minute window (0 = none). */
  readonly perMinute: number;
  /** Messages per trading day (0 = none); the day starts at brokerWindowsNewDay. */
  readonly perDay: number;
  /** Length of the "second" window in ms (1000; a broker may define its own). */
  readonly secondWindowMs: number;
  /** Length of the "minute" window in ms (60 000; 1 800 000 for a broker's "2000 per 30 min"). */
  readonly minuteWindowMs: number;
}

/** A common retail broker's limits: 10/s, 400/min, 5000/day, new + modify + cancel together. */
export const DEFAULT_BROKER_WINDOWS: BrokerWindowsConfig = {
  perSecond: 10, perMinute: 400, perDay: 5000, secondWindowMs: 1000, minuteWindowMs: 60_000,
};
/** Largest sliding cap: its ring holds that many send times (8 bytes each). */
export const MAX_SLIDING_CAP = 100_000;
export const MAX_DAY_CAP = 1_000_000_000;
/** Seven days, the core's longest sliding window. */
export const MAX_WINDOW_MS = 7 * 86_400_000;

const MS = 1_000_000n;

/** Fills defaults and checks every key (errors name `broker.<key>`). */
export function resolveBrokerWindowsConfig(partial: Partial<BrokerWindowsConfig> = {}, path = 'broker'): BrokerWindowsConfig {
  for (const k of Object.keys(partial)) {
    if (!(k in DEFAULT_BROKER_WINDOWS)) {
      throw new ConfigError(`${path}.${k}`, `a known key (${Object.keys(DEFAULT_BROKER_WINDOWS).join(', ')})`, k);
    }
  }
  const c = { ...DEFAULT_BROKER_WINDOWS, ...partial };
  const perSecond = integerIn(`${path}.perSecond`, c.perSecond, 0, MAX_SLIDING_CAP, ' (0 = none)');
  const perMinute = integerIn(`${path}.perMinute`, c.perMinute, 0, MAX_SLIDING_CAP, ' (0 = none)');
  const perDay = integerIn(`${path}.perDay`, c.perDay, 0, MAX_DAY_CAP, ' (0 = none)');
  const secondWindowMs = integerIn(`${path}.secondWindowMs`, c.secondWindowMs, 1, MAX_WINDOW_MS);
  const minuteWindowMs = integerIn(`${path}.minuteWindowMs`, c.minuteWindowMs, secondWindowMs + 1, MAX_WINDOW_MS,
    ` (longer than ${path}.secondWindowMs)`);
  return { perSecond, perMinute, perDay, secondWindowMs, minuteWindowMs };
}

/** A memory-map state entry for one block sized for `config`'s caps. */
export function brokerWindowsStatePlan(
  core: Pick<CoreExports, 'brokerWindowsBytes'>, name: string, config: BrokerWindowsConfig,
): { name: string; bytes: number } {
  return { name, bytes: core.brokerWindowsBytes(config.perSecond, config.perMinute) };
}

/** Validates and writes the block at `state` (sized by brokerWindowsStatePlan for the same config). */
export function initBrokerWindows(
  core: CoreExports, state: number, partial: Partial<BrokerWindowsConfig> = {},
): BrokerWindowsConfig {
  const c = resolveBrokerWindowsConfig(partial);
  const status = core.brokerWindowsInit(
    state, c.perSecond, c.perMinute, BigInt(c.perDay), BigInt(c.secondWindowMs) * MS, BigInt(c.minuteWindowMs) * MS,
  );
  if (status !== BrokerWindowsStatus.OK) throw new Error(`brokerWindowsInit(${state}) failed with status ${status}`);
  return c;
}

export type RateRefusal = 'RATE_PER_SECOND' | 'RATE_PER_MINUTE' | 'RATE_PER_DAY';
const RATE_REFUSALS: readonly RateRefusal[] = ['RATE_PER_SECOND', 'RATE_PER_MINUTE', 'RATE_PER_DAY'];

/** 'allowed', the refusing window, or the bad call, for logs. */
export function describeBrokerWindowsAnswer(answer: number): string {
  if (answer === 0) return 'allowed';
  if (answer === RiskRefusal.RATE_PER_SECOND) return 'refused: broker messages per second';
  if (answer === RiskRefusal.RATE_PER_MINUTE) return 'refused: broker messages per minute';
  if (answer === RiskRefusal.RATE_PER_DAY) return 'refused: broker messages per day';
  if (answer === BrokerWindowsStatus.CLOCK_BACKWARDS) return 'refused: clock went backwards';
  if (answer === BrokerWindowsStatus.BAD_REQUEST) return 'refused: messages outside 1..65535';
  return `unknown answer ${answer}`;
}

export interface WindowUsage {
  /** Messages counted in the window now. */
  readonly used: number;
  /** Its cap (0 = none). */
  readonly cap: number;
  /** used / cap (0 with no cap). */
  readonly utilisation: number;
  /** Window length in ms (null for the trading day). */
  readonly window_ms: number | null;
}

export interface BrokerWindowsSnapshot {
  readonly second: WindowUsage;
  readonly minute: WindowUsage;
  readonly day: WindowUsage;
  /** When one more message would be allowed (ns on the caller's clock), null when not today. */
  readonly next_free_ns: bigint | null;
  readonly allowed_messages: number;
  readonly days: number;
  readonly refusals: Readonly<Record<RateRefusal | 'CLOCK_BACKWARDS' | 'BAD_REQUEST', number>>;
}

function usage(core: CoreExports, state: number, window: number, nowNs: bigint): WindowUsage {
  const used = Number(core.brokerWindowsUsed(state, window, nowNs));
  const cap = Number(core.brokerWindowsCap(state, window));
  const length = core.brokerWindowsLengthNs(state, window);
  return { used, cap, utilisation: cap === 0 ? 0 : used / cap, window_ms: length < 0n ? null : Number(length / MS) };
}

/** The windows as plain JSON-ready data at `nowNs`. */
export function readBrokerWindows(core: CoreExports, state: number, nowNs: bigint): BrokerWindowsSnapshot {
  const next = core.brokerWindowsNextFree(state, nowNs, 1);
  const refusals = Object.fromEntries(RATE_REFUSALS.map((r) => [r, core.brokerWindowsRefusals(state, RiskRefusal[r]) >>> 0]));
  return {
    second: usage(core, state, BrokerWindow.SECOND, nowNs),
    minute: usage(core, state, BrokerWindow.MINUTE, nowNs),
    day: usage(core, state, BrokerWindow.DAY, nowNs),
    next_free_ns: next < 0n ? null : next,
    allowed_messages: Number(core.brokerWindowsAllowed(state)),
    days: core.brokerWindowsDays(state) >>> 0,
    refusals: {
      ...refusals,
      CLOCK_BACKWARDS: core.brokerWindowsRefusals(state, BrokerWindowsStatus.CLOCK_BACKWARDS) >>> 0,
      BAD_REQUEST: core.brokerWindowsRefusals(state, BrokerWindowsStatus.BAD_REQUEST) >>> 0,
    } as BrokerWindowsSnapshot['refusals'],
  };
}
