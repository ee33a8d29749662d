// Recorded market data lives in ../shared/fixtures beside the repository (CI clones the repo with
// shared/ beside it). TRADECORE_FIXTURES points elsewhere when the checkout sits somewhere else.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function fixturesDir(): URL {
  const env = process.env['TRADECORE_FIXTURES'];
  const dir = env ? pathToFileURL(env.endsWith('/') ? env : `${env}/`) : new URL('../../../../shared/fixtures/', import.meta.url);
  if (!existsSync(dir)) {
    throw new Error(`recorded fixtures not found at ${dir.pathname}: clone the repository beside shared/ or set TRADECORE_FIXTURES`);
  }
  return dir;
}
