// The engine's control token: what a reset must carry to take the engine out of HALTED (issue 8 point 4).
// A kill needs no token (stopping must always be possible); leaving HALTED must not be possible for whoever
// can merely write the /dev/shm segment. The engine creates the token at its first start: 16 random bytes,
// hex, in `<dir>/control-token`, mode 0600, so only the engine's user can read it; later starts reuse it.
// The reset tool reads it and writes it into the control block (resetToken0..3); the engine compares.
import { DEFAULT_ENGINE_PROCESS } from '../config/engine-config.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESET_TOKEN_WORDS } from './segment-layout.js';

export const CONTROL_TOKEN_FILE = 'control-token';
const TOKEN_BYTES = RESET_TOKEN_WORDS * 4;
const TOKEN_FORMAT = new RegExp(`^[0-9a-f]{${TOKEN_BYTES * 2}}$`);

/** A token file that is missing, malformed, or readable by others. */
export class ControlTokenError extends Error {
  override readonly name = 'ControlTokenError';
}

/** Where the tools look for the token unless told otherwise: $TRADECORE_HOME, else the engine config's default
 *  controlDir (`var`, relative to the working directory, as the engine resolves it). */
export function defaultControlDir(): string {
  return process.env.TRADECORE_HOME ?? DEFAULT_ENGINE_PROCESS.controlDir;
}

export function controlTokenPath(dir: string): string {
  return join(dir, CONTROL_TOKEN_FILE);
}

/** Throws ControlTokenError unless `token` is 32 lowercase hex digits. */
export function checkTokenFormat(token: string, where: string): void {
  if (!TOKEN_FORMAT.test(token)) throw new ControlTokenError(`${where}: a control token is ${TOKEN_BYTES * 2} hex digits, got ${JSON.stringify(token.length > 40 ? token.slice(0, 40) + '…' : token)}`);
}

/** Read the token in `dir`; refuses a file that others than its owner may read or write. */
export function readControlToken(dir: string): string {
  const path = controlTokenPath(dir);
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    throw new ControlTokenError(`no control token at ${path}: the engine creates it at its first start (or pass --token)`);
  }
  if ((mode & 0o077) !== 0) {
    throw new ControlTokenError(`control token ${path} has mode 0${mode.toString(8)}, must be 0600 (readable by its owner only)`);
  }
  const token = readFileSync(path, 'utf8').trim();
  checkTokenFormat(token, path);
  return token;
}

/** The engine, at start: the token in `dir`, created (mode 0600) if there is none yet. */
export function ensureControlToken(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = controlTokenPath(dir);
  try {
    writeFileSync(path, randomBytes(TOKEN_BYTES).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600); // the umask may have narrowed it further; never wider
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readControlToken(dir);
}

/** The token as the RESET_TOKEN_WORDS little-endian u32 words the control block carries. */
export function tokenWords(token: string): number[] {
  checkTokenFormat(token, 'control token');
  const b = Buffer.from(token, 'hex');
  const out: number[] = [];
  for (let i = 0; i < RESET_TOKEN_WORDS; i++) out.push(b.readUInt32LE(i * 4));
  return out;
}

/** True when the words a reset carried are `token` (compared in constant time). */
export function tokenMatches(token: string, words: readonly number[]): boolean {
  if (words.length !== RESET_TOKEN_WORDS) return false;
  const got = Buffer.alloc(TOKEN_BYTES);
  for (let i = 0; i < RESET_TOKEN_WORDS; i++) got.writeUInt32LE(words[i]! >>> 0, i * 4);
  checkTokenFormat(token, 'control token');
  return timingSafeEqual(got, Buffer.from(token, 'hex'));
}
