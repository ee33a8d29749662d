// Host side of the queue-position models (wasm-core/queue-position.ts; docs/queue-models.md): config
// validation naming the key, the table's memory-map entry, and typed calls that turn the core's status
// codes into QueuePositionError. The simulator's hot loop may call the core directly (queueApply on an
// L2 event record in memory); this wrapper converts numbers to the core's bigint lots, so it allocates.
import { ConfigError } from '../config/config-error.js';
import { integerIn, numberIn, objectWithKeys, oneOf } from '../config/validate.js';
import type { CoreExports } from '../core/core.js';
import { QueueModel, QueueStatus } from '../../build/core-constants.js';

export { QueueModel, QueueStatus };

/** The config names of the models, in QueueModel order. */
export const QUEUE_MODELS = ['conservative', 'power', 'log'] as const;
export type QueueModelName = (typeof QUEUE_MODELS)[number];

export const MAX_QUEUE_SLOTS = 65_536;
export const MAX_QUEUE_EXPONENT = 16;
/** Rigtorp's and hftbacktest's plain proportional split (f(x) = x) unless the config says otherwise. */
export const DEFAULT_QUEUE_EXPONENT = 1;

export interface QueueConfig {
  /** conservative: only trades at our price move us; power: f(x) = x^exponent; log: f(x) = ln(1 + x). */
  readonly model: QueueModelName;
  /** n of the power model, in (0, 16]; only allowed with model = "power". */
  readonly exponent?: number;
  /** How many of our orders the table can hold at once, 1..65 536. */
  readonly slots: number;
}

export interface ResolvedQueueConfig {
  readonly model: QueueModelName;
  /** The power model's n; 0 for the others. */
  readonly exponent: number;
  readonly slots: number;
}

/**
 * Checks a queue-model config (a parsed TOML table or a literal) and fills the default exponent. Errors
 * name `<path>.<key>`, the allowed values and the value given.
 */
export function resolveQueueConfig(v: unknown, path = 'queue'): ResolvedQueueConfig {
  const t = objectWithKeys(path, v, ['model', 'exponent', 'slots']);
  const model = oneOf(`${path}.model`, t.model, QUEUE_MODELS);
  const slots = integerIn(`${path}.slots`, t.slots, 1, MAX_QUEUE_SLOTS);
  if (model !== 'power') {
    if (t.exponent !== undefined) throw new ConfigError(`${path}.exponent`, 'absent unless model = "power"', t.exponent);
    return { model, exponent: 0, slots };
  }
  const exponent = t.exponent === undefined
    ? DEFAULT_QUEUE_EXPONENT
    : numberIn(`${path}.exponent`, t.exponent, 0, MAX_QUEUE_EXPONENT, true);
  return { model, exponent, slots };
}

const MODEL_CODE: Record<QueueModelName, number> = {
  conservative: QueueModel.CONSERVATIVE,
  power: QueueModel.POWER,
  log: QueueModel.LOG,
};

/** A memory-map state entry for one table. */
export function queueStatePlan(core: Pick<CoreExports, 'queueBytes'>, name: string, slots: number): { name: string; bytes: number } {
  return { name, bytes: core.queueBytes(slots) };
}

const STATUS_TEXT = new Map<number, string>(
  (Object.entries(QueueStatus) as [string, number][]).map(([name, code]) => [code, name]),
);

/** A core call that answered a negative status: `status` is the code, `reason` its QueueStatus name. */
export class QueuePositionError extends Error {
  override readonly name = 'QueuePositionError';
  readonly reason: string;
  constructor(readonly call: string, readonly status: number) {
    const reason = STATUS_TEXT.get(status) ?? `unknown status ${status}`;
    super(`${call}: ${reason}`);
    this.reason = reason;
  }
}

type QueueExports = Pick<CoreExports,
  'queueBytes' | 'queueInit' | 'queuePlace' | 'queueCancel' | 'queueOnLevel' | 'queueOnTrade' | 'queueApply'
  | 'queueResting' | 'queueAhead' | 'queueRemaining' | 'queueLastFill' | 'queueFilled'>;

/** One table of our resting orders in the core, at `state` (8-byte aligned, queueBytes(slots) long). */
export class QueuePositions {
  readonly config: ResolvedQueueConfig;

  constructor(private readonly core: QueueExports, readonly state: number, config: unknown) {
    this.config = resolveQueueConfig(config);
    const status = core.queueInit(state, this.config.slots, MODEL_CODE[this.config.model], this.config.exponent);
    if (status !== QueueStatus.OK) throw new QueuePositionError(`queueInit(${state})`, status);
  }

  /** Rests `qty` lots at (side, price) in `slot`, behind the `levelQty` lots the level shows now. */
  place(slot: number, side: number, price: number, qty: number, levelQty: number): void {
    const status = this.core.queuePlace(this.state, slot, side, price, BigInt(qty), BigInt(levelQty));
    if (status !== QueueStatus.OK) throw new QueuePositionError(`queuePlace(slot ${slot}, side ${side}, price ${price}, qty ${qty}, level ${levelQty})`, status);
  }

  cancel(slot: number): void {
    const status = this.core.queueCancel(this.state, slot);
    if (status !== QueueStatus.OK) throw new QueuePositionError(`queueCancel(slot ${slot})`, status);
  }

  /** The level at (side, price) now totals `qty` lots. */
  onLevel(side: number, price: number, qty: number): void {
    this.core.queueOnLevel(this.state, side, price, BigInt(qty));
  }

  /** `qty` lots traded at `price`, the taker on `aggressor`'s side: our lots it filled, over every slot. */
  onTrade(aggressor: number, price: number, qty: number): number {
    return Number(this.core.queueOnTrade(this.state, aggressor, price, BigInt(qty)));
  }

  /** Applies the 24-byte L2 event record at memory offset `record` (host/sim/l2-events.ts): our lots it filled. */
  apply(record: number): number {
    return Number(this.core.queueApply(this.state, record));
  }

  resting(slot: number): boolean {
    this.checkSlot(slot);
    return this.core.queueResting(this.state, slot) === 1;
  }

  /** Lots estimated ahead of the order in `slot` (fractional in the power and log models). */
  ahead(slot: number): number {
    this.checkSlot(slot);
    return this.core.queueAhead(this.state, slot);
  }

  remaining(slot: number): number {
    this.checkSlot(slot);
    return Number(this.core.queueRemaining(this.state, slot));
  }

  /** Lots of `slot` the last level or trade event filled. */
  lastFill(slot: number): number {
    this.checkSlot(slot);
    return Number(this.core.queueLastFill(this.state, slot));
  }

  filled(slot: number): number {
    this.checkSlot(slot);
    return Number(this.core.queueFilled(this.state, slot));
  }

  // The readers do not bounds-check in the core (they sit on the hot path); a wrong slot here is a bug.
  private checkSlot(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.config.slots) {
      throw new RangeError(`slot must be an integer in [0, ${this.config.slots - 1}], got ${slot}`);
    }
  }
}
