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
