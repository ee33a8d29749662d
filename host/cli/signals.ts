// Replays a LOBSTER pair through the core's book, Oracle and Sonar, and prints one JSON line per
// message: the signals the engine would have seen after that message.
import { readFile } from 'node:fs/promises';
import { initOracle, oracleStateBytes, validateOracleConfig } from '../modules/oracle.js';
import { initSonar, Regime, resolveSonarConfig, sonarStatePlans, sonarStates, type EntropySourceName } from '../modules/sonar.js';
import { parseLobster, replayLobster, replayMemoryConfig, replayRegions } from '../replay/lobster-rebuild.js';
import { readCommandLine, runCommand, UsageError } from './command-line.js';
import { openStandaloneCore } from './standalone-core.js';

const USAGE = `usage: signals --lobster <message.csv> <orderbook.csv> [options]
  --levels N     book levels in WOBI and imbalance, 1..64 (default 5)
  --lambda L     depth decay of the WOBI weights e^(−λ(i−1)), ≥ 0 (default 0.5)
  --window W     entropy window in book events (default 256)
  --order D      permutation-entropy order, 3..6 (default 4)
  --source S     entropy driving the regime: permutation | shannon (default permutation)
  --enter A      entropy at or below which the regime enters Attack (default 0.6)
  --exit B       entropy at or above which it leaves Attack, B > A (default 0.7)
One JSON line per message on stdout: row, wobi, imbalance_pct, weighted_mid and mid (ticks of $0.01),
ofi, ofi_z, signal, entropy, regime. Entropy is 1 until the window has filled.`;

function num(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(text)}`);
  return n;
}

function parseCommandLine(argv: string[]) {
  const parsed = readCommandLine(argv, {
    lobster: { type: 'boolean' }, levels: { type: 'string' }, lambda: { type: 'string' }, window: { type: 'string' },
    order: { type: 'string' }, source: { type: 'string' }, enter: { type: 'string' }, exit: { type: 'string' },
  }, true);
  const { values: v, positionals } = parsed;
  if (!v.lobster) throw new UsageError('the input format is required: --lobster <message.csv> <orderbook.csv>');
  if (positionals.length !== 2) throw new UsageError(`expected 2 files after --lobster, got ${positionals.length}`);
  const oracle = validateOracleConfig({
    ...(v.levels !== undefined && { levels: num('levels', v.levels) }),
    ...(v.lambda !== undefined && { lambda: num('lambda', v.lambda) }),
  });
  const sonar = resolveSonarConfig({
    sonar: {
      ...(v.window !== undefined && { window: num('window', v.window) }),
      ...(v.order !== undefined && { order: num('order', v.order) }),
      ...(v.source !== undefined && { source: v.source as EntropySourceName }),
    },
    regime: {
      ...(v.enter !== undefined && { enter: num('enter', v.enter) }),
      ...(v.exit !== undefined && { exit: num('exit', v.exit) }),
    },
  });
  return { messageFile: positionals[0]!, orderbookFile: positionals[1]!, oracle, sonar };
}

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv);
  const read = async (file: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const [messageText, orderbookText] = await Promise.all([read(args.messageFile), read(args.orderbookFile)]);
  const data = parseLobster(messageText, orderbookText, { messageFile: args.messageFile, orderbookFile: args.orderbookFile });

  const { core, map } = await openStandaloneCore((sizes) => ({
    ...replayMemoryConfig(data.orderbook.depth),
    states: [{ name: 'oracle', bytes: oracleStateBytes(sizes, args.oracle) }, ...sonarStatePlans(sizes, args.sonar)],
  }));
  const oracle = map.states['oracle']!.offset;
  const sonar = sonarStates(map.states);
  initOracle(core, oracle, args.oracle);
  initSonar(core, sonar, args.sonar);
  const regions = replayRegions(map);
  const book = regions.book.offset;
  const time = data.messages.time;

  const out: string[] = [];
  replayLobster(core, regions, data, {
    onRow(step) {
      const status = core.oracleUpdate(oracle, book);
      if (status !== 0) throw new Error(`row ${step.row}: oracleUpdate failed with status ${status}`);
      const mid = core.oracleMid(oracle);
      const entropy = core.entropyPush(sonar.entropy, mid);
      // LOBSTER time is seconds after midnight with nanosecond digits; the regime's dwell runs on it.
      const nowNs = BigInt(Math.round(time[step.row - 1]! * 1e9));
      const regime = core.regimeUpdate(sonar.regime, entropy, nowNs);
      out.push(JSON.stringify({
        row: step.row,
        wobi: core.oracleWobi(oracle),
        imbalance_pct: core.oracleImbalancePct(oracle),
        weighted_mid: core.oracleWeightedMid(oracle),
        mid,
        ofi: core.oracleOfi(oracle),
        ofi_z: core.oracleOfiZ(oracle),
        signal: core.oracleSignal(oracle),
        entropy,
        regime: regime === Regime.ATTACK ? 'attack' : 'veto',
      }));
      if (out.length === 1000) { process.stdout.write(`${out.join('\n')}\n`); out.length = 0; }
    },
  });
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
}

runCommand('signals', USAGE, () => main(process.argv.slice(2)));
