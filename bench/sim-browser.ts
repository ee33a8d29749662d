// The Chromium half of `npm run bench -- sim` (bench/sim.ts is the Node half): the same simulated run (the shipped
// config/engine.toml, same seed, duration and information knob) in Node and in a Chromium Web Worker (the
// playground page, served by `npm run playground`'s server, driven by playwright-core with Debian's
// /usr/bin/chromium; no browser is downloaded). Both sides run playground/sim-runner.ts's runRequest (simRun in
// 5 000-event chunks, NEV sampled between chunks), so the ratio compares JavaScript engines, not code paths; their
// trace hashes must agree. Market events per wall-clock second spent in simRun; one JSON line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { launchChromium } from '../host/platform/chromium.js';
import { compileCore } from '../host/core/core-loader.js';
import { runRequest } from '../playground/sim-runner.js';
import { startPlaygroundServer } from '../playground/serve.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SimBrowserBenchOptions {
  /** Virtual seconds simulated (whole). */
  readonly durationS: number;
  readonly seed: number;
  readonly info: number;
  readonly chromiumPath?: string;
}

export interface SimBrowserBenchResult {
  readonly bench: 'sim-browser';
  readonly durationS: number;
  readonly seed: number;
  readonly info: number;
  readonly market_events: number;
  /** Market events per second of simRun wall time. */
  readonly node_events_per_s: number;
  readonly browser_events_per_s: number;
  /** browser ÷ node (1 = as fast; the issue aims at ≥ 1/1.5 ≈ 0.67). */
  readonly browser_to_node: number;
  readonly node_run_ms: number;
  readonly browser_run_ms: number;
  readonly trace_hash: string;
  readonly hashes_equal: boolean;
}

const rate = (events: number, ms: number): number => (ms > 0 ? Math.round(events / (ms / 1000)) : 0);

export async function simBrowserBench(o: SimBrowserBenchOptions, progress: (s: string) => void = () => {}): Promise<SimBrowserBenchResult> {
  const durationS = Math.round(o.durationS);
  const engineToml = readFileSync(join(ROOT, 'config', 'engine.toml'), 'utf8');
  const costsToml = readFileSync(join(ROOT, 'config', 'costs.toml'), 'utf8');
  progress(`sim bench (browser): the worker's code path in Node, ${durationS} virtual s, seed ${o.seed}, info ${o.info}`);
  const node = await runRequest(await compileCore(), { engineToml, costsToml, options: { seed: o.seed, durationMs: durationS * 1000, info: o.info } });
  progress('sim bench (browser): the same run in a Chromium worker');
  const server = await startPlaygroundServer({ port: 0 });
  const browser = await launchChromium(o.chromiumPath);
  try {
    const page = await browser.newPage();
    await page.goto(new URL('#/playground', server.url).href);
    for (const [id, v] of [['seed', String(o.seed)], ['duration', `${durationS}s`], ['info', String(o.info)]] as const) {
      await page.getByTestId(id).fill(v);
      await page.getByTestId(id).dispatchEvent('change');
    }
    await page.getByTestId('run').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="run"]')?.getAttribute('data-runs-done')) > 0,
      undefined, { timeout: 0 });
    const error = await page.getByTestId('run-error').count();
    if (error > 0) throw new Error(`the page's run failed: ${await page.getByTestId('run-error').textContent()}`);
    const cell = page.getByTestId('events-per-s');
    const browserMarket = Number(await cell.getAttribute('data-market-events'));
    const browserMs = Number(await cell.getAttribute('data-run-ms'));
    const hash = (await page.getByTestId('trace-hash').textContent())!.trim();
    const nodeRate = rate(node.marketEvents, node.runMs);
    const browserRate = rate(browserMarket, browserMs);
    return {
      bench: 'sim-browser', durationS, seed: o.seed, info: o.info, market_events: node.marketEvents,
      node_events_per_s: nodeRate, browser_events_per_s: browserRate,
      browser_to_node: nodeRate > 0 ? Number((browserRate / nodeRate).toFixed(3)) : 0,
      node_run_ms: Math.round(node.runMs), browser_run_ms: Math.round(browserMs),
      trace_hash: node.summary.traceHash, hashes_equal: hash === node.summary.traceHash && browserMarket === node.marketEvents,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
