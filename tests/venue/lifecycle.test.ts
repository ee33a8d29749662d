// The venue process: the ready line, clean stop on SIGTERM/SIGINT (Logout VENUE_SHUTDOWN, exit 0),
// exit 2 naming the key for config errors, the shipped configs load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DisconnectReason, MessageType as T, Side, type Logout } from '../../host/protocol/index.js';
import { loadVenueConfig } from '../../host/venue/venue-config.js';
import { ConfigError } from '../../host/config/config-error.js';
import { MdClient, OeClient, baseConfig, runVenueToExit, startVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

const CONFIG_DIR = new URL('../../../config/', import.meta.url);

test('SIGTERM: sessions get Logout VENUE_SHUTDOWN, sockets close, exit 0; SIGINT too', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const oe = await OeClient.connect(venue.ready.oe_port);
  await oe.login(1, 'alpha');
  oe.newOrder(1, 1, Side.BUY, 58_000, 1);
  await oe.nextOf(T.Ack);
  const md = await MdClient.connect(venue.ready.md_port);
  await md.until((all) => all.length >= 4);
  const code = await venue.stop('SIGTERM');
  assert.equal(code, 0);
  const lo = await oe.nextOf<R<Logout>>(T.Logout);
  assert.equal(lo.reason, DisconnectReason.VENUE_SHUTDOWN);
  await oe.closed;
  await md.closed;
  assert.match(venue.stderr(), /SIGTERM: stopping/);

  const again = await startVenue(t, baseConfig());
  assert.equal(await again.stop('SIGINT'), 0);
});

test('config errors exit 2 and name the key', async () => {
  const cases: [string, RegExp][] = [
    [baseConfig().replace('oe_port = 0', 'oe_port = 70000'), /venue\.oe_port must be an integer in \[0, 65535\], got 70000/],
    [baseConfig().replace('oe_port = 0', 'oe_port = "x"'), /venue\.oe_port/],
    [baseConfig('', 'bogus = 1'), /venue\.bogus must be a known key/],
    [`${baseConfig()}\n[extra]\n`, /extra must be a known key/],
    [baseConfig().replace('band_pct = 10\ncapacity = 1024\n\n[[symbols]]', 'band_low = 60000\nband_high = 59000\ncapacity = 1024\n\n[[symbols]]'),
      /symbols\[0\]\.band_low must be at most band_high \(59000\)/],
    [baseConfig(`[symbols.flow]\nmin_lots = 9\nmax_lots = 3\n`), /symbols\[1\]\.flow\.min_lots must be at most max_lots \(3\)/],
    [baseConfig(`[symbols.flow]\npassive_fraction = 0.9\n`), /symbols\[1\]\.flow\.marketable_fraction/],
    [baseConfig('', 'heartbeat_min_ms = 5000\nheartbeat_max_ms = 1000'), /venue\.heartbeat_min_ms must be at most heartbeat_max_ms/],
    [baseConfig().replace('ref_price = 58000\n', ''), /symbols\[0\]\.ref_price/],
    [baseConfig().replace('name = "NIFTY-FUT"', 'name = "RELIANCE"'), /symbols\[1\]\.name must be unique/],
    [`${baseConfig()}\n[replay]\nkind = "lobster"\nsymbol = "RELIANCE"\nmessage_file = "/nonexistent.csv"\norderbook_file = "/nonexistent.csv"\n`,
      /replay\.message_file must be an existing file/],
    [`${baseConfig()}\n[replay]\nkind = "binance"\nsymbol = "TCS"\nfile = "${fileURLToPath(new URL('venue.toml', CONFIG_DIR))}"\n`,
      /replay\.symbol must be the name of a \[\[symbols\]\] entry/],
    ['[venue\n', /valid TOML/],
  ];
  for (const [toml, message] of cases) {
    const r = await runVenueToExit(toml);
    assert.equal(r.code, 2, `${message}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
  }
});

test('the shipped configs load', () => {
  for (const name of ['venue.toml', 'venue-replay-lobster.toml', 'venue-replay-binance.toml']) {
    const file = fileURLToPath(new URL(name, CONFIG_DIR));
    const c = loadVenueConfig(readFileSync(file, 'utf8'), file);
    assert.ok(c.symbols.length >= 1);
  }
  const main = loadVenueConfig(readFileSync(fileURLToPath(new URL('venue.toml', CONFIG_DIR)), 'utf8'));
  assert.deepEqual(main.symbols.map((s) => [s.name, s.tickPaise, s.lotSize]), [['RELIANCE', 5, 1], ['INFY', 5, 1], ['NIFTY-FUT', 5, 75]]);
});
