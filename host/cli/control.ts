// `npm run kill`, `npm run flatten`, `npm run reset`: write the engine's control block (docs/telemetry.md
// "Control") and wait for its acknowledgement. Exit 0 when the engine acted, 1 when it refused or did not
// answer in time (the message says which), 2 for bad arguments.
//   kill:    sets the kill word; the engine halts (HALTED, reason KILL) and cancels every working order. The
//            word stays set even if the engine does not answer, so an engine that comes back halts at once.
//   flatten: the engine exits its positions reduce-only within a price collar, in HALTED and REDUCING too.
//   reset:   takes the engine out of HALTED; needs the engine's control token (--token, or the token file the
//            engine created, mode 0600). Refused without it. If the engine refuses or does not answer, the
//            kill word is set back as it was.
import {
  ControlActions, ControlWriter, DEFAULT_SEGMENT_NAME, SegmentReader, defaultControlDir, describeState, mapSegmentFile,
  readControlToken, checkTokenFormat, ControlTokenError,
} from '../telemetry/index.js';
import { liveClock } from '../platform/clock.js';
import { isEntry, readCommandLine, runCommand, UsageError } from './command-line.js';

const USAGE = `usage: control kill|flatten|reset [--segment NAME] [--timeout-ms N] [--collar TICKS] [--token HEX] [--token-dir DIR]
  npm run kill      halt the engine: HALTED, every working order cancelled (the kill word stays set)
  npm run flatten   exit every position reduce-only, within --collar ticks of the touch (default: the engine's)
  npm run reset     leave HALTED; needs the engine's control token: --token, else the file control-token in
                    --token-dir (default $TRADECORE_HOME or ~/.tradecore), which the engine created (mode 0600)
  --segment NAME    the engine's telemetry segment under /dev/shm (default ${DEFAULT_SEGMENT_NAME})
  --timeout-ms N    how long to wait for the engine's acknowledgement (default 2000)
  Exit 0: done; 1: refused or no answer in time; 2: bad arguments.`;

const ACTIONS = ['kill', 'flatten', 'reset'] as const;
type Action = (typeof ACTIONS)[number];

interface Args {
  readonly action: Action;
  readonly segment: string;
  readonly timeoutMs: number;
  readonly collar: number;
  readonly token: string | null;
  readonly tokenDir: string;
}

/** The engine refused, or did not answer: exit 1 with this message. */
class ControlFailed extends Error {}

function parse(argv: string[]): Args {
  const { values, positionals } = readCommandLine(argv, {
    segment: { type: 'string' }, 'timeout-ms': { type: 'string' }, collar: { type: 'string' }, token: { type: 'string' },
    'token-dir': { type: 'string' },
  }, true);
  const [action, ...extra] = positionals;
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`expected one of ${ACTIONS.join(', ')}, got ${action === undefined ? 'nothing' : JSON.stringify(action)}`);
  }
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const segment = values.segment ?? DEFAULT_SEGMENT_NAME;
  if (!/^\/[^/]+$/.test(segment)) throw new UsageError(`--segment must be a name like ${DEFAULT_SEGMENT_NAME} (one leading /), got ${JSON.stringify(segment)}`);
  const int = (option: string, text: string | undefined, fallback: number, min: number, max: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`--${option} must be an integer in [${min}, ${max}], got ${JSON.stringify(text)}`);
    return n;
  };
  if (values.collar !== undefined && action !== 'flatten') throw new UsageError('--collar is for flatten only');
  if ((values.token !== undefined || values['token-dir'] !== undefined) && action !== 'reset') throw new UsageError('--token and --token-dir are for reset only');
  if (values.token !== undefined) {
    try {
      checkTokenFormat(values.token, '--token');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return {
    action: action as Action, segment,
    timeoutMs: int('timeout-ms', values['timeout-ms'], 2000, 1, 600_000),
    collar: int('collar', values.collar, 0, 0, 0x7fffffff),
    token: values.token ?? null,
    tokenDir: values['token-dir'] ?? defaultControlDir(),
  };
}

async function main(argv: string[]): Promise<void> {
  const args = parse(argv);
  // A reset without a token is refused before anything is written.
  let token: string | null = null;
  if (args.action === 'reset') {
    try {
      token = args.token ?? readControlToken(args.tokenDir);
    } catch (err) {
      if (err instanceof ControlTokenError) throw new ControlFailed(`reset refused: ${err.message}`);
      throw err;
    }
  }
  const sab = mapSegmentFile(args.segment);
  const reader = new SegmentReader(sab, { clock: liveClock, engineDownAfterMs: Math.min(1000, args.timeoutMs) });
  const actions = new ControlActions(new ControlWriter(sab), reader, liveClock);
  const outcome = args.action === 'kill' ? await actions.kill(args.timeoutMs)
    : args.action === 'flatten' ? await actions.flatten(args.collar, args.timeoutMs)
    : await actions.reset(token!, args.timeoutMs);
  if (!outcome.ok) throw new ControlFailed(outcome.message);
  const ms = outcome.ms.toFixed(1);
  const state = describeState(outcome.state, outcome.reason);
  if (args.action === 'kill') {
    process.stdout.write(`kill: engine halted in ${ms} ms, state ${state}; its working orders are being cancelled\n`);
  } else if (args.action === 'flatten') {
    const collar = args.collar === 0 ? "the engine's configured collar" : `a collar of ${args.collar} ticks`;
    process.stdout.write(`flatten: acknowledged in ${ms} ms; the engine is exiting its positions reduce-only within ${collar} (state ${state})\n`);
  } else {
    process.stdout.write(`reset: accepted in ${ms} ms, state ${state}\n`);
  }
}

if (isEntry(import.meta.url)) {
  const action = process.argv[2];
  runCommand(action && (ACTIONS as readonly string[]).includes(action) ? action : 'control', USAGE, () => main(process.argv.slice(2)));
}
