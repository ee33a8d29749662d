// Costs of one fill under a cost profile, computed by the core: STT, exchange charge, SEBI fee, stamp duty,
// GST and brokerage in paise. Prints one JSON object on stdout.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError, ConfigSyntaxError } from '../config/config-error.js';
import { Side } from '../model/vocabulary.js';
import {
  COST_OUT_BYTES, fillCosts, loadCostProfiles, pickProfileVersion, rupeesToPaise,
  writeCostProfile, type CostProfiles,
} from '../modules/cost-model.js';
import { liveClock, type Clock } from '../platform/clock.js';
import { isEntry, readCommandLine, runCommand, UsageError } from './command-line.js';
import { openStandaloneCore } from './standalone-core.js';

/** config/costs.toml, relative to this file's place in dist/host/cli/. */
const DEFAULT_CONFIG = fileURLToPath(new URL('../../../config/costs.toml', import.meta.url));

const USAGE = `usage: costs --profile <name> --side buy|sell --price <rupees> --qty <n> [--date YYYY-MM-DD] [--config file]
  --profile  a profile of the config file (shipped: cash_intraday, cash_delivery, futures, options)
  --side     buy or sell
  --price    price in rupees, at most 2 decimals (the premium for options), e.g. 2500.00
  --qty      shares or units, a positive integer
  --date     picks the profile version in force that day (default: today in IST)
  --config   cost profiles TOML (default: config/costs.toml)`;

/**
 * The largest turnover (price × qty, paise) the output can carry: every amount is printed as a JSON
 * number, exact only up to 2^53 − 1, below the 10^16 paise (MAX_TURNOVER_PAISE) the core computes with.
 */
const MAX_OUTPUT_TURNOVER_PAISE = BigInt(Number.MAX_SAFE_INTEGER);

/** The config file could not be read or is not valid. */
class InputError extends Error {}

interface Args {
  readonly profile: string; readonly side: 'buy' | 'sell'; readonly pricePaise: bigint; readonly qty: bigint;
  readonly date: string; readonly config: string;
}

/** The date in India (UTC+05:30, no daylight saving) at `wallMs`. */
function dateIst(wallMs: number): string {
  return new Date(wallMs + 330 * 60_000).toISOString().slice(0, 10);
}

function required(name: string, v: string | undefined): string {
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

function parsePrice(text: string): bigint {
  if (/^-/.test(text)) throw new UsageError(`--price must not be negative, got ${JSON.stringify(text)}`);
  if (/^\d+\.\d{3,}$/.test(text)) throw new UsageError(`--price must have at most 2 decimals (paise), got ${JSON.stringify(text)}`);
  const paise = rupeesToPaise(text);
  if (paise === undefined) throw new UsageError(`--price must be rupees like 2500 or 2500.50, got ${JSON.stringify(text)}`);
  if (paise === 0n) throw new UsageError('--price must be positive, got "0"');
  return paise;
}

function checkArgs(parsed: ReturnType<typeof readOptions>, clock: Clock): Args {
  const v = parsed.values;
  const side = required('side', v.side);
  if (side !== 'buy' && side !== 'sell') throw new UsageError(`--side must be buy or sell, got ${JSON.stringify(side)}`);
  const qtyText = required('qty', v.qty);
  if (!/^\d+$/.test(qtyText) || BigInt(qtyText) <= 0n || BigInt(qtyText) > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`--qty must be a positive integer, got ${JSON.stringify(qtyText)}`);
  const pricePaise = parsePrice(required('price', v.price));
  const qty = BigInt(qtyText);
  if (pricePaise * qty > MAX_OUTPUT_TURNOVER_PAISE) {
    throw new UsageError(`price × qty must be at most ${MAX_OUTPUT_TURNOVER_PAISE} paise (the largest amount the output holds exactly), got ${pricePaise * qty}`);
  }
  return {
    profile: required('profile', v.profile), side, pricePaise, qty,
    date: v.date ?? dateIst(clock.wallMs()), config: v.config ?? DEFAULT_CONFIG,
  };
}

function readOptions(argv: readonly string[]) {
  return readCommandLine(argv, {
    profile: { type: 'string' }, side: { type: 'string' }, price: { type: 'string' }, qty: { type: 'string' },
    date: { type: 'string' }, config: { type: 'string' },
  });
}

async function loadProfiles(file: string): Promise<CostProfiles> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return loadCostProfiles(text, file);
  } catch (err) {
    if (err instanceof ConfigSyntaxError) throw new InputError(`${file}: ${err.where}`);
    if (err instanceof ConfigError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
}

/** The costs of the fill `argv` describes, as the JSON line to print; `clock` says what today is. */
export async function costsOutput(argv: readonly string[], clock: Clock): Promise<string> {
  const args = checkArgs(readOptions(argv), clock);
  const profiles = await loadProfiles(args.config);
  const version = pickProfileVersion(profiles, args.profile, args.date);

  const { core, map } = await openStandaloneCore((sizes) => ({
    states: [{ name: 'costs', bytes: sizes.costBytes() }],
    scratch: [{ worker: 'costs', bytes: COST_OUT_BYTES }],
  }));
  const state = map.states['costs']!.offset;
  writeCostProfile(core, state, version);
  let c;
  try {
    c = fillCosts(core, state, map.scratch['costs']!.offset, args.side === 'buy' ? Side.BUY : Side.SELL, args.pricePaise, args.qty);
  } catch (err) {
    // A profile whose rates add up to more than the turnover can push a charge past what the output holds.
    if (err instanceof RangeError) throw new UsageError(`price × qty = ${args.pricePaise * args.qty} paise: ${err.message}`);
    throw err;
  }

  return `${JSON.stringify({
    profile: args.profile, effective_from: version.effectiveFrom, side: args.side,
    price_paise: Number(args.pricePaise), qty: Number(args.qty), turnover_paise: c.turnover_paise,
    stt_paise: c.stt_paise, exchange_paise: c.exchange_paise, sebi_paise: c.sebi_paise, stamp_paise: c.stamp_paise,
    gst_paise: c.gst_paise, brokerage_paise: c.brokerage_paise, total_paise: c.total_paise,
  })}\n`;
}

if (isEntry(import.meta.url)) {
  runCommand('costs', USAGE, async () => { process.stdout.write(await costsOutput(process.argv.slice(2), liveClock)); });
}
