// config/venue.toml's reader: the bounds that keep a symbol's band publishable, and the order-rate
// limit a config gets when it does not set one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../host/config/config-error.js';
import { DEFAULT_ORDERS_PER_SECOND, loadVenueConfig, MAX_BAND_PRICE, resolveBand } from '../../host/venue/venue-config.js';
import { baseConfig, runVenueToExit } from '../testkit/venue-harness.js';

const CONFIG_DIR = new URL('../../../config/', import.meta.url);

function withRef(ref: number | string, bandPct = 10): string {
  return baseConfig().replace('ref_price = 58000\nband_pct = 10', `ref_price = ${ref}\nband_pct = ${bandPct}`);
}

function refused(toml: string, key: string, message: RegExp): void {
  assert.throws(() => loadVenueConfig(toml), (err: unknown) => {
    assert.ok(err instanceof ConfigError, `ConfigError, got ${String(err)}`);
    assert.equal(err.key, key);
    assert.match(err.message, message);
    return true;
  });
}

/**
 * The band and reference the venue would publish for symbol 1 (as host/venue/exchange.ts derives them), and
 * whether a SymbolDefinition carrying them passes docs/protocol.md's rule (bandLow > 0, bandHigh ≥ bandLow,
 * refPrice inside the band), which the feed handler's validator enforces.
 */
function publishedBand(toml: string): { bandLow: number; bandHigh: number; ref: number; valid: boolean } {
  const s = loadVenueConfig(toml).symbols[0]!;
  const { bandLow, bandHigh } = resolveBand(s, s.refPrice!, true);
  const ref = Math.min(bandHigh, Math.max(bandLow, s.refPrice!));
  return { bandLow, bandHigh, ref, valid: bandLow > 0 && bandHigh >= bandLow && ref >= bandLow && ref <= bandHigh && ref === s.refPrice };
}

test('ref_price near 2^31 is refused naming the key, the bound and the value', () => {
  refused(withRef(2_147_483_000), 'symbols[0].ref_price', /symbols\[0\]\.ref_price must be an integer in \[1, \d+\].*got 2147483000/);
  refused(withRef(2_147_483_647), 'symbols[0].ref_price', /got 2147483647/);
  // The bound is the largest reference whose band (ref ± band_pct %, at most half the matching book wide)
  // stays at or below MAX_BAND_PRICE: one tick more is refused, and what is accepted publishes a valid band.
  for (const pct of [10, 0.01, 100]) {
    const max = Number(/\[1, (\d+)\]/.exec((() => {
      try { loadVenueConfig(withRef(2_147_483_647, pct)); } catch (err) { return (err as Error).message; }
      return '';
    })())![1]);
    assert.ok(max > 2_000_000_000 && max <= MAX_BAND_PRICE, `band_pct ${pct}: bound ${max}`);
    const band = publishedBand(withRef(max, pct));
    assert.ok(band.valid && band.bandHigh <= MAX_BAND_PRICE, `band_pct ${pct}, ref ${max}: ${JSON.stringify(band)}`);
    refused(withRef(max + 1, pct), 'symbols[0].ref_price', new RegExp(`got ${max + 1}`));
  }
  // An explicit band on a matched symbol has the same ceiling.
  refused(baseConfig().replace('ref_price = 58000\nband_pct = 10', `ref_price = ${MAX_BAND_PRICE}\nband_low = ${MAX_BAND_PRICE - 100}\nband_high = ${MAX_BAND_PRICE + 1}`),
    'symbols[0].band_high', new RegExp(`an integer in \\[1, ${MAX_BAND_PRICE}\\].*got ${MAX_BAND_PRICE + 1}`));
});

test('the venue process refuses such a config: exit 2 naming ref_price', async () => {
  const r = await runVenueToExit(withRef(2_147_483_000));
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /symbols\[0\]\.ref_price must be an integer in \[1, \d+\].*got 2147483000/);
});

test('a config without orders_per_second gets the default limit, not none; 0 still means no limit', () => {
  assert.ok(DEFAULT_ORDERS_PER_SECOND > 0);
  assert.equal(loadVenueConfig(baseConfig()).ordersPerSecond, DEFAULT_ORDERS_PER_SECOND);
  assert.equal(loadVenueConfig(baseConfig('', 'orders_per_second = 0')).ordersPerSecond, 0);
  assert.equal(loadVenueConfig(baseConfig('', 'orders_per_second = 5')).ordersPerSecond, 5);
  refused(baseConfig('', 'orders_per_second = -1'), 'venue.orders_per_second',
    new RegExp(`venue\\.orders_per_second must be an integer in \\[0, 1000000\\] \\(${DEFAULT_ORDERS_PER_SECOND} when left out; 0 = no limit\\), got -1`));
  for (const name of ['venue-replay-lobster.toml', 'venue-replay-binance.toml']) {
    const file = fileURLToPath(new URL(name, CONFIG_DIR));
    assert.equal(loadVenueConfig(readFileSync(file, 'utf8'), file).ordersPerSecond, DEFAULT_ORDERS_PER_SECOND, name);
  }
});
