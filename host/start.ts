// `npm start`: the system as far as it exists, on the built-in simulated venue. Starts the venue
// (config/venue.toml, synthetic flow, ephemeral ports), connects a feed handler that keeps the core's
// L2 books in step with the venue's market data, serves the playground page (the cockpit's seed),
// prints the URL, and every few seconds prints each symbol's top of book as the engine sees it.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startVenue, type LocalVenue } from './venue/venue-process.js';
import { startPlaygroundServer } from '../playground/serve.js';
import { FeedHandler, type SymbolInfo } from './adapters/feed/feed-handler.js';
import { compileCore, coreSizes } from './core/core-loader.js';
import { createSharedMemory, instantiateCore } from './core/core.js';
import { planMemory } from './core/memory-map.js';

const VENUE_CONFIG = new URL('../../config/venue.toml', import.meta.url);
const BOOK_LEVELS = 4096;
const SUMMARY_EVERY_MS = 5000;

function usage(problem: string): never {
  process.stderr.write(`start: ${problem}\nusage: npm start [-- --port N]   (playground port, default 8080; 0 picks a free one)\n`);
  process.exit(2);
}

const rupees = (ticks: number, tickPaise: number): string =>
  `₹${((ticks * tickPaise) / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function summary(feed: FeedHandler, s: SymbolInfo, trades: number): string {
  const top = feed.top(s.id, 1);
  const bid = top.bids[0];
  const ask = top.asks[0];
  const side = (l: { price: number; qty: number } | undefined) => (l ? `${rupees(l.price, s.tickPaise)} × ${l.qty}` : '—');
  const spread = bid && ask ? `${ask.price - bid.price} ticks` : '—';
  return `${s.name.padEnd(10)} bid ${side(bid).padEnd(22)} ask ${side(ask).padEnd(22)} spread ${spread.padEnd(9)} trades ${trades}`;
}

async function main(): Promise<void> {
  let port = 8080;
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: 'string' } }, strict: true });
    if (values.port !== undefined) port = Number(values.port);
  } catch (err) {
    usage((err as Error).message);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port must be an integer in [0, 65535], got ${port}`);

  // The shipped venue config on ephemeral ports, so a second copy or a busy 9101 does not stop us.
  const config = (await readFile(VENUE_CONFIG, 'utf8')).replace(/^(oe_port|md_port)\s*=\s*\d+/gm, '$1 = 0');
  const venue: LocalVenue = await startVenue(config);
  const playground = await startPlaygroundServer({ port }).catch(async (err: Error) => {
    await venue.stop();
    throw new Error(`cannot serve the playground on 127.0.0.1:${port}: ${err.message} (choose another with --port N)`);
  });

  const module = await compileCore();
  const map = planMemory({
    books: venue.symbols.map((symbol) => ({ symbol, levels: BOOK_LEVELS })),
    scratch: [{ worker: 'feed', bytes: 4096 }],
  }, coreSizes(module));
  const core = instantiateCore(module, createSharedMemory(map.totalBytes));
  const trades = new Map<number, number>();
  const feed = new FeedHandler(
    { port: venue.mdPort, reconnect: { initialMs: 100, maxMs: 5000, jitter: 0.2 } },
    { core, books: map.books, scratch: map.scratch['feed']! },
    { onTrade: (symbol) => { trades.set(symbol, (trades.get(symbol) ?? 0) + 1); } },
  );
  feed.start();
  await feed.whenSynced(10_000);

  process.stdout.write(`cockpit (playground): ${playground.url}\n`);
  process.stdout.write(`venue: order entry 127.0.0.1:${venue.oePort}, market data 127.0.0.1:${venue.mdPort} `
    + `(${venue.symbols.join(', ')}; synthetic flow)\n`);
  process.stdout.write('press Ctrl-C to stop\n');

  const report = () => {
    for (const s of feed.symbols()) process.stderr.write(`${summary(feed, s, trades.get(s.id) ?? 0)}\n`);
    const c = feed.counters;
    process.stderr.write(`feed: ${c.frames} frames, ${c.deltas} deltas, ${c.gaps} gaps, ${c.reconnects} reconnects\n`);
  };
  report();
  const timer = setInterval(report, SUMMARY_EVERY_MS);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`start: ${signal}: stopping\n`);
    clearInterval(timer);
    feed.close();
    await Promise.all([venue.stop(), playground.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  venue.proc.once('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`start: the venue exited (code ${code}); stopping\n`);
      void stop('venue exit');
    }
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
