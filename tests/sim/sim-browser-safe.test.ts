// The parts of the simulator a Web Worker will run (host/sim/: set-up, driver, summary) import no Node-only
// module, directly or through anything they import: the import graph from each file is walked in dist/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIM_DIR = fileURLToPath(new URL('../../host/sim/', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function nodeImports(entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('node:') || ['fs', 'path', 'os', 'worker_threads', 'child_process', 'net'].includes(spec)) {
        found.push(`${[...chain, file].map((f) => f.split('/dist/')[1]).join(' → ')} imports ${spec}`);
      } else if (spec.startsWith('.')) {
        visit(resolve(dirname(file), spec), [...chain, file]);
      }
    }
  };
  visit(entry, []);
  return found;
}

test('host/sim imports nothing Node-only, however deep', () => {
  const files = readdirSync(SIM_DIR).filter((f) => f.endsWith('.js'));
  assert.ok(files.includes('sim-driver.js') && files.includes('simulation.js'));
  for (const f of files) assert.deepEqual(nodeImports(resolve(SIM_DIR, f)), [], f);
});

test('the walk does find a Node import where there is one (the CLI)', () => {
  const cli = fileURLToPath(new URL('../../host/cli/sim.js', import.meta.url));
  assert.ok(nodeImports(cli).length > 0);
});
