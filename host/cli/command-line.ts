// What the CLIs share: arguments read one way, and errors sorted the same way (a usage or config error
// exits 2 with the usage, anything else exits 1 with its message).
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/config-error.js';

/** Bad arguments: the CLI prints the message and its usage and exits 2. */
export class UsageError extends Error {}

/** --help or -h was given: the CLI prints its usage on stdout and exits 0. */
export class HelpRequested extends Error {
  constructor() {
    super('help requested');
  }
}

type OptionTypes = Record<string, { readonly type: 'string' | 'boolean' }>;
type Values<O extends OptionTypes> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

export interface CommandLine<O extends OptionTypes> {
  readonly values: Values<O>;
  readonly positionals: readonly string[];
}

/** A value that starts like a negative number: `--price -1` means the value -1, not an option `-1`. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * Node's parseArgs, strict. `--opt -1` is read as `--opt=-1`: parseArgs calls a value that starts with
 * '-' ambiguous and refuses it, so a CLI's own message for a negative number would never be seen.
 * Throws UsageError for bad arguments and HelpRequested for --help or -h.
 */
export function readCommandLine<const O extends OptionTypes>(
  argv: readonly string[], options: O, allowPositionals = false,
): CommandLine<O> {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { args.push(...argv.slice(i)); break; }
    const next = argv[i + 1];
    if (a.startsWith('--') && options[a.slice(2)]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else {
      args.push(a);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args, strict: true, allowPositionals, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { help, ...values } = parsed.values as Record<string, unknown>;
  if (help === true) throw new HelpRequested();
  return { values: values as Values<O>, positionals: parsed.positionals };
}

/** True when `moduleUrl` (import.meta.url) is the file node was started with, not an import. */
export function isEntry(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/**
 * Runs a CLI's `main` and sets the exit code: HelpRequested prints the usage on stdout (exit 0);
 * UsageError and ConfigError print `name: message` and the usage (exit 2); anything else prints
 * `name: message` (exit 1).
 */
export function runCommand(name: string, usage: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof HelpRequested) {
      process.stdout.write(`${usage}\n`);
    } else if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`${name}: ${err.message}\n${usage}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${name}: ${(err as Error).message ?? String(err)}\n`);
      process.exitCode = 1;
    }
  });
}
