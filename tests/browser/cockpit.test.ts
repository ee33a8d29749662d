// The cockpit in Debian chromium against the real monitor (createMonitor) over a fake engine that trades on
// paper (tests/testkit/fake-engine.ts): every area shows live figures that change, with their units; the kill
// switch needs its confirm step and then reaches the engine; reset needs the typed confirmation; a parameter
// change reaches the engine and its answer is shown; without the token the controls are disabled and the
// monitor refuses them; no console errors. Screenshots at 1280×800 and 1920×1080 go to test-results/cockpit/
// (and, with COCKPIT_SCREENSHOT=path, one more to that path: `npm run screenshot` writes docs/cockpit.png).
// Uses the system Chromium through playwright-core; never downloads a browser.
import { after, before, test } from 'node:test';
import { launchChromium } from '../../host/platform/chromium.js';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { ControlAction } from '../../host/journal/records.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { ExecParam, ExecTtlAction } from '../../host/modules/execution.js';
import { liveClock } from '../../host/platform/clock.js';
import { unlinkShared } from '../../host/platform/native.js';
import { ensureControlToken } from '../../host/telemetry/index.js';
import { createMonitor, type Monitor } from '../../monitor/monitor-app.js';
import { fakeEngine, type FakeEngine } from '../testkit/fake-engine.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COCKPIT = join(ROOT, 'cockpit', 'dist');
const SHOTS = join(ROOT, 'test-results', 'cockpit');
const SYMBOLS = ['RELIANCE', 'INFY', 'NIFTY-FUT'];
/** Areas of the page (data-panel) that must show live figures. */
const AREAS = ['sentinel', 'sonar', 'oracle', 'execution', 'capstone', 'positions', 'risk', 'blotter', 'alerts'];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let dir = '';
let segment = '';
let token = '';
let engine: FakeEngine;
let monitor: Monitor;
let base = '';
let browser: Browser;
const consoleErrors: string[] = [];
/** The console errors but the browser's own note of the refused requests a test provoked (by status). */
function unexpectedErrors(allowedStatuses: readonly number[] = []): string[] {
  const out = consoleErrors.filter((e) => !allowedStatuses.some((s) => e.includes(`Failed to load resource: the server responded with a status of ${s} `)));
  consoleErrors.length = 0;
  return out;
}

before(async () => {
  assert.ok(existsSync(join(COCKPIT, 'index.html')), `the cockpit is not built (${COCKPIT}): run npm run build`);
  dir = mkdtempSync(join(tmpdir(), 'tradecore-cockpit-'));
  token = ensureControlToken(join(dir, 'ctl'));
  segment = `/tradecore-cockpit-test-${process.pid}`;
  const journal = join(dir, 'engine.journal');
  // The engine refuses a quantity above 100, as a running strategy might.
  engine = fakeEngine(segment, token, (key, value) => (key === ExecParam.QTY && value > 100 ? -1 : 0), {
    symbols: [101, 102, 103], journal, periodMs: 50,
  });
  monitor = createMonitor({
    segment, journal, controlDir: join(dir, 'ctl'), symbols: SYMBOLS, clock: liveClock, cockpitDir: COCKPIT,
    openReads: true, streamHz: 15, controlTimeoutMs: 1000,
  });
  await monitor.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = monitor.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  engine?.stop();
  await monitor?.close();
  if (segment) unlinkShared(segment);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(viewport: { width: number; height: number }, withToken = true): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`console: ${msg.text()}`);
  });
  await page.goto(`${base}/${withToken ? `#token=${token}` : ''}`);
  return page;
}

/** Each area's text and the pixels of its canvases: what a person sees of it. */
async function areaLooks(page: Page): Promise<Record<string, string>> {
  return page.evaluate((areas) => {
    const out: Record<string, string> = {};
    for (const a of areas) {
      const el = document.querySelector(`[data-panel="${a}"]`) as HTMLElement | null;
      out[a] = el ? el.innerText + Array.from(el.querySelectorAll("canvas")).map((c) => (c as HTMLCanvasElement).toDataURL()).join('') : '';
    }
    return out;
  }, AREAS);
}

const text = (page: Page, selector: string): Promise<string> => page.locator(selector).first().innerText();

/** Waits until the text of `selector` matches `re`. */
async function shows(page: Page, selector: string, re: RegExp, timeout = 5000): Promise<void> {
  await page.waitForFunction(([s, src]) => new RegExp(src).test((document.querySelector(s) as HTMLElement | null)?.innerText ?? ''),
    [selector, re.source] as const, { timeout, polling: 50 });
}

