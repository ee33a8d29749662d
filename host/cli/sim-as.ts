// `npm run sim:as`: the Monte Carlo study of Avellaneda & Stoikov (2008) run by the core: the inventory
// strategy (quotes around the reservation price) beside the symmetric one (around the mid, same spread).
// Progress on stderr when it is a terminal, then one JSON object on stdout.
import { ConfigError } from '../config/config-error.js';
import {
  CHUNK_BYTES, checkModel, figures, MAX_PATHS, PAPER_MODEL, PAPER_PATHS, simulate, stepsOf, type AsModel,
} from '../modules/avellaneda-stoikov.js';
import { isEntry, readCommandLine, runCommand, UsageError } from './command-line.js';
import { openStandaloneCore } from './standalone-core.js';

const USAGE = `usage: sim:as --gamma G [--paths N] [--seed S] [--sigma X] [--k X] [--A X] [--T X] [--dt X] [--s0 X]
  --gamma  risk aversion γ, in (0, 1000] (the paper: 0.01, 0.1, 1)
  --paths  simulated paths, an integer in [1, ${MAX_PATHS}] (default ${PAPER_PATHS})
  --seed   generator seed, an integer in [0, 4294967295] (default 1)
  --sigma  mid volatility per √time (default ${PAPER_MODEL.sigma})
  --k      decay of the fill intensity per price unit of distance (default ${PAPER_MODEL.k})
  --A      fill intensity at the mid, per unit of time (default ${PAPER_MODEL.A})
  --T      horizon (default ${PAPER_MODEL.T})
  --dt     time step, dividing T into a whole number of steps (default ${PAPER_MODEL.dt})
  --s0     mid at t = 0 (default ${PAPER_MODEL.s0})`;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const BAR_WIDTH = 30;

/** `--name`'s value as a number, or `fallback` when absent. */
function numberOption(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  if (!NUMBER.test(text.trim())) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function integerOption(name: string, text: string | undefined, fallback: number, lo: number, hi: number): number {
  const v = numberOption(name, text, fallback);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new ConfigError(`--${name}`, `an integer in [${lo}, ${hi}]`, text);
  return v;
}

export interface SimAsArgs { readonly model: AsModel; readonly paths: number; readonly seed: number }

/** Reads and checks the arguments; UsageError or ConfigError (both exit 2) name the bad one. */
export function readSimAsArgs(argv: readonly string[]): SimAsArgs {
  const { values: v } = readCommandLine(argv, {
    gamma: { type: 'string' }, paths: { type: 'string' }, seed: { type: 'string' }, sigma: { type: 'string' },
    k: { type: 'string' }, A: { type: 'string' }, T: { type: 'string' }, dt: { type: 'string' }, s0: { type: 'string' },
  });
  const model = checkModel({
    gamma: numberOption('gamma', v.gamma),
    sigma: numberOption('sigma', v.sigma, PAPER_MODEL.sigma),
    k: numberOption('k', v.k, PAPER_MODEL.k),
    A: numberOption('A', v.A, PAPER_MODEL.A),
    T: numberOption('T', v.T, PAPER_MODEL.T),
    dt: numberOption('dt', v.dt, PAPER_MODEL.dt),
    s0: numberOption('s0', v.s0, PAPER_MODEL.s0),
  }, '--');
  return {
    model,
    paths: integerOption('paths', v.paths, PAPER_PATHS, 1, MAX_PATHS),
    seed: integerOption('seed', v.seed, 1, 0, 0xffff_ffff),
  };
}

/** A one-line bar redrawn in place: `[#####.....]  50%  500/1000 paths`. */
function progressLine(done: number, total: number): string {
  const filled = Math.round((done / total) * BAR_WIDTH);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor((done / total) * 100)).padStart(3)}%  ${done}/${total} paths`;
}

/** Runs the study `argv` asks for and returns the JSON line to print; `progress` sees each chunk. */
export async function simAsOutput(argv: readonly string[], progress?: (done: number, total: number) => void): Promise<string> {
  const args = readSimAsArgs(argv);
  const { core, map } = await openStandaloneCore((sizes) => ({
    states: [{ name: 'as', bytes: Number(sizes.asSimBytes()) }],
    scratch: [{ worker: 'as-paths', bytes: CHUNK_BYTES }],
  }));
  const run = simulate(core, { state: map.states['as']!.offset, chunk: map.scratch['as-paths']!.offset }, args.model, args.paths, args.seed, progress);
  const f = figures(run);
  const m = args.model;
  return `${JSON.stringify({
    model: 'Avellaneda-Stoikov 2008',
    parameters: { gamma: m.gamma, sigma: m.sigma, k: m.k, A: m.A, T: m.T, dt: m.dt, s0: m.s0, steps: stepsOf(m), paths: args.paths, seed: args.seed },
    inventory: f.inventory,
    symmetric: f.symmetric,
  })}\n`;
}

if (isEntry(import.meta.url)) {
  runCommand('sim:as', USAGE, async () => {
    const tty = process.stderr.isTTY === true;
    // Redrawn only when the whole percent changes: a million paths are 10 000 chunks.
    let shown = -1;
    const progress = (done: number, total: number): void => {
      const percent = Math.floor((done / total) * 100);
      if (percent !== shown) { shown = percent; process.stderr.write(progressLine(done, total)); }
    };
    const out = await simAsOutput(process.argv.slice(2), tty ? progress : undefined);
    if (tty) process.stderr.write('\n');
    process.stdout.write(out);
  });
}
