// Typed ESM loader for the tradecore native addon (native/, built by
// `npm install` -> node-gyp). Every function acts on the CALLING thread, so it
// can be used from worker_threads (e.g. a worker pins itself with setAffinity).
//
// The addon is loaded lazily on first use: importing this module never throws,
// calling any function throws a clear "not built" error if the .node file is
// missing or fails to load.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface NativeAddon {
  /** Pin the calling thread to `cpus` (sched_setaffinity(0, ...)). */
  setAffinity(cpus: readonly number[]): void;
  /** Pin thread `tid` of this process to `cpus`; false when this process has no such thread (it exited). */
  setThreadAffinity(tid: number, cpus: readonly number[]): boolean;
  /** CPUs the calling thread may run on, sorted ascending. */
  getAffinity(): number[];
  /** CPU the calling thread is running on now (sched_getcpu). */
  getCpu(): number;
  /** Kernel thread id of the calling thread (SYS_gettid). */
  gettid(): number;
  /**
   * Map POSIX shared memory `name` ("/" + no other "/") read-write and return
   * it as a real SharedArrayBuffer of `bytes` bytes (created, or grown, but
   * never shrunk). Unmapped when the last SAB referring to it is collected.
   */
  mapShared(name: string, bytes: number): SharedArrayBuffer;
  /** shm_unlink(name); false if it did not exist. */
  unlinkShared(name: string): boolean;
  /**
   * Non-blocking recv from socket `fd` into bytes[offset, offset + length), in place (nothing allocated):
   * bytes read (> 0), 0 when nothing is waiting (EAGAIN), RECV_CLOSED when the peer closed, −errno.
   */
  recvInto(fd: number, bytes: Uint8Array, offset: number, length: number): number;
  /**
   * Non-blocking send of bytes[offset, offset + length) on socket `fd`: bytes the kernel took (the caller
   * keeps the rest), 0 when its buffer is full (EAGAIN), −errno (EPIPE, ECONNRESET...). Never SIGPIPE.
   */
  sendFrom(fd: number, bytes: Uint8Array, offset: number, length: number): number;
  /** recvInto's answer for a stream the peer closed (below every −errno). */
  readonly RECV_CLOSED: number;
  /**
   * Sleeps while words[index] === expected, at most timeoutNs, woken by futexWake from any process that
   * maps the same shared memory: 0 woken, 1 timed out, 2 the word differed already. Blocks the thread.
   */
  futexWait(words: Int32Array, index: number, expected: number, timeoutNs: number): 0 | 1 | 2;
  /** Wakes up to `count` sleepers on words[index], in any process; answers how many woke. */
  futexWake(words: Int32Array, index: number, count: number): number;
  /**
   * The calling thread's scheduling: 1..99 SCHED_FIFO at that priority, 0 back to SCHED_OTHER. false when the
   * kernel refuses for lack of privilege (EPERM); throws on a bad priority.
   */
  setRealtimePriority(priority: number): boolean;
}

/** Compiled location: dist/host/native.js -> <repo>/native/build/Release/. */
export const addonUrl: URL = new URL('../../../native/build/Release/tradecore_native.node', import.meta.url);

const require = createRequire(import.meta.url);
let cached: NativeAddon | undefined;

/** Load (once) and return the addon; throws if it is not built. */
export function loadNative(): NativeAddon {
  if (cached !== undefined) return cached;
  const path = fileURLToPath(addonUrl);
  try {
    cached = require(path) as NativeAddon;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(
      `tradecore native addon is not built or failed to load (${path}); run \`npm install\` ` +
        `(node-gyp rebuild --directory native). Original error: ${msg}`,
      { cause: err },
    );
  }
  return cached;
}

export function setAffinity(cpus: readonly number[]): void {
  loadNative().setAffinity(cpus);
}

export function setThreadAffinity(tid: number, cpus: readonly number[]): boolean {
  return loadNative().setThreadAffinity(tid, cpus);
}

export function getAffinity(): number[] {
  return loadNative().getAffinity();
}

export function getCpu(): number {
  return loadNative().getCpu();
}

export function gettid(): number {
  return loadNative().gettid();
}

export function mapShared(name: string, bytes: number): SharedArrayBuffer {
  return loadNative().mapShared(name, bytes);
}

export function unlinkShared(name: string): boolean {
  return loadNative().unlinkShared(name);
}

/** recvInto's answer for a stream the peer closed (the addon's RECV_CLOSED; below every −errno). */
export const RECV_CLOSED = -65536;

/** The addon itself, for a hot loop that calls recvInto/sendFrom without a wrapper in between. */
export function socketIo(): Pick<NativeAddon, 'recvInto' | 'sendFrom'> {
  const addon = loadNative();
  if (addon.RECV_CLOSED !== RECV_CLOSED) throw new Error(`native addon's RECV_CLOSED is ${addon.RECV_CLOSED}, expected ${RECV_CLOSED}: rebuild it`);
  return addon;
}