test('every area shows live, changing figures with their units within 2 s', async (t) => {
  const page = await open({ width: 1280, height: 800 });
  // From the page's load (its script has run): loading the page itself is the browser's and the machine's time.
  const t0 = Date.now();
  // Live: the stream is connected, the engine up, and every area has figures (not the placeholders).
  await page.waitForFunction(() => {
    const t = (s: string): string => (document.querySelector(s) as HTMLElement | null)?.innerText ?? '';
    return t('[data-testid="monitor-connection"]').includes('connected') && t('[data-testid="engine-link"]').includes('up')
      && !t('[data-testid="rtt-now"]').includes('—') && !t('[data-testid="rate-orders"]').includes('—')
      && t('[data-testid="blotter"]').includes('BUY') && !t('[data-testid="alerts"]').includes('no alert')
      && document.querySelectorAll('[data-testid="gate"] li').length >= 6 * 3;
  }, undefined, { timeout: 5000, polling: 50 });
  const liveMs = Date.now() - t0;
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').concat(performance.getEntriesByType('navigation'))
    .map((m) => `${m.name.replace(/^http.*/, 'navigation')} ${Math.round(m.startTime)}${m.entryType === 'navigation' ? `..${Math.round((m as PerformanceNavigationTiming).loadEventEnd)}` : ''} ms`));
  t.diagnostic(`every area live ${liveMs} ms after the page's load; page timeline: ${marks.join(', ')}`);
  const first = await areaLooks(page);
  await sleep(800);
  const second = await areaLooks(page);
  for (const a of AREAS) {
    assert.ok(first[a]!.length > 0, `area ${a} is on the page`);
    assert.notEqual(second[a], first[a], `area ${a} changed between two looks 0.8 s apart`);
  }
  assert.ok(liveMs < 2000, `every area live within 2 s of the page's load, took ${liveMs} ms`);

  // Units: times, money, percentages, lots, rates.
  assert.match(await text(page, '[data-testid="rtt-now"]'), /^\d+(\.\d+)? (ns|µs|ms|s)$/);
  assert.match(await text(page, '[data-testid="rate-orders"]'), /^\d+\.\d \/s$/);
  assert.match(await text(page, '[data-testid="day-pnl"]'), /^[+−]?₹[\d,]+\.\d\d$/);
  assert.match(await text(page, '[data-testid="oracle-RELIANCE"] [data-testid="imbalance"]'), /^−?\d+\.\d\d %$/);
  assert.match(await text(page, '[data-testid="positions"] tbody tr td:nth-child(2)'), /^−?[\d,]+ lots?$/);
  assert.match(await text(page, '[data-testid="latency"]'), /p99\.9\s+\d+(\.\d+)? (ns|µs|ms)/);
  assert.match(await text(page, '[data-testid="order-latency"]'), /^\d+(\.\d+)? (µs|ms)$/, 'the blotter shows a per-order latency');
  // Symbol names come from the monitor's hello, by slot.
  for (const s of SYMBOLS) assert.equal(await page.locator(`[data-testid="sonar-${s}"]`).count(), 1, `Sonar shows ${s}`);
  assert.match(await text(page, '[data-testid="sonar-INFY"] [data-testid="regime"]'), /^(Attack|Veto)$/);
  // The RTT chart is uPlot (a canvas), the heatmaps plain canvases; no SVG chart anywhere.
  assert.ok(await page.locator('[data-panel="sentinel"] .uplot canvas').count() >= 1, 'RTT chart drawn by uPlot');
  assert.equal(await page.locator('[data-panel="oracle"] canvas').count(), SYMBOLS.length, 'one WOBI heatmap per symbol');
  assert.equal(await page.locator('main svg').count(), 0, 'no SVG charts');

  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'cockpit-1280x800.png'), fullPage: false });
  const wide = await open({ width: 1920, height: 1080 });
  await wide.waitForFunction(() => !((document.querySelector('[data-testid="rate-orders"]') as HTMLElement | null)?.innerText ?? '—').includes('—'),
    undefined, { timeout: 5000 });
  const copyTo = process.env['COCKPIT_SCREENSHOT'];
  // The picture for the README: let the histories (20 s of charts, 12 s of heatmap) fill first.
  await sleep(copyTo ? 12_000 : 1500);
  const shot = join(SHOTS, 'cockpit-1920x1080.png');
  await wide.screenshot({ path: shot, fullPage: false });
  for (const f of ['cockpit-1280x800.png', 'cockpit-1920x1080.png']) assert.ok(statSync(join(SHOTS, f)).size > 20_000, `${f} saved`);
  if (copyTo) copyFileSync(shot, copyTo);
  await page.context().close();
  await wide.context().close();
  assert.deepEqual(unexpectedErrors(), [], 'no console errors');
});

