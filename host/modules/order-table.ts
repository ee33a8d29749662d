// Host side of the working-order table (wasm-core/order-table.ts): config validation, sizing, typed
// reads for telemetry and tests.
//
// The transitions (orderTableOpen, OnAck, OnFill, OnReject, Cancel, OnCanceled, Replace, OnReplaced)
// are called directly on the core by the execution stage: they return the order's slot (≥ 0) or an
// OrderTableStatus, and count every refusal per OrderTableEvent. Ids are the gateway's clOrdIds as
// bigint (u64 in the core).
import { integerIn, numberIn } from '../config/validate.js';
import type { CoreExports } from '../core/core.js';
import { OrderTableEvent, OrderTableStatus } from '../../build/core-constants.js';
import { OrderState } from '../model/vocabulary.js';

export { OrderTableEvent, OrderTableStatus };
export type OrderTableEventName = keyof typeof OrderTableEvent;

const STATUS_TEXT: Record<number, string> = {
  [OrderTableStatus.BAD_CONFIG]: 'bad order-table config',
  [OrderTableStatus.MISALIGNED]: 'order-table state is not 8-byte aligned',
  [OrderTableStatus.FULL]: 'order table full',
  [OrderTableStatus.DUPLICATE_ID]: 'client order id already in the table',
  [OrderTableStatus.BAD_ARGUMENT]: 'bad argument',
  [OrderTableStatus.UNKNOWN_ORDER]: 'unknown or finished order',
  [OrderTableStatus.NOT_ALLOWED]: 'transition not allowed from the order\'s state',
  [OrderTableStatus.OVERFILL]: 'fill larger than the order\'s leaves',
};

/** 'ok' for a slot or OK, else what the status means. */
export function describeOrderTableStatus(status: number): string {
  if (status >= 0) return 'ok';
  return STATUS_TEXT[status] ?? `unknown status ${status}`;
}

/** A refused order-table call, for callers that want to throw (tests, tools): the hot path reads the status. */
export class OrderTableError extends Error {
  override readonly name = 'OrderTableError';
  constructor(readonly status: number, what: string) {
    super(`${what}: ${describeOrderTableStatus(status)} (status ${status})`);
  }
}

export type OrderStateName = keyof typeof OrderState;
/** OrderState names by code, for readable snapshots. */
const STATE_NAME: readonly OrderStateName[] = (() => {
  const names: OrderStateName[] = [];
  for (const [name, code] of Object.entries(OrderState)) names[code] = name as OrderStateName;
  return names;
})();

export interface OrderTableConfig {
  /** Slots: the most orders working at once (new, resting, or with a cancel/replace pending). */
  readonly capacity: number;
  /** Highest symbol id the table counts per symbol (the venue numbers symbols 1..N). */
  readonly maxSymbolId: number;
  /** Time-to-live of a resting order, from its ack (the 200 ms rule); fractions allowed, ≥ 1 µs. */
  readonly ttlMs: number;
}

export const DEFAULT_ORDER_TABLE_CONFIG: OrderTableConfig = { capacity: 4096, maxSymbolId: 255, ttlMs: 200 };
export const MAX_ORDER_TABLE_CAPACITY = 65536;
export const MAX_SYMBOL_ID = 65535;
/** One hour: a longer TTL is a misplaced unit, not a strategy. */
export const MAX_TTL_MS = 3_600_000;

export interface ResolvedOrderTableConfig extends OrderTableConfig {
  readonly ttlNs: bigint;
}

/** Fills defaults and checks every key (errors name `orders.<key>`). */
export function resolveOrderTableConfig(partial: Partial<OrderTableConfig> = {}): ResolvedOrderTableConfig {
  const c = { ...DEFAULT_ORDER_TABLE_CONFIG, ...partial };
  const capacity = integerIn('orders.capacity', c.capacity, 1, MAX_ORDER_TABLE_CAPACITY);
  const maxSymbolId = integerIn('orders.maxSymbolId', c.maxSymbolId, 1, MAX_SYMBOL_ID);
  const ttlMs = numberIn('orders.ttlMs', c.ttlMs, 0.001, MAX_TTL_MS);
  return { capacity, maxSymbolId, ttlMs, ttlNs: BigInt(Math.round(ttlMs * 1_000_000)) };
}

/** A memory-map state entry for the table. */
export function orderTableStatePlan(
  core: Pick<CoreExports, 'orderTableBytes'>, name: string, partial: Partial<OrderTableConfig> = {},
): { name: string; bytes: number } {
  const c = resolveOrderTableConfig(partial);
  return { name, bytes: core.orderTableBytes(c.capacity, c.maxSymbolId) };
}

/** Validates and writes an empty table at `state`. */
export function initOrderTable(core: CoreExports, state: number, partial: Partial<OrderTableConfig> = {}): ResolvedOrderTableConfig {
  const c = resolveOrderTableConfig(partial);
  const status = core.orderTableInit(state, c.capacity, c.maxSymbolId, c.ttlNs);
  if (status !== OrderTableStatus.OK) throw new OrderTableError(status, `orderTableInit(${state})`);
  return c;
}

