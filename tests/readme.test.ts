// The README's layout tree is the map a newcomer reads first: it must name every folder the repository
// tracks, each with a description, and no folder that is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Folders of the tree block under "## Architecture": lines `path/   description`. */
export function treeFolders(readme: string): Map<string, string> {
  const section = readme.slice(readme.indexOf('## Architecture'));
  const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
  const folders = new Map<string, string>();
  for (const line of block.split('\n')) {
    const m = /^(\S+)\/\s{2,}(\S.*)$/.exec(line);
    if (m) folders.set(m[1]!, m[2]!);
  }
  return folders;
}

/** Every folder holding a tracked file, and every folder above one (the root excluded). */
export function trackedFolders(files: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return folders;
}

test('the tree parser and the folder walk see what they should', () => {
  const tree = treeFolders('## Architecture\n\n```\nhost/        entries\nhost/core/   the core\nnot a folder line\n```\n');
  assert.deepEqual([...tree.keys()], ['host', 'host/core']);
  assert.deepEqual([...trackedFolders(['a/b/c.ts', 'a/d.ts', 'e.md'])].sort(), ['a', 'a/b']);
});

test("the README's tree lists exactly the folders git tracks, each with a description", () => {
  const tree = treeFolders(readFileSync(new URL('README.md', `file://${ROOT}`), 'utf8'));
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  const tracked = trackedFolders(files);
  const missing = [...tracked].filter((f) => !tree.has(f)).sort();
  const gone = [...tree.keys()].filter((f) => !tracked.has(f)).sort();
  assert.deepEqual(missing, [], 'folders git tracks that the README tree does not describe');
  assert.deepEqual(gone, [], 'folders in the README tree that git does not track');
  for (const [folder, description] of tree) assert.ok(description.length >= 10, `${folder}/ has a one-line description`);
});
