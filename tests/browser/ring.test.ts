// The playground in a real browser: the same core.wasm, over one shared memory, in two Web Workers.
// Uses the system Chromium through playwright-core; never downloads a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { chromium } from 'playwright-core';
import { startPlaygroundServer } from '../../playground/serve.js';
import type { RingResult } from '../../playground/ring-demo.js';

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];
const ROUND_TRIPS = 1000;
const RESULT_TIMEOUT_MS = 30_000;

/** Status of a GET for `path` sent verbatim: fetch() would normalise `..` away before sending. */
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

test('playground server isolates every response and refuses what it does not serve', async (t) => {
  const server = await startPlaygroundServer({ port: 0, host: '127.0.0.1' });
  t.after(() => server.close());

  const expectations: Array<[path: string, contentType: string]> = [
    ['/', 'text/html'],
    ['/dist/playground/ring-demo.js', 'text/javascript'],
    ['/dist/host/core/core.js', 'text/javascript'],
    ['/build/core.wasm', 'application/wasm'],
    ['/no-such-thing', 'text/plain'],
  ];
  for (const [path, contentType] of expectations) {
    const res = await fetch(new URL(path, server.url));
    await res.arrayBuffer();
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin', `COOP on ${path}`);
    assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp', `COEP on ${path}`);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-origin', `CORP on ${path}`);
    assert.ok(res.headers.get('content-type')?.startsWith(contentType), `${path}: content-type ${res.headers.get('content-type')}`);
    assert.equal(res.status, path === '/no-such-thing' ? 404 : 200, `status of ${path}`);
  }

  for (const path of ['/../package.json', '/dist/../package.json', '/dist/%2e%2e/package.json', '/dist/..%2f..%2fpackage.json', '/package.json', '/dist/../build/core.wasm']) {
    const status = await rawStatus(server.url, path);
    assert.ok(status === 400 || status === 404, `${path} must be refused, got ${status}`);
  }
  assert.equal(await rawStatus(server.url, '/', 'POST'), 405);
  assert.equal(await rawStatus(server.url, '/', 'HEAD'), 200);
});

test('two Web Workers ping-pong through the shared-memory rings of one core', async (t) => {
  if (!existsSync(CHROMIUM_PATH)) {
    assert.fail(`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get install chromium\` (or set CHROMIUM_PATH)`);
  }
  const server = await startPlaygroundServer({ port: 0, host: '127.0.0.1' });
  t.after(() => server.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  t.after(() => browser.close());

  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()); });

  await page.goto(new URL(`/?roundTrips=${ROUND_TRIPS}`, server.url).href);
  try {
    await page.waitForFunction(() => window.__ringResult !== undefined, undefined, { timeout: RESULT_TIMEOUT_MS });
  } catch (err) {
    assert.fail(`no ring result within ${RESULT_TIMEOUT_MS} ms (${(err as Error).message}); page errors: ${JSON.stringify(pageErrors)}`);
  }
  const isolated = await page.evaluate(() => window.__crossOriginIsolated);
  const result: RingResult | undefined = await page.evaluate(() => window.__ringResult);

  const context = `result ${JSON.stringify(result)}; page errors: ${JSON.stringify(pageErrors)}`;
  assert.equal(isolated, true, `page must be cross-origin isolated; ${context}`);
  assert.ok(result !== undefined && result.ok, context);
  assert.ok('roundTrips' in result, context);
  assert.equal(result.roundTrips, ROUND_TRIPS, context);
  assert.equal(result.mismatches, 0, context);
  assert.ok(Number.isFinite(result.medianRoundTripUs) && result.medianRoundTripUs >= 0, context);
  t.diagnostic(`median round trip: ${result.medianRoundTripUs} µs over ${result.roundTrips} round trips`);
});
