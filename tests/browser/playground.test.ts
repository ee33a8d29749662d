// The playground in Debian chromium (playwright-core, never a downloaded browser), served by `npm run playground`'s
// server without an engine or a monitor:
// - the server isolates every response (COOP/COEP/CORP) and refuses paths outside the built cockpit;
// - parity: the page runs seed S with parameters P in a Web Worker and shows the decision-trace hash; Node runs
//   the same engine TOML and options with host/sim (prepareSimulation + runSimulation, as `npm run sim` does) and
//   the hashes are equal, for two seeds and a changed parameter (the order qty: its hash differs);
// - parity on every scenario: the replay scenarios (lobster, binance: the fixtures fetched by the page, Binance's
//   gunzipped in the worker) give the hash Node gives reading the same fixture files as `npm run sim` does, each
//   with a queue model of its own;
// - a 2×2 sweep completes across the workers with 4 cells in the heatmap, and a click loads a cell's parameters;
// - export → import round-trips the parameters; a bad TOML is refused with the loader's own message;
// - no console errors. Screenshots at 1280×800 and 1920×1080 go to test-results/playground/ (and, with
//   PLAYGROUND_SCREENSHOT=path, the one after the sweep to that path: docs/playground.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH } from '../../host/platform/chromium.js';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { compileCore } from '../../host/core/core-loader.js';
import { prepareSimulation, runSimulation } from '../../host/sim/sim-driver.js';
import { loadReplayEvents } from '../../host/sim/replay-fixtures.js';
import type { SimOptions } from '../../host/sim/sim-options.js';
import { engineTomlWith, valuesIn } from '../../playground/engine-toml.js';
import type { PlaygroundServer } from '../../playground/serve.js';
import { BASE_TOML, DURATION_MS, KEYS, PROFILES, ROOT, RUN_TIMEOUT_MS, openPlayground, runInPage, setInput as setPageInput, type PlaygroundPage } from '../testkit/playground-page.js';

const SHOTS = join(ROOT, 'test-results', 'playground');

let opened: PlaygroundPage;
let server: PlaygroundServer;
let page: Page;
let consoleErrors: string[] = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  opened = await openPlayground();
  ({ server, page, consoleErrors } = opened);
});

after(async () => {
  await opened?.close();
});

/** Status of a request for `path` sent verbatim: fetch() would normalise `..` away before sending. */
function rawStatus(baseUrl: string, path: string, method = 'GET'): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

let nodeModule: Promise<WebAssembly.Module> | undefined;
/** The run in Node, as `npm run sim` does it: the engine TOML through loadEngineConfig, prepareSimulation, runSimulation. */
async function nodeHash(values: Record<string, number | string>, seed: number, info = 0, latencyMs = 1, noiseTakers?: number): Promise<{ hash: string; commands: number }> {
  nodeModule ??= compileCore();
  const config = loadEngineConfig(engineTomlWith(BASE_TOML, values), PROFILES);
  const s = runSimulation(prepareSimulation(await nodeModule, config, { seed, durationMs: DURATION_MS, latencyMs, info, ...(noiseTakers === undefined ? {} : { noiseTakers }) }));
  return { hash: s.traceHash, commands: s.traceCommands };
}

const setInput = (testId: string, value: string): Promise<void> => setPageInput(page, testId, value);
/** Runs seed `seed` in the page; the trace hash it shows. */
const pageRun = (seed: number): Promise<string> => runInPage(page, seed);

test('the server isolates every response and serves only the built cockpit', async () => {
  const assets = readdirSync(join(ROOT, 'cockpit', 'dist', 'assets'));
  const script = assets.find((f) => /^index-.*\.js$/.test(f));
  const wasm = assets.find((f) => /^core-.*\.wasm$/.test(f));
  assert.ok(script && wasm, `the built cockpit has its script and core.wasm: ${assets.join(', ')}`);
  const expectations: Array<[path: string, contentType: string, status: number]> = [
    ['/', 'text/html', 200], [`/assets/${script}`, 'text/javascript', 200], [`/assets/${wasm}`, 'application/wasm', 200], ['/no-such-thing', 'text/plain', 404],
  ];
  for (const [path, contentType, status] of expectations) {
    const res = await fetch(new URL(path, server.url));
    await res.arrayBuffer();
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin', `COOP on ${path}`);
    assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp', `COEP on ${path}`);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-origin', `CORP on ${path}`);
    assert.ok(res.headers.get('content-type')?.startsWith(contentType), `${path}: content-type ${res.headers.get('content-type')}`);
    assert.equal(res.status, status, `status of ${path}`);
  }
  for (const path of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/package.json', '/../build/core.wasm']) {
    const status = await rawStatus(server.url, path);
    assert.ok(status === 400 || status === 404, `${path} must be refused, got ${status}`);
  }
  assert.equal(await rawStatus(server.url, '/', 'POST'), 405);
  assert.equal(await rawStatus(server.url, '/', 'HEAD'), 200);
});

