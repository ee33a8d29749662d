// The playground opened in Debian chromium for a browser test: `npm run playground`'s server on a free port (no
// engine, no monitor), one 1280×800 page on #/playground, every page error and console error collected.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../host/platform/chromium.js';
import { startPlaygroundServer, type PlaygroundServer } from '../../playground/serve.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { playgroundParams } from '../../playground/playground-params.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The engine TOML and cost profiles the page starts from, and every parameter key it draws. */
export const BASE_TOML = readFileSync(join(ROOT, 'config', 'engine.toml'), 'utf8');
export const PROFILES = loadCostProfiles(readFileSync(join(ROOT, 'config', 'costs.toml'), 'utf8'));
export const KEYS = playgroundParams([...PROFILES.keys()]).map((p) => p.key);
/** A short run: parity holds for any length, and the browser tests stay quick. */
export const DURATION = '1m';
export const DURATION_MS = 60_000;
export const RUN_TIMEOUT_MS = 60_000;

export interface PlaygroundPage {
  readonly server: PlaygroundServer;
  readonly browser: Browser;
  readonly page: Page;
  /** Page errors and console errors, in order. */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

export async function openPlayground(): Promise<PlaygroundPage> {
  assert.ok(existsSync(join(ROOT, 'cockpit', 'dist', 'index.html')), 'the cockpit is not built: run npm run build');
  const server = await startPlaygroundServer({ port: 0, host: '127.0.0.1' });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const consoleErrors: string[] = [];
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  await page.goto(new URL('#/playground', server.url).href);
  await page.getByTestId('run').waitFor();
  return {
    server, browser, page, consoleErrors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Types `value` into the control `testId` and commits it, as a user leaving the box does. */
export async function setInput(page: Page, testId: string, value: string): Promise<void> {
  const box = page.getByTestId(testId);
  await box.fill(value);
  await box.dispatchEvent('change');
}

/** Runs `seed` for DURATION in the page and waits for the run to end (no error shown, the result naming the seed);
 *  the trace hash it shows. */
export async function runInPage(page: Page, seed: number): Promise<string> {
  await setInput(page, 'seed', String(seed));
  await setInput(page, 'duration', DURATION);
  const before = Number(await page.getByTestId('run').getAttribute('data-runs-done'));
  await page.getByTestId('run').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="run"]')?.getAttribute('data-runs-done')) > n,
    before, { timeout: RUN_TIMEOUT_MS });
  const err = await page.getByTestId('run-error').count();
  assert.equal(err, 0, `the run failed in the page: ${err > 0 ? await page.getByTestId('run-error').textContent() : ''}`);
  assert.match((await page.getByTestId('run-id').textContent())!, new RegExp(`^${seed} ·`));
  return (await page.getByTestId('trace-hash').textContent())!.trim();
}
