// The playground's risk, broker and watchdog controls and its recorded-latency input, in Debian chromium
// (playwright-core), served by `npm run playground`'s server as tests/browser/playground.test.ts does:
// - every limit of the schema (playground/playground-params.ts) is drawn in its group with the schema's range,
//   and is an option of the sweep's axes;
// - a risk control changes the run: maxOpenOrders 1 gives another trace hash than the default, and the page's
//   hash is the one Node's `npm run sim` path gives for the same engine TOML; the export carries the limit and an
//   imported file's limits set the controls;
// - an engine journal picked in the file input is accepted, the page shows its table's size and p50/p99, and a
//   run with it gives the hash of `npm run sim -- --latency-from <journal>` (Node, same table, same seed);
//   clearing it returns to the constant latency's hash; a file that is no journal is refused naming it;
// - no console errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { compileCore } from '../../host/core/core-loader.js';
import { readJournalFile } from '../../host/journal/journal-reader.js';
import { journalRoundTrips } from '../../host/journal/round-trips.js';
import { resolveRiskConfig } from '../../host/modules/pre-trade-risk.js';
import { prepareSimulation, runSimulation } from '../../host/sim/sim-driver.js';
import { engineTomlWith, valuesIn } from '../../playground/engine-toml.js';
import { LIMIT_PARAMS } from '../../playground/playground-params.js';
import { BASE_TOML, DURATION, DURATION_MS, KEYS, PROFILES, ROOT, openPlayground, runInPage, setInput as setPageInput, type PlaygroundPage } from '../testkit/playground-page.js';

const JOURNAL = join(ROOT, 'fixtures', 'journal', 'engine-round-trips.journal');
const SEED = 3;

let opened: PlaygroundPage;
let page: Page;
let consoleErrors: string[] = [];

before(async () => {
  opened = await openPlayground();
  ({ page, consoleErrors } = opened);
});

after(async () => {
  await opened?.close();
});

let nodeModule: Promise<WebAssembly.Module> | undefined;
/** Node's run of the same engine TOML and options, as `npm run sim` makes it (with --latency-from: `roundTripsNs`). */
async function nodeHash(values: Record<string, number | string>, roundTripsNs: readonly number[] = []): Promise<string> {
  nodeModule ??= compileCore();
  const config = loadEngineConfig(engineTomlWith(BASE_TOML, values), PROFILES);
  return runSimulation(prepareSimulation(await nodeModule, config, { seed: SEED, durationMs: DURATION_MS, latencyMs: 1, roundTripsNs })).traceHash;
}

const setInput = (testId: string, value: string): Promise<void> => setPageInput(page, testId, value);
/** Runs SEED for DURATION in the page; the trace hash it shows. */
const pageRun = (): Promise<string> => runInPage(page, SEED);

test('every risk, broker and watchdog limit is drawn in its group with the schema\'s range', async () => {
  for (const p of LIMIT_PARAMS) {
    const box = page.getByTestId(`param-${p.key}`);
    assert.equal(await box.count(), 1, `${p.key} has a box`);
    assert.equal(Number(await box.getAttribute('min')), p.min, `${p.key} min`);
    assert.equal(Number(await box.getAttribute('max')), p.max, `${p.key} max`);
    assert.equal(await page.getByTestId(`param-group-${p.group}`).getByTestId(`param-${p.key}`).count(), 1, `${p.key} in ${p.group}`);
  }
  // Sweepable like the others: each is an option of both sweep axes.
  const axisOptions = await page.getByTestId('sweep-x-key').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  for (const p of LIMIT_PARAMS) assert.ok(axisOptions.includes(p.key), `${p.key} can be swept`);
  // config/engine.toml sets the broker caps and the lockdown: their boxes show them; it leaves the risk limits to
  // the loader: their boxes are empty with the default as the placeholder.
  assert.equal(await page.getByTestId('param-execution.broker.perSecond').inputValue(), '10');
  assert.equal(await page.getByTestId('param-execution.rttWatchdog.lockdownMs').inputValue(), '20');
  assert.equal(await page.getByTestId('param-execution.risk.maxOpenOrders').inputValue(), '');
  assert.equal(await page.getByTestId('param-execution.risk.maxOpenOrders').getAttribute('placeholder'), '20');
});