test('parity: the page\'s trace hash equals Node\'s for two seeds, and a changed parameter changes it', async () => {
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the page is cross-origin isolated (shared memory)');
  const values = valuesIn(BASE_TOML, KEYS);
  const seeds = [3, 7];
  const hashes: string[] = [];
  for (const seed of seeds) {
    const shown = await pageRun(seed);
    const node = await nodeHash(values, seed);
    assert.ok(node.commands > 0, `seed ${seed}: the run decides orders (${node.commands} commands)`);
    assert.match(shown, /^[0-9a-f]{16}$/);
    assert.equal(shown, node.hash, `seed ${seed}: browser ${shown}, node ${node.hash}`);
    hashes.push(shown);
  }
  assert.notEqual(hashes[0], hashes[1], 'two seeds, two hashes');
  await page.screenshot({ path: join(SHOTS, 'playground-run-1280x800.png') });

  await setInput('param-execution.strategy.qty', '2');
  const changed = await pageRun(seeds[0]!);
  const nodeChanged = await nodeHash({ ...values, 'execution.strategy.qty': 2 }, seeds[0]!);
  assert.equal(changed, nodeChanged.hash, 'qty 2: browser and node agree');
  assert.notEqual(changed, hashes[0], 'qty 2 changes the orders');
  for (const id of ['pnl-after', 'pnl-before', 'otr-penalty']) assert.match((await page.getByTestId(id).textContent())!, /₹\d/, `${id} in rupees`);
  assert.match((await page.getByTestId('events-per-s').textContent())!, /[\d,]+ events\/s/);
  assert.equal(await page.getByTestId('equity-chart').locator('canvas').count() > 0, true, 'the equity curve is drawn by uPlot');
  await setInput('param-execution.strategy.qty', String(values['execution.strategy.qty']));

  // The information knob and the latency reach the worker as they reach npm run sim.
  await setInput('info', '2');
  await setInput('latency', '3');
  const knobs = await pageRun(seeds[1]!);
  assert.equal(knobs, (await nodeHash(values, seeds[1]!, 2, 3)).hash, 'info 2, latency 3 ms: browser and node agree');
  assert.notEqual(knobs, hashes[1]);
  await setInput('info', '0');
  await setInput('latency', '1');
  // So does the flow's noise-taker share (0: every taker informed, as before noise takers existed).
  await setInput('noise-takers', '0');
  const informed = await pageRun(seeds[0]!);
  assert.equal(informed, (await nodeHash(values, seeds[0]!, 0, 1, 0)).hash, 'noise takers 0: browser and node agree');
  assert.notEqual(informed, hashes[0], 'the share changes what the flow does');
  assert.match((await page.getByTestId('run-scenario').textContent())!, /^synthetic, noise takers 0$/);
  await setInput('noise-takers', '0.8');
  assert.equal(await page.getByTestId('to-cockpit').getAttribute('href'), '#/', 'the header links back to the live cockpit');
  assert.deepEqual(consoleErrors, []);
});

test('parity on every scenario: the replays of the LOBSTER and Binance recordings give Node\'s hash', async () => {
  const values = valuesIn(BASE_TOML, KEYS);
  const cases: [scenario: 'lobster' | 'binance', model: SimOptions['queueModel'], exponent: string, seed: number][] = [
    ['lobster', 'log', '', 5], ['binance', 'power', '2', 6],
  ];
  nodeModule ??= compileCore();
  for (const [scenario, model, exponent, seed] of cases) {
    await page.getByTestId('scenario').selectOption(scenario);
    await page.getByTestId('queue-model').selectOption(model);
    if (exponent !== '') await setInput('queue-exponent', exponent);
    const shown = await pageRun(seed);
    const config = loadEngineConfig(engineTomlWith(BASE_TOML, values), PROFILES);
    const options: Partial<SimOptions> = { scenario, seed, durationMs: DURATION_MS, latencyMs: 1, queueModel: model,
      queueExponent: exponent === '' ? null : Number(exponent) };
    const node = runSimulation(prepareSimulation(await nodeModule, config, options, await loadReplayEvents(scenario)));
    assert.ok(node.orders > 0, `${scenario}: the run decides orders (${node.orders})`);
    assert.equal(shown, node.traceHash, `${scenario}: browser ${shown}, node ${node.traceHash}`);
    const said = (await page.getByTestId('run-scenario').textContent())!;
    assert.ok(said.startsWith(`${scenario} (${node.recording!.symbol}, ${model}${exponent !== '' ? ` n = ${exponent}` : ''} queue model): `), said);
    assert.ok(said.endsWith(`records, ended by the ${node.endedBy}`), said);
  }
  await page.getByTestId('scenario').selectOption('synthetic');
  assert.deepEqual(consoleErrors, []);
});

