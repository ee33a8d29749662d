// `npm run bench -- sim`: market events per second through the full decision core, the same simulated run (same
// engine TOML, seed and duration) in Node and in a Chromium Web Worker (the playground page, served by
// `npm run playground`'s server, driven by playwright-core with Debian's /usr/bin/chromium). Both sides run
// playground/sim-runner.ts's runRequest (the simulator in 5 000-event chunks, NEV sampled between chunks),
// so the ratio compares engines, not code paths; their trace hashes must agree. One JSON line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { compileCore } from '../host/core/core-loader.js';
import { parseDuration } from '../host/sim/sim-options.js';
import { runRequest } from '../playground/sim-runner.js';
import { startPlaygroundServer } from '../playground/serve.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync'];

export interface SimBenchOptions {
  /** Virtual duration as the sim CLI writes it (1h, 30m, 90s). */
  readonly duration: string;
  readonly seed: number;
  readonly chromiumPath?: string;
}

export interface SimBenchResult {
  readonly bench: 'sim';
  readonly duration_ms: number;
  readonly seed: number;
  readonly events: number;
  readonly node_events_per_s: number;
  readonly browser_events_per_s: number;
  /** browser ÷ node (1 = as fast; the issue aims at ≥ 1/1.5). */
  readonly browser_to_node: number;
  readonly trace_hash: string;
  readonly hashes_equal: boolean;
}

export async function simBench(o: SimBenchOptions, progress: (s: string) => void = () => {}): Promise<SimBenchResult> {
  const durationMs = parseDuration(o.duration);
  const engineToml = readFileSync(join(ROOT, 'config', 'engine.toml'), 'utf8');
  const costsToml = readFileSync(join(ROOT, 'config', 'costs.toml'), 'utf8');
  progress(`sim bench: node, ${o.duration} virtual, seed ${o.seed}`);
  const node = await runRequest(await compileCore(), { engineToml, costsToml, options: { seed: o.seed, durationMs } });
  progress(`sim bench: chromium worker`);
  const server = await startPlaygroundServer({ port: 0 });
  const browser = await chromium.launch({ executablePath: o.chromiumPath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    await page.goto(new URL('#/playground', server.url).href);
    for (const [id, v] of [['seed', String(o.seed)], ['duration', o.duration]] as const) {
      await page.getByTestId(id).fill(v);
      await page.getByTestId(id).dispatchEvent('change');
    }
    await page.getByTestId('run').click();
    await page.waitForFunction((seed) => (document.querySelector('[data-testid="run-id"]')?.textContent ?? '').startsWith(`${seed} ·`)
      && !(document.querySelector('[data-testid="run"]') as HTMLButtonElement).disabled, o.seed, { timeout: 0 });
    const cell = page.getByTestId('events-per-s');
    const browserRate = Number(await cell.getAttribute('data-value'));
    const hash = (await page.getByTestId('trace-hash').textContent())!.trim();
    const rate = node.summary.eventsPerSecond;
    return {
      bench: 'sim', duration_ms: durationMs, seed: o.seed, events: node.summary.events,
      node_events_per_s: rate, browser_events_per_s: browserRate,
      browser_to_node: rate > 0 ? Number((browserRate / rate).toFixed(3)) : 0,
      trace_hash: node.summary.traceHash, hashes_equal: hash === node.summary.traceHash,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
