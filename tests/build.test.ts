// `npm test` runs every *.test.js under dist/tests: a compiled file whose source was moved or deleted
// must not linger there and run as a test of code that no longer exists (the build empties dist/ first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []);
}

test('every compiled file in dist/ has its TypeScript source', () => {
  const orphans = jsFiles(DIST)
    .map((f) => relative(DIST, f))
    .filter((f) => !existsSync(join(ROOT, f.replace(/\.js$/, '.ts'))));
  assert.deepEqual(orphans, [], 'compiled files whose source is gone (stale build output)');
});