test('a 2×2 sweep runs across the workers, fills 4 cells, and a click loads a cell', async () => {
  await page.getByTestId('sweep-x-key').selectOption('execution.strategy.threshold');
  await page.getByTestId('sweep-y-key').selectOption('execution.strategy.qty');
  await setInput('sweep-x-from', '0.1');
  await setInput('sweep-x-to', '0.2');
  await setInput('sweep-x-steps', '2');
  await setInput('sweep-y-from', '1');
  await setInput('sweep-y-to', '2');
  await setInput('sweep-y-steps', '2');
  await page.getByTestId('sweep').click();
  const heat = page.getByTestId('sweep-heatmap');
  await heat.waitFor();
  assert.equal(await heat.getAttribute('data-cells'), '4');
  await page.waitForFunction(() => document.querySelector('[data-testid="sweep-heatmap"]')?.getAttribute('data-cells-done') === '4',
    undefined, { timeout: RUN_TIMEOUT_MS * 4 });
  assert.match((await page.getByTestId('sweep-status').textContent())!, /^4 of 4 runs/);
  // The top-right cell: x = 0.2 (right), y = 2 (top).
  const box = (await heat.boundingBox())!;
  await heat.click({ position: { x: box.width - 20, y: 20 } });
  const loaded = (await page.getByTestId('sweep-selected').textContent())!;
  assert.match(loaded, /execution\.strategy\.threshold = 0\.2/);
  assert.match(loaded, /execution\.strategy\.qty = 2/);
  assert.equal(await page.getByTestId('param-execution.strategy.threshold').inputValue(), '0.2');
  assert.equal(await page.getByTestId('param-execution.strategy.qty').inputValue(), '2');
  // A run of the loaded parameters reproduces the cell's P&L (same seed, duration, knob and latency).
  const cellPnl = /→ (\S+) after costs/.exec(loaded)?.[1];
  await pageRun(Number(await page.getByTestId('seed').inputValue()));
  assert.equal((await page.getByTestId('pnl-after').textContent())!.trim(), cellPnl, 'the loaded cell, run alone, gives its P&L');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'playground-sweep-1280x800.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  const wide = join(SHOTS, 'playground-sweep-1920x1080.png');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: wide, fullPage: true });
  const copyTo = process.env['PLAYGROUND_SCREENSHOT'];
  if (copyTo) copyFileSync(wide, join(ROOT, copyTo));
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(consoleErrors, []);
});

test('export → import round-trips the parameters; a bad TOML shows the loader\'s message', async () => {
  await setInput('param-execution.strategy.threshold', '0.23');
  await setInput('param-execution.strategy.qty', '3');
  await page.getByTestId('param-execution.ttlAction').selectOption('reprice');
  await page.getByTestId('export').click();
  const exported = await page.getByTestId('export-text').inputValue();
  const config = loadEngineConfig(exported, PROFILES);
  assert.equal(config.execution.strategy.threshold, 0.23, 'the export loads in Node with the chosen threshold');
  assert.equal(config.execution.strategy.qty, 3);
  await setInput('param-execution.strategy.threshold', '0.11');
  await setInput('param-execution.strategy.qty', '1');
  await page.getByTestId('import-text').fill(exported);
  await page.getByTestId('import').click();
  await page.getByTestId('import-ok').waitFor();
  assert.equal(await page.getByTestId('param-execution.strategy.threshold').inputValue(), '0.23');
  assert.equal(await page.getByTestId('param-execution.strategy.qty').inputValue(), '3');
  assert.equal(await page.getByTestId('param-execution.ttlAction').inputValue(), 'reprice');

  const bad = exported.replace(/^threshold = .*$/m, 'threshold = 7');
  let expected = '';
  try {
    loadEngineConfig(bad, PROFILES, 'imported engine.toml');
  } catch (e) {
    expected = (e as Error).message;
  }
  assert.match(expected, /execution\.strategy\.threshold/);
  await page.getByTestId('import-text').fill(bad);
  await page.getByTestId('import').click();
  await page.getByTestId('import-error').waitFor();
  assert.equal((await page.getByTestId('import-error').textContent())!.trim(), expected);
  assert.equal(await page.getByTestId('param-execution.strategy.threshold').inputValue(), '0.23', 'a refused import changes nothing');
  assert.deepEqual(consoleErrors, []);
});

test('the sim bench\'s Chromium half on a tiny run: both rates, their ratio, equal hashes', async () => {
  const { simBrowserBench } = await import('../../bench/sim-browser.js');
  const r = await simBrowserBench({ durationS: 5, seed: 2, info: 0, chromiumPath: CHROMIUM_PATH });
  assert.equal(r.durationS, 5);
  assert.ok(r.market_events > 0);
  assert.ok(r.node_events_per_s > 0 && r.browser_events_per_s > 0, JSON.stringify(r));
  assert.ok(Math.abs(r.browser_to_node - r.browser_events_per_s / r.node_events_per_s) < 0.001);
  assert.equal(r.hashes_equal, true, 'the Chromium worker decided what Node decided, on as many market events');
});