test('a risk control changes the run\'s hash, as it changes Node\'s; the export carries it', async () => {
  const values = valuesIn(BASE_TOML, KEYS);
  const plain = await pageRun();
  assert.equal(plain, await nodeHash(values), 'default limits: browser and node agree');
  await setInput('param-execution.risk.maxOpenOrders', '1');
  const limited = await pageRun();
  assert.equal(limited, await nodeHash({ ...values, 'execution.risk.maxOpenOrders': 1 }), 'maxOpenOrders 1: browser and node agree');
  assert.notEqual(limited, plain, 'one working order at a time decides otherwise');
  await page.getByTestId('export').click();
  const exported = loadEngineConfig(await page.getByTestId('export-text').inputValue(), PROFILES);
  assert.equal(resolveRiskConfig(exported.execution.risk, exported.engine.symbols, 'execution.risk').maxOpenOrders, 1);
  await setInput('param-execution.risk.maxOpenOrders', '');
  assert.equal(await pageRun(), plain, 'an emptied box is the loader\'s default again');
  // An imported file's limits set the controls (a rupee limit as the loader's decimal string shows as its number).
  await page.getByTestId('import-text').fill(`${BASE_TOML}\n[execution.risk]\nmaxOpenOrders = 4\ndailyLossRupees = "2500.75"\n`
    .replace(/^perMinute = 400$/m, 'perMinute = 300'));
  await page.getByTestId('import').click();
  await page.getByTestId('import-ok').waitFor();
  assert.equal(await page.getByTestId('param-execution.risk.maxOpenOrders').inputValue(), '4');
  assert.equal(await page.getByTestId('param-execution.risk.dailyLossRupees').inputValue(), '2500.75');
  assert.equal(await page.getByTestId('param-execution.broker.perMinute').inputValue(), '300');
  await page.getByTestId('import-text').fill(BASE_TOML);
  await page.getByTestId('import').click();
  // config/engine.toml again: no risk limit set.
  await page.waitForFunction(() => (document.querySelector('[data-testid="param-execution.risk.maxOpenOrders"]') as HTMLInputElement).value === '');
  assert.deepEqual(consoleErrors, []);
});

test('an engine journal as the latency model: its table\'s size shown, the CLI\'s hash; cleared, the constant one', async () => {
  const values = valuesIn(BASE_TOML, KEYS);
  const trips = journalRoundTrips(readJournalFile(JOURNAL).records());
  await page.getByTestId('latency-from').setInputFiles(JOURNAL);
  const table = page.getByTestId('latency-table');
  await table.waitFor();
  assert.equal(await page.getByTestId('latency-table-size').textContent(), String(trips.length));
  assert.equal(trips.length, 258);
  assert.match((await table.textContent())!, /engine-round-trips\.journal: 258 round trips · p50 [\d.]+ µs · p99 [\d.]+ ms/);
  const recorded = await pageRun();
  assert.equal(recorded, await nodeHash(values, trips), 'the page\'s table decides what npm run sim -- --latency-from decides');
  assert.match((await page.getByTestId('run-id').textContent())!, /1 ms, orders' round trips drawn from 258 recorded$/);
  const constant = await nodeHash(values);
  assert.notEqual(recorded, constant);
  await page.getByTestId('latency-from-clear').click();
  assert.equal(await page.getByTestId('latency-table').count(), 0);
  assert.equal(await pageRun(), constant, 'cleared: the constant latency again');
  assert.match((await page.getByTestId('run-id').textContent())!, / 1 ms$/);

  await page.getByTestId('latency-from').setInputFiles({ name: 'engine.toml', mimeType: 'text/plain', buffer: Buffer.from(BASE_TOML) });
  await page.getByTestId('latency-from-error').waitFor();
  assert.match((await page.getByTestId('latency-from-error').textContent())!, /^engine\.toml: not a journal/);
  assert.deepEqual(consoleErrors, []);
});
