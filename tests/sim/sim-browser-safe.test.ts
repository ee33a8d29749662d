// The parts of the simulator a Web Worker will run (host/sim/: set-up, options, scenario, driver, summary,
// statistics) import no Node-only module, directly or through anything they import: the import graph from each
// file is walked in dist/. (Replay loaders that read fixture files are the Node side and are not listed.)
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

const BROWSER_FILES = ['simulation.js', 'sim-driver.js', 'sim-options.js', 'synthetic-scenario.js', 'sim-summary.js', 'equity-stats.js',
  'replay-scenario.js', 'l2-events.js'];

test('the simulator\'s driver files import nothing Node-only, however deep', () => {
  const files = readdirSync(SIM_DIR);
  for (const f of BROWSER_FILES) {
    assert.ok(files.includes(f), `${f} exists`);
    assert.deepEqual(nodeImports(resolve(SIM_DIR, f)), [], f);
  }
});

test('the walk does find a Node import where there is one (the CLI)', () => {
  const cli = fileURLToPath(new URL('../../host/cli/sim.js', import.meta.url));
  assert.ok(nodeImports(cli).length > 0);
});
