// Host side of matching (wasm-core/matching.ts): its status and event constants (generated from the
// core into build/core-constants.ts), event decoding, config validation and the drain-and-resume helper. Sides, order kinds, times in force and NO_PRICE are the
// shared vocabulary (host/model/vocabulary.ts). Browser-safe (no Node imports).
//
// Event layout (64 bytes, little-endian; see the header of wasm-core/matching.ts):
//   +0 u8 type · +1 u8 side · +2 u8 reason · +3 u8 flags · +4 u32 clientRef · +8 i64 nowNs
//   +16 u32 id · +20 u32 id2 · +24 u32 owner · +28 u32 owner2 · +32 i32 price · +36 i32 qty
//   +40 i32 leaves · +44 i32 leaves2 · +48 i64 levelQty · +56 i32 levelPrice · +60 u32 levelOrders
// Every event with the LEVEL flag is an L2 delta (side, levelPrice, levelQty). A submit starts with
// one ACCEPTED or REJECTED; an order that rests at once sends only its ACCEPTED, with LEVEL set.
import type { CoreExports } from '../../core/core.js';
import { EventFlag, EventType, MatchCancelReason, MatchStatus, StpMode } from '../../../build/core-constants.js';
import { ConfigError } from '../../config/config-error.js';
import { NO_PRICE } from '../../model/vocabulary.js';

export { EventFlag, EventType, MatchCancelReason, MatchStatus, StpMode };

export type StpModeName = 'none' | 'cancel-taker' | 'cancel-maker' | 'cancel-both';
const STP_NAMES: readonly StpModeName[] = ['none', 'cancel-taker', 'cancel-maker', 'cancel-both'];

/**
 * The `reason` of a REJECTED event: −status of the refused call. Matching's own codes, not the wire
 * protocol's RejectReason (host/model/reasons.ts), which the venue maps them to.
 */
export const MatchRejectReason = {
  BAD_SIDE: -MatchStatus.BAD_SIDE, BAD_KIND: -MatchStatus.BAD_KIND, BAD_TIF: -MatchStatus.BAD_TIF,
  BAD_QTY: -MatchStatus.BAD_QTY, OUT_OF_BAND: -MatchStatus.OUT_OF_BAND,
  POST_ONLY_WOULD_CROSS: -MatchStatus.POST_ONLY_WOULD_CROSS, POOL_FULL: -MatchStatus.POOL_FULL,
  UNKNOWN_ORDER: -MatchStatus.UNKNOWN_ORDER,
} as const;

export const EVENT_BYTES = 64;
export const MAX_CAPACITY = 1 << 20;
export const MIN_LEVELS = 64;
export const MAX_LEVELS = 1 << 20;

export type EventTypeCode = (typeof EventType)[keyof typeof EventType];

/** One decoded event. Fields not used by a type are 0 (levelPrice NO_PRICE without `level`). */
export interface MatchEvent {
  readonly type: EventTypeCode;
  readonly side: number;
  readonly reason: number;
  readonly flags: number;
  readonly clientRef: number;
  readonly nowNs: bigint;
  /** The order; FILL: maker; REPLACED: old id; REJECTED: target id or 0. */
  readonly id: number;
  /** FILL: taker id; REPLACED: new id. */
  readonly id2: number;
  readonly owner: number;
  readonly owner2: number;
  readonly price: number;
  readonly qty: number;
  readonly leaves: number;
  readonly leaves2: number;
  /** True when the level fields describe a level this event changed (an L2 delta). */
  readonly level: boolean;
  /** The level's new total (< 2^53, exact as a number). */
  readonly levelQty: number;
  readonly levelPrice: number;
  readonly levelOrders: number;
  /** bits 2–3 of flags: tif of an ACCEPTED/REJECTED submit. */
  readonly tif: number;
  readonly market: boolean;
}

/** Decodes the event at `offset` of `view` (a DataView over the core's memory). */
export function readEvent(view: DataView, offset: number): MatchEvent {
  const flags = view.getUint8(offset + 3);
  return {
    type: view.getUint8(offset) as EventTypeCode,
    side: view.getUint8(offset + 1),
    reason: view.getUint8(offset + 2),
    flags,
    clientRef: view.getUint32(offset + 4, true),
    nowNs: view.getBigInt64(offset + 8, true),
    id: view.getUint32(offset + 16, true),
    id2: view.getUint32(offset + 20, true),
    owner: view.getUint32(offset + 24, true),
    owner2: view.getUint32(offset + 28, true),
    price: view.getInt32(offset + 32, true),
    qty: view.getInt32(offset + 36, true),
    leaves: view.getInt32(offset + 40, true),
    leaves2: view.getInt32(offset + 44, true),
    level: (flags & EventFlag.LEVEL) !== 0,
    levelQty: view.getUint32(offset + 48, true) + view.getInt32(offset + 52, true) * 4294967296,
    levelPrice: view.getInt32(offset + 56, true),
    levelOrders: view.getUint32(offset + 60, true),
    tif: (flags >> 2) & 3,
    market: (flags & EventFlag.MARKET) !== 0,
  };
}

