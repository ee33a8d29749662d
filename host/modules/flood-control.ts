// Host side of the flood controller (wasm-core/flood-control.ts): typed exports, config validation, layout.
//
// One controller per exchange segment (the broker's orders-per-second limit is per segment), each
// its own state block. floodTry answers 0 or a mask of FloodDecision bits.
import { integerIn } from '../config/validate.js';

import type { CoreExports } from '../core/core.js';
import { FloodDecision } from '../../build/core-constants.js';

export { FloodDecision };
export type FloodDenyReason = Exclude<keyof typeof FloodDecision, 'ALLOW'>;

const DENIAL_TEXT: Record<FloodDenyReason, string> = {
  DENY_RATE: 'order rate limit (orders per second)',
  DENY_OTR_BUDGET: 'OTR budget exhausted',
  DENY_OPENING_BAN: 'opening ban (third day at OTR >= ban level within the window)',
  DENY_CLOCK_BACKWARDS: 'clock went backwards',
  DENY_BAD_REQUEST: 'bad request (messages < 1)',
};

/** Pass as `ledger` to check the rate only. */
export const NO_LEDGER = 0;
/** Pass as `targetOtrMilli` to skip the OTR budget (messages known to be exempt). */
export const NO_OTR_TARGET = -1;
/** Nano-tokens per message. */
export const NANO_TOKENS = 1_000_000_000n;

/** The reasons set in a floodTry answer, in bit order. */
export function floodDenyReasons(decision: number): FloodDenyReason[] {
  return (Object.keys(DENIAL_TEXT) as FloodDenyReason[]).filter((r) => (decision & FloodDecision[r]) !== 0);
}

/** 'allowed', or the reasons joined with '; '. */
export function describeFloodDenial(decision: number): string {
  if (decision === FloodDecision.ALLOW) return 'allowed';
  const unknown = decision & ~0x1f;
  const parts = floodDenyReasons(decision).map((r) => DENIAL_TEXT[r]);
  if (unknown !== 0) parts.push(`unknown bits 0x${unknown.toString(16)}`);
  return `denied: ${parts.join('; ')}`;
}

export interface FloodConfig {
  /** The broker's limit per exchange segment (SEBI: above 10 an algo must be registered). */
  readonly ordersPerSecond: number;
  /** Messages the bucket holds; defaults to ordersPerSecond. 1 keeps any sliding second at the limit. */
  readonly burst?: number;
  /** Length of the opening ban after session open, in seconds (15 minutes). */
  readonly openingBanSeconds: number;
}

export const DEFAULT_FLOOD_CONFIG: FloodConfig = { ordersPerSecond: 10, openingBanSeconds: 900 };
export const MAX_ORDERS_PER_SECOND = 1000;
export const MAX_BURST = 1_000_000;

export interface ResolvedFloodConfig {
  readonly ordersPerSecond: number;
  readonly burst: number;
  readonly openingBanSeconds: number;
}

/** Fills defaults and checks every key (errors name `flood.<key>`). */
export function resolveFloodConfig(partial: Partial<FloodConfig> = {}): ResolvedFloodConfig {
  const c = { ...DEFAULT_FLOOD_CONFIG, ...partial };
  const ordersPerSecond = integerIn('flood.ordersPerSecond', c.ordersPerSecond, 1, MAX_ORDERS_PER_SECOND);
  const burst = c.burst === undefined ? ordersPerSecond : integerIn('flood.burst', c.burst, 1, MAX_BURST);
  const openingBanSeconds = integerIn('flood.openingBanSeconds', c.openingBanSeconds, 0, 86_400);
  return { ordersPerSecond, burst, openingBanSeconds };
}

/** Validates and writes the controller at `state`; the bucket starts full at `nowNs`. */
export function initFloodControl(
  core: CoreExports, state: number, partial: Partial<FloodConfig> = {}, nowNs = 0n,
): ResolvedFloodConfig {
  const c = resolveFloodConfig(partial);
  const status = core.floodInit(state, c.ordersPerSecond, c.burst, BigInt(c.openingBanSeconds) * 1_000_000_000n, nowNs);
  if (status !== 0) throw new Error(`floodInit(${state}) failed with status ${status}`);
  return c;
}

/** A memory-map state entry for one controller. */
export function floodStatePlan(core: Pick<CoreExports, 'floodBytes'>, name: string): { name: string; bytes: number } {
  return { name, bytes: core.floodBytes() };
}

export interface FloodSnapshot {
  readonly orders_per_second: number;
  readonly burst: number;
  /** Whole messages the bucket would allow at nowNs. */
  readonly tokens: number;
  readonly session_day: number | null;
  readonly allowed_messages: number;
  readonly denials: Readonly<Record<FloodDenyReason, number>>;
}

/** The controller as plain JSON-ready data at `nowNs`. */
export function readFlood(core: CoreExports, state: number, nowNs: bigint): FloodSnapshot {
  const day = core.floodSessionDay(state);
  const denials = Object.fromEntries(
    (Object.keys(DENIAL_TEXT) as FloodDenyReason[]).map((r) => [r, core.floodDenials(state, FloodDecision[r]) >>> 0]),
  ) as Record<FloodDenyReason, number>;
  return {
    orders_per_second: core.floodOrdersPerSecond(state),
    burst: core.floodBurst(state),
    tokens: Number(core.floodTokensNano(state, nowNs) / NANO_TOKENS),
    session_day: day < 0 ? null : day,
    allowed_messages: core.floodAllowedMessages(state) >>> 0,
    denials,
  };
}
