// Requests in flight: each NewOrder, Cancel and Replace from its send until its first answer (Ack or
// Reject for a NewOrder, Canceled or Reject for a Cancel, Replaced or Reject for a Replace: all carry
// the request's clOrdId). A table of `capacity` slots indexed by clOrdId mod capacity holds each
// request's T4 and type. A request older than the timeout without an answer is expired once and its
// slot freed for reuse; if the answer still comes later it is delivered normally (counted in
// `lateAnswers`). A request that would overwrite a slot still waiting throws InFlightLimitError.
//
// Client order ids are handed out in order, monotonic across the gateway's life (so unique in every
// session), and one timeout applies to all: requests expire in id order, so the scan starts at the
// oldest id that may still wait. An owner that numbers its requests itself (the execution core) claims
// its own ids with claimId; they must keep rising, so the same order and uniqueness hold, and the ids
// it skipped are never claimed.
import { InFlightLimitError } from './gateway-errors.js';
import type { GatewayCounters } from './gateway-counters.js';

const FREE = 0;
const PENDING = 1;
const TIMED_OUT = 2;

export class InFlightTable {
  /** Requests sent and not yet answered or expired. */
  count = 0;
  private nextId: number;
  /** Oldest clOrdId that may still be PENDING (the expiry scan starts here). */
  private oldestId: number;
  /** Requests from this id on are encoded but not yet written (no T4 yet). */
  private unsentId: number;
  private readonly ids: Float64Array;
  private readonly t4s: Float64Array;
  private readonly types: Uint8Array;
  private readonly states: Uint8Array;

  constructor(readonly capacity: number, firstId: number, private readonly counters: GatewayCounters) {
    if (!(capacity >= 2 && (capacity & (capacity - 1)) === 0)) {
      throw new RangeError(`maxInFlight must be a power of two ≥ 2, got ${capacity}`);
    }
    if (!Number.isSafeInteger(firstId) || firstId < 1) throw new RangeError(`firstClOrdId must be an id ≥ 1, got ${firstId}`);
    this.ids = new Float64Array(capacity);
    this.t4s = new Float64Array(capacity);
    this.types = new Uint8Array(capacity);
    this.states = new Uint8Array(capacity);
    this.nextId = this.oldestId = this.unsentId = firstId;
  }

  /** The id the next request will get. */
  get nextClOrdId(): number {
    return this.nextId;
  }

  /** A slot for a new request of `type`; returns its clOrdId. */
  claim(type: number): number {
    return this.claimId(type, this.nextId);
  }

  /** A slot for a new request of `type` under the caller's `id`, which must be ≥ nextClOrdId (ids rise). */
  claimId(type: number, id: number): number {
    if (!(id >= this.nextId) || !Number.isSafeInteger(id)) {
      throw new RangeError(`clOrdId ${id} is not above the last one claimed (${this.nextId - 1}): ids must rise`);
    }
    const slot = id % this.capacity;
    if (this.states[slot] === PENDING) throw new InFlightLimitError(this.capacity);
    this.nextId = id + 1;
    this.ids[slot] = id;
    this.t4s[slot] = 0;
    this.types[slot] = type;
    this.states[slot] = PENDING;
    this.count++;
    return id;
  }

  /** The requests claimed since the last write went to the socket at `t4`. */
  sent(t4: number): void {
    // Ids skipped by claimId are absent: their slots hold other ids, whose T4 must stay.
    for (let id = this.unsentId; id < this.nextId; id++) {
      const slot = id % this.capacity;
      if (this.ids[slot] === id) this.t4s[slot] = t4;
    }
    this.unsentId = this.nextId;
  }

  /** The first answer to request `id` at `t5`: frees its slot, returns T5 − T4 (−1 when it was not waiting). */
  answered(id: number, t5: number): number {
    const slot = id % this.capacity;
    const st = this.states[slot]!;
    if (st === FREE || this.ids[slot] !== id) return -1;
    if (st === PENDING) this.count--;
    else this.counters.lateAnswers++;
    this.states[slot] = FREE;
    const t4 = this.t4s[slot]!;
    return t4 > 0 ? t5 - t4 : -1;
  }

  /** The request's T4 while it awaits its first answer, else 0. */
  sentAt(id: number): number {
    const slot = id % this.capacity;
    return this.ids[slot] === id && this.states[slot] === PENDING ? this.t4s[slot]! : 0;
  }

  /** Expires the oldest request sent more than `timeoutNs` before `now` and returns its slot (read it
   *  with idAt/typeAt/t4At before claiming again), or −1 when none is due. */
  expireOne(now: number, timeoutNs: number): number {
    while (this.oldestId < this.unsentId) {
      const slot = this.oldestId % this.capacity;
      if (this.ids[slot] !== this.oldestId || this.states[slot] !== PENDING) {
        this.oldestId++;
        continue;
      }
      if (now - this.t4s[slot]! < timeoutNs) return -1;
      this.states[slot] = TIMED_OUT;
      this.count--;
      this.counters.timeouts++;
      this.oldestId++;
      return slot;
    }
    return -1;
  }

  idAt(slot: number): number {
    return this.ids[slot]!;
  }

  typeAt(slot: number): number {
    return this.types[slot]!;
  }

  t4At(slot: number): number {
    return this.t4s[slot]!;
  }

  /** The session ended: requests still waiting will get no answer in it. */
  abandon(): void {
    for (let id = this.oldestId; id < this.nextId; id++) {
      const slot = id % this.capacity;
      if (this.ids[slot] === id) this.states[slot] = FREE;
    }
    this.oldestId = this.unsentId = this.nextId;
    this.count = 0;
  }
}