test('the kill switch needs its confirm step, then the engine halts on the kill word', async () => {
  const page = await open({ width: 1280, height: 800 });
  await page.waitForFunction(() => (document.querySelector('[data-testid="engine-link"]') as HTMLElement | null)?.innerText.includes('up'));
  await page.getByTestId('kill').click();
  await sleep(300);
  assert.equal(engine.control.killSet(), false, 'the first click only arms the switch');
  assert.equal(engine.reader.tradingState().values.state, TradingState.ACTIVE);
  await page.getByTestId('kill-confirm').click();
  await page.waitForFunction(() => /kill: done/.test((document.querySelector('[data-testid="control-answer"]') as HTMLElement | null)?.innerText ?? ''),
    undefined, { timeout: 5000 });
  assert.equal(engine.control.killSet(), true, 'the engine sees the kill word');
  const st = engine.reader.tradingState().values;
  assert.deepEqual([st.state, st.reason], [TradingState.HALTED, TradingStateReason.KILL]);
  assert.ok(engine.journal.some((j) => j.action === ControlAction.KILL && j.accepted), 'the engine journaled the kill');
  assert.match(await text(page, '[data-testid="control-answer"]'), /HALTED \(KILL\)/);
  await page.waitForFunction(() => (document.querySelector('[data-testid="trading-state"]') as HTMLElement | null)?.innerText.includes('HALTED'),
    undefined, { timeout: 2000 });
  // Halted: the paper engine makes no order, and the cockpit's orders/s falls to 0.
  const made = engine.ordersMade();
  await sleep(1500);
  assert.equal(engine.ordersMade(), made, 'no order after the kill');
  assert.equal(await text(page, '[data-testid="rate-orders"]'), '0.0 /s');
  await page.context().close();
  assert.deepEqual(unexpectedErrors(), [], 'no console errors');
});

test('flatten needs its confirm step, then reaches the engine', async () => {
  const page = await open({ width: 1280, height: 800 });
  const before = engine.collars.length;
  await page.getByTestId('flatten').click();
  await sleep(300);
  assert.equal(engine.collars.length, before, 'the first click only arms flatten');
  await page.getByTestId('flatten-confirm').click();
  await page.waitForFunction(() => /flatten: done/.test((document.querySelector('[data-testid="control-answer"]') as HTMLElement | null)?.innerText ?? ''),
    undefined, { timeout: 5000 });
  assert.deepEqual(engine.collars.slice(before), [0], 'one flatten with the configured collar');
  await page.context().close();
  assert.deepEqual(unexpectedErrors(), [], 'no console errors');
});

test('reset needs the typed confirmation RESET', async () => {
  if (engine.reader.tradingState().values.state !== TradingState.HALTED) engine.control.kill();
  for (let i = 0; i < 100 && engine.reader.tradingState().values.state !== TradingState.HALTED; i++) await sleep(10);
  const page = await open({ width: 1280, height: 800 });
  const reset = page.getByTestId('reset');
  assert.equal(await reset.isDisabled(), true, 'reset is disabled before anything is typed');
  await page.getByTestId('reset-text').fill('reset');
  assert.equal(await reset.isDisabled(), true, 'a wrong confirmation keeps it disabled');
  assert.equal(engine.reader.tradingState().values.state, TradingState.HALTED);
  await page.getByTestId('reset-text').fill('RESET');
  assert.equal(await reset.isDisabled(), false, 'typing RESET enables it');
  await reset.click();
  await page.waitForFunction(() => /reset: done/.test((document.querySelector('[data-testid="control-answer"]') as HTMLElement | null)?.innerText ?? ''),
    undefined, { timeout: 5000 });
  const st = engine.reader.tradingState().values;
  assert.deepEqual([st.state, st.reason], [TradingState.ACTIVE, TradingStateReason.RESET]);
  assert.equal(engine.control.killSet(), false);
  await page.context().close();
  assert.deepEqual(unexpectedErrors(), [], 'no console errors');
});