export interface OrderView {
  readonly slot: number;
  readonly state: OrderStateName;
  readonly clOrdId: bigint;
  readonly pendingId: bigint | null;
  readonly exchOrderId: bigint | null;
  readonly symbol: number;
  readonly side: number;
  readonly kind: number;
  readonly tif: number;
  readonly price: number;
  readonly qty: number;
  readonly cumQty: number;
  readonly leaves: number;
  readonly pendingPrice: number | null;
  readonly pendingQty: number | null;
  readonly sentNs: bigint;
  readonly ackNs: bigint | null;
  readonly deadlineNs: bigint | null;
}

const I64_MAX = (1n << 63n) - 1n;

/** The order in `slot` (its last order once freed), or null for a slot never used or out of range. */
export function readOrder(core: CoreExports, state: number, slot: number): OrderView | null {
  const st = core.orderTableState(state, slot);
  if (st < 0) return null;
  const pendingId = core.orderTablePendingId(state, slot);
  const exch = core.orderTableExchOrderId(state, slot);
  const ack = core.orderTableAckNs(state, slot);
  const deadline = core.orderTableDeadline(state, slot);
  const replacing = st === OrderState.PENDING_REPLACE;
  return {
    slot,
    state: STATE_NAME[st]!,
    clOrdId: core.orderTableClOrdId(state, slot),
    pendingId: pendingId === 0n ? null : pendingId,
    exchOrderId: exch === 0n ? null : exch,
    symbol: core.orderTableSymbol(state, slot),
    side: core.orderTableSide(state, slot),
    kind: core.orderTableKind(state, slot),
    tif: core.orderTableTif(state, slot),
    price: core.orderTablePrice(state, slot),
    qty: core.orderTableQty(state, slot),
    cumQty: core.orderTableCumQty(state, slot),
    leaves: core.orderTableLeaves(state, slot),
    pendingPrice: replacing ? core.orderTablePendingPrice(state, slot) : null,
    pendingQty: replacing ? core.orderTablePendingQty(state, slot) : null,
    sentNs: core.orderTableSentNs(state, slot),
    ackNs: core.orderTableAcked(state, slot) === 0 ? null : ack,
    deadlineNs: deadline === I64_MAX ? null : deadline,
  };
}

/** The working order whose current clOrdId is `clOrdId`, or null. */
export function findOrder(core: CoreExports, state: number, clOrdId: bigint): OrderView | null {
  const slot = core.orderTableFind(state, clOrdId);
  return slot < 0 ? null : readOrder(core, state, slot);
}

/** Slots of every working order, in slot order. */
export function workingSlots(core: CoreExports, state: number): number[] {
  const out: number[] = [];
  for (let s = core.orderTableNextLive(state, 0); s >= 0; s = core.orderTableNextLive(state, s + 1)) out.push(s);
  return out;
}

/** Slots of LIVE / PARTIALLY_FILLED orders whose deadline is ≤ nowNs, in slot order. */
export function expiredSlots(core: CoreExports, state: number, nowNs: bigint): number[] {
  const out: number[] = [];
  for (let s = core.orderTableExpired(state, nowNs, 0); s >= 0; s = core.orderTableExpired(state, nowNs, s + 1)) out.push(s);
  return out;
}

export interface OrderTableSnapshot {
  readonly capacity: number;
  readonly open: number;
  readonly opened: number;
  /** Earliest TTL deadline of a resting order, null when none. */
  readonly next_deadline_ns: bigint | null;
  readonly refused: Readonly<Record<OrderTableEventName, number>>;
  readonly overfills: number;
  readonly filled: number;
  readonly canceled: number;
  readonly replaced: number;
  readonly rejected: number;
}

/** The table's counters as plain data. */
export function readOrderTable(core: CoreExports, state: number): OrderTableSnapshot {
  const refused = Object.fromEntries(
    (Object.keys(OrderTableEvent) as OrderTableEventName[]).map((e) => [e, core.orderTableRefused(state, OrderTableEvent[e]) >>> 0]),
  ) as Record<OrderTableEventName, number>;
  const next = core.orderTableNextDeadline(state);
  const finals = (name: OrderStateName): number => core.orderTableFinals(state, OrderState[name]) >>> 0;
  return {
    capacity: core.orderTableCapacity(state) >>> 0,
    open: core.orderTableOpenCount(state) >>> 0,
    opened: core.orderTableOpened(state) >>> 0,
    next_deadline_ns: next === I64_MAX ? null : next,
    refused,
    overfills: core.orderTableOverfills(state) >>> 0,
    filled: finals('FILLED'),
    canceled: finals('CANCELED'),
    replaced: finals('REPLACED'),
    rejected: finals('REJECTED'),
  };
}
