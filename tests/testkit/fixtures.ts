// Recorded market data used by tests and replays: fixtures/ at the repository root (see its README).
import { existsSync } from 'node:fs';

/** The repository's fixtures/ folder, relative to this file's place in dist/tests/testkit/. */
export const FIXTURES_DIR = new URL('../../../fixtures/', import.meta.url);

export function fixturesDir(): URL {
  if (!existsSync(FIXTURES_DIR)) throw new Error(`recorded fixtures not found at ${FIXTURES_DIR.pathname}`);
  return FIXTURES_DIR;
}
