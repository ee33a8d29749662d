// How a ring consumer waits for the next message, chosen per consumer in config (Disruptor-style).
// busy-spin: lowest latency, burns its core; right when the consumer has a core of its own.
// spin-then-park: spins a while, then sleeps in Atomics.wait; right when threads share cores (2-core boxes).
// park: sleeps at once; for consumers that are not latency-critical (telemetry, journal).
// Browser-safe: Web Workers may Atomics.wait too (the window's main thread may not).
import type { CoreExports } from './core.js';
import { ConfigError } from '../config/config-error.js';

export type WaitKind = 'busy-spin' | 'spin-then-park' | 'park';
export const WAIT_KINDS: readonly WaitKind[] = ['busy-spin', 'spin-then-park', 'park'];

export interface WaitConfig {
  readonly kind: WaitKind;
  /** Polls before parking (spin-then-park) or before giving up (busy-spin). Default 10 000 / 1 000 000. */
  readonly spins?: number;
  /** Longest single park, ms; the caller gets control back to check its stop flag. Default 50. */
  readonly parkTimeoutMs?: number;
}

export interface WaitStrategy {
  readonly kind: WaitKind;
  /** Returns true once the ring at `ringBase` has a message, false if the wait ran out first. */
  awaitReadable(ringBase: number): boolean;
}

export function createWaitStrategy(config: WaitConfig, core: CoreExports): WaitStrategy {
  const kind = config.kind;
  if (!WAIT_KINDS.includes(kind)) throw new ConfigError('wait.kind', `one of ${WAIT_KINDS.join(', ')}`, kind);
  const spins = config.spins ?? (kind === 'busy-spin' ? 1_000_000 : 10_000);
  if (!Number.isInteger(spins) || spins < 0) throw new ConfigError('wait.spins', 'an integer ≥ 0', config.spins);
  const parkTimeoutMs = config.parkTimeoutMs ?? 50;
  if (!(parkTimeoutMs > 0 && parkTimeoutMs <= 60_000)) {
    throw new ConfigError('wait.parkTimeoutMs', 'a number in (0, 60000]', config.parkTimeoutMs);
  }
  const words = new Int32Array(core.memory.buffer);

  const spin = (base: number, limit: number): boolean => {
    for (let i = 0; i < limit; i++) if (core.ringSize(base) !== 0) return true;
    return false;
  };

  const park = (base: number): boolean => {
    const headIndex = core.ringWaitAddress(base) >>> 2;
    const parkedIndex = core.ringParkedAddress(base) >>> 2;
    // Announce the park before the last look at head; the producer publishes head before it reads
    // this flag, so one of the two sides always sees the other (no lost wake-up).
    Atomics.store(words, parkedIndex, 1);
    const head = Atomics.load(words, headIndex);
    if (core.ringSize(base) === 0) Atomics.wait(words, headIndex, head, parkTimeoutMs);
    Atomics.store(words, parkedIndex, 0);
    return core.ringSize(base) !== 0;
  };

  switch (kind) {
    case 'busy-spin':
      return { kind, awaitReadable: (base) => spin(base, spins) };
    case 'spin-then-park':
      return { kind, awaitReadable: (base) => spin(base, spins) || park(base) };
    case 'park':
      return { kind, awaitReadable: (base) => core.ringSize(base) !== 0 || park(base) };
  }
}
