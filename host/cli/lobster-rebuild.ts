// Replays a LOBSTER message file through the core's book and reports how often the rebuilt book
// equals LOBSTER's orderbook file. stdout's last line is the machine-readable result; the human
// summary goes to stderr.
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_BAND_LEVELS, DEFAULT_TICK_SIZE, parseLobster, replayLobster, replayMemoryConfig, replayRegions,
} from '../replay/lobster-rebuild.js';
import { readCommandLine, runCommand, UsageError } from './command-line.js';
import { openStandaloneCore } from './standalone-core.js';

const USAGE = `usage: replay-lobster <message.csv> <orderbook.csv> [--levels N] [--tick T]
  --levels N  ticks in the book's price band, a power of two in [64, 1048576] (default ${DEFAULT_BAND_LEVELS})
  --tick T    LOBSTER price units (USD × 10000) per tick (default ${DEFAULT_TICK_SIZE}, i.e. $0.01)`;

interface Args { readonly messageFile: string; readonly orderbookFile: string; readonly levels: number; readonly tick: number }

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function parseCommandLine(argv: string[]): Args {
  const parsed = readCommandLine(argv, { levels: { type: 'string' }, tick: { type: 'string' } }, true);
  const [messageFile, orderbookFile, ...extra] = parsed.positionals;
  if (messageFile === undefined || orderbookFile === undefined) throw new UsageError('expected a message file and an orderbook file');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  return {
    messageFile,
    orderbookFile,
    levels: positiveInteger('levels', parsed.values.levels, DEFAULT_BAND_LEVELS),
    tick: positiveInteger('tick', parsed.values.tick, DEFAULT_TICK_SIZE),
  };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv);
  const [messageText, orderbookText] = await Promise.all([readText(args.messageFile), readText(args.orderbookFile)]);
  const data = parseLobster(messageText, orderbookText, {
    tickSize: args.tick, messageFile: args.messageFile, orderbookFile: args.orderbookFile,
  });

  const { core, map } = await openStandaloneCore(() => replayMemoryConfig(data.orderbook.depth, args.levels));
  const r = replayLobster(core, replayRegions(map), data);

  const pct = (n: number): string => `${((100 * n) / r.rows).toFixed(1)}%`;
  process.stderr.write(
    `replayed ${r.rows} messages against ${r.depth} levels per side\n`
    + `  top of book matches: ${r.topOfBookMatch} (${pct(r.topOfBookMatch)})\n`
    + `  all levels match:    ${r.allLevelsMatch} (${pct(r.allLevelsMatch)}), first mismatch at row ${r.firstMismatchRow ?? 'none'}\n`
    + `  clamped reductions:  ${r.clampedReductions} (they hit orders the files never showed us)\n`
    + `  band recenters:      ${r.recenters}, out-of-band updates: ${r.outOfBandUpdates}\n`,
  );
  process.stdout.write(`${JSON.stringify({
    depth: r.depth, band_levels: args.levels, tick: args.tick, clamped_reductions: r.clampedReductions,
    recenters: r.recenters, levels_dropped_by_recenter: r.levelsDroppedByRecenter, out_of_band_updates: r.outOfBandUpdates,
  })}\n`);
  process.stdout.write(`${JSON.stringify({
    rows: r.rows, top_of_book_match: r.topOfBookMatch, all_levels_match: r.allLevelsMatch, first_mismatch_row: r.firstMismatchRow,
  })}\n`);
}

runCommand('replay-lobster', USAGE, () => main(process.argv.slice(2)));