const STATUS_TEXT: Record<number, string> = {
  [-1]: 'bad side', [-2]: 'bad order kind', [-3]: 'bad time in force', [-4]: 'quantity must be > 0',
  [-5]: 'price outside the band', [-6]: 'post-only order would cross', [-7]: 'order pool full',
  [-8]: 'unknown or stale order id', [-9]: 'event ring full: drain it and call matchResume',
  [-10]: 'a call is parked: call matchResume first', [-11]: 'nothing to resume',
  [-20]: 'bad capacity', [-21]: 'bad levels', [-22]: 'misaligned state', [-23]: 'band outside i32', [-24]: 'bad STP mode',
};

export function describeMatchStatus(status: number): string {
  return status >= 0 ? 'ok' : (STATUS_TEXT[status] ?? `unknown status ${status}`);
}

export interface MatchingConfig {
  /** Resting orders the pool holds. */
  readonly capacity: number;
  /** Prices in the band: a power of two. */
  readonly levels: number;
  /** Lowest price of the band (the lower circuit limit), in ticks. */
  readonly basePrice: number;
  readonly stp: StpModeName;
}

/** Validates a matching config, naming the key (prefix e.g. 'matching' or 'venue.NIFTY'). */
export function validateMatchingConfig(c: MatchingConfig, prefix = 'matching'): MatchingConfig {
  const { capacity, levels, basePrice, stp } = c;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    throw new ConfigError(`${prefix}.capacity`, `an integer in [1, ${MAX_CAPACITY}]`, capacity);
  }
  if (!Number.isInteger(levels) || levels < MIN_LEVELS || levels > MAX_LEVELS || (levels & (levels - 1)) !== 0) {
    throw new ConfigError(`${prefix}.levels`, `a power of two in [${MIN_LEVELS}, ${MAX_LEVELS}]`, levels);
  }
  if (!Number.isInteger(basePrice) || basePrice <= NO_PRICE || basePrice + levels > 2147483647) {
    throw new ConfigError(`${prefix}.basePrice`, `an integer with basePrice + levels ≤ 2147483647`, basePrice);
  }
  if (!STP_NAMES.includes(stp)) throw new ConfigError(`${prefix}.stp`, `one of ${STP_NAMES.join(', ')}`, stp);
  return c;
}

export function stpModeCode(name: StpModeName): number {
  return STP_NAMES.indexOf(name);
}

/** State bytes for a validated config (for host/memory-map.ts `states`). */
export function matchingStateBytes(core: Pick<CoreExports, 'matchBytes'>, c: MatchingConfig): number {
  return core.matchBytes(validateMatchingConfig(c).capacity, c.levels);
}

/** Validates `c` and initialises the matching state at `state`. */
export function initMatching(core: CoreExports, state: number, c: MatchingConfig, prefix = 'matching'): void {
  validateMatchingConfig(c, prefix);
  const status = core.matchInit(state, c.capacity, c.levels, c.basePrice, stpModeCode(c.stp));
  if (status !== 0) throw new Error(`matchInit failed: ${describeMatchStatus(status)} (${status})`);
}

/**
 * Finishes a call that answered NEED_DRAIN: drains the ring with `drain` and resumes until the call
 * ends. Returns the call's final answer (id, 0, or a reject status).
 */
export function settle(core: Pick<CoreExports, 'matchResume'>, state: number, ring: number, status: number, drain: () => void): number {
  while (status === MatchStatus.NEED_DRAIN) {
    drain();
    status = core.matchResume(state, ring);
  }
  return status;
}

/** The ring calls the event reader needs (a subset of CoreExports). */
export interface RingReader {
  ringPeek(base: number): number;
  ringRelease(base: number): void;
}

/** Reads and releases every event in `ring`, oldest first. Returns how many. */
export function drainEvents(core: RingReader, memory: WebAssembly.Memory, ring: number, onEvent: (e: MatchEvent) => void): number {
  const view = new DataView(memory.buffer);
  let n = 0;
  for (let at = core.ringPeek(ring); at !== 0; at = core.ringPeek(ring)) {
    const e = readEvent(view, at);
    core.ringRelease(ring);
    onEvent(e);
    n++;
  }
  return n;
}