test('a parameter change reaches the engine and its answer is shown, a refusal too', async () => {
  const page = await open({ width: 1280, height: 800 });
  const row = page.getByTestId('param-execution.strategy.qty');
  await row.waitFor({ timeout: 10_000 });
  await row.locator('input').fill('7');
  await row.getByRole('button', { name: 'apply' }).click();
  await page.waitForFunction(() => /done/.test((document.querySelector('[data-testid="param-execution.strategy.qty"] .answer') as HTMLElement | null)?.innerText ?? ''),
    undefined, { timeout: 5000 });
  assert.deepEqual(engine.params.at(-1), { key: ExecParam.QTY, value: 7 }, 'the engine applied qty 7');

  await row.locator('input').fill('200');
  await row.getByRole('button', { name: 'apply' }).click();
  await page.waitForFunction(() => /refused \(422\)/.test((document.querySelector('[data-testid="param-execution.strategy.qty"] .answer') as HTMLElement | null)?.innerText ?? ''),
    undefined, { timeout: 5000 });
  assert.notDeepEqual(engine.params.at(-1), { key: ExecParam.QTY, value: 200 }, 'the engine refused 200');

  // A value outside the range the monitor allows never reaches the engine: 400 naming the range.
  const threshold = page.getByTestId('param-execution.strategy.threshold');
  const before = engine.params.length;
  await threshold.locator('input').fill('5');
  await threshold.getByRole('button', { name: 'apply' }).click();
  await page.waitForFunction(() => /refused \(400\).*\[0, 1\]/.test((document.querySelector('[data-testid="param-execution.strategy.threshold"] .answer') as HTMLElement | null)?.innerText ?? ''),
    undefined, { timeout: 5000 });
  assert.equal(engine.params.length, before);

  // A word-valued parameter is a choice: the time-to-live action, cancel or reprice.
  const ttl = page.getByTestId('param-execution.ttlAction');
  await ttl.locator('select').selectOption('reprice');
  await ttl.getByRole('button', { name: 'apply' }).click();
  await page.waitForFunction(() => /done/.test((document.querySelector('[data-testid="param-execution.ttlAction"] .answer') as HTMLElement | null)?.innerText ?? ''),
    undefined, { timeout: 5000 });
  assert.deepEqual(engine.params.at(-1), { key: ExecParam.TTL_ACTION, value: ExecTtlAction.REPRICE }, 'the engine got reprice');
  await page.context().close();
  assert.deepEqual(unexpectedErrors([422, 400]), [], 'no console errors but the browser\'s note of the two refusals');
});

test('without the token the controls are disabled with a message, and the monitor refuses them', async () => {
  const page = await open({ width: 1280, height: 800 }, false);
  await page.waitForFunction(() => (document.querySelector('[data-testid="monitor-connection"]') as HTMLElement | null)?.innerText.includes('connected'));
  assert.match(await text(page, '[data-testid="token-needed"]'), /control token/);
  for (const id of ['kill', 'flatten', 'reset']) assert.equal(await page.getByTestId(id).isDisabled(), true, `${id} is disabled`);
  assert.equal(await page.getByTestId('param-execution.strategy.qty').getByRole('button', { name: 'apply' }).isDisabled(), true);
  assert.match(await text(page, '[data-testid="token-state"]'), /no control token/);
  // The page (or anyone) posting without the token is refused by the monitor.
  const status = await page.evaluate(async () => (await fetch('/api/kill', { method: 'POST' })).status);
  assert.equal(status, 401);
  assert.equal(engine.control.killSet(), false, 'nothing reached the engine');
  await page.context().close();
  assert.deepEqual(unexpectedErrors([401]), [], 'no console errors but the browser\'s note of the refused request');
});

test('the header follows the links: the monitor gone → reconnecting with backoff, back → live; the engine stopped → down', async () => {
  const page = await open({ width: 1280, height: 800 });
  await shows(page, '[data-testid="engine-link"]', /up, pid/);
  const port = Number(new URL(base).port);
  await monitor.close();
  await shows(page, '[data-testid="monitor-connection"]', /reconnecting in \d+\.\d s \(attempt \d+\)/, 5000);
  assert.match(await text(page, '[data-testid="engine-link"]'), /unknown/, 'without the monitor the engine state is unknown, not the last one seen');
  monitor = createMonitor({
    segment, journal: join(dir, 'engine.journal'), controlDir: join(dir, 'ctl'), symbols: SYMBOLS, clock: liveClock, cockpitDir: COCKPIT,
    openReads: true, streamHz: 15, controlTimeoutMs: 1000,
  });
  await monitor.app.listen({ host: '127.0.0.1', port });
  await shows(page, '[data-testid="monitor-connection"]', /connected/, 10_000);
  await shows(page, '[data-testid="engine-link"]', /up, pid/, 3000);
  engine.stop();
  await shows(page, '[data-testid="engine-link"]', /down/, 5000);
  await page.context().close();
  // The socket's refused reconnects are the browser's own notes, not the page's errors.
  assert.deepEqual(unexpectedErrors().filter((e) => !/WebSocket connection to .* failed/.test(e)), [], 'no console errors');
});
