// The parameters a running engine takes changes to (the control block's mailbox → execSetParam between
// decisions): each with the config key that sets it at start, its unit, its range, and how the value a person
// types becomes the core's integer. The monitor validates /api/params against this table, the cockpit draws
// its controls from it, and tests/config/tunable-params.test.ts holds its ranges to the config loader's, so a
// value the engine.toml refuses is refused live too.
import { ExecParam, ExecTtlAction } from '../modules/execution.js';

/** A tunable as the monitor's hello carries it to the cockpit. */
export interface TunableSpec {
  /** The engine.toml key, dotted: what a person types and what the error names. */
  readonly key: string;
  /** ExecParam code written to the mailbox. */
  readonly param: number;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** Only whole numbers (counts, ticks). */
  readonly integer: boolean;
  /** What the value means, for a control's tooltip. */
  readonly help: string;
}

export interface Tunable extends TunableSpec {
  /** The core's integer for a valid value. */
  encode(value: number): number;
}

const times = (k: number) => (v: number): number => Math.round(v * k);

export const TUNABLES: readonly Tunable[] = [
  { key: 'execution.strategy.qty', param: ExecParam.QTY, unit: 'units', min: 1, max: 1_000_000_000, integer: true,
    help: 'order quantity of the strategy', encode: times(1) },
  { key: 'execution.strategy.threshold', param: ExecParam.THRESHOLD_MILLI, unit: '|signal|', min: 0, max: 1, integer: false,
    help: 'signal strength at which the strategy quotes', encode: times(1000) },
  { key: 'execution.strategy.window', param: ExecParam.WINDOW, unit: 'mids', min: 2, max: 256, integer: true,
    help: 'mean reversion: mids in the rolling window', encode: times(1) },
  { key: 'execution.strategy.k', param: ExecParam.K_MILLI, unit: 'σ', min: 0.001, max: 100, integer: false,
    help: 'mean reversion: entry beyond k standard deviations', encode: times(1000) },
  { key: 'execution.ttlMs', param: ExecParam.TTL_NS, unit: 'ms', min: 0.001, max: 3_600_000, integer: false,
    help: 'a passive order\'s life from its ack before it is cancelled or repriced', encode: times(1e6) },
  { key: 'execution.signalGain', param: ExecParam.NEV_GAIN_MILLI, unit: '×', min: 0, max: 100, integer: false,
    help: 'fair price = weighted mid + gain × signal × half-spread', encode: times(1000) },
  { key: 'execution.targetOtr', param: ExecParam.TARGET_OTR_MILLI, unit: 'orders/trade', min: 0.001, max: 1_000_000, integer: false,
    help: 'OTR budget: the highest order-to-trade ratio the strategy may reach', encode: (v) => Math.floor(v * 1000) },
  { key: 'execution.tradeRateFloor', param: ExecParam.TRADE_RATE_FLOOR_MILLI, unit: 'lots/s', min: 0, max: 1_000_000, integer: false,
    help: 'trade rate assumed at least, for NEV\'s fill probability', encode: times(1000) },
];

/** `ttlAction` is a word, not a number: "cancel" | "reprice". */
export const TTL_ACTIONS: Readonly<Record<string, number>> = { cancel: ExecTtlAction.CANCEL, reprice: ExecTtlAction.REPRICE };

/** A tunable whose value is one of a few words, as the monitor's hello carries it to the cockpit. */
export interface ChoiceSpec {
  readonly key: string;
  readonly options: readonly string[];
  readonly help: string;
}

interface Choice extends ChoiceSpec {
  readonly param: number;
  readonly codes: Readonly<Record<string, number>>;
}

export const CHOICES: readonly Choice[] = [
  { key: 'execution.ttlAction', param: ExecParam.TTL_ACTION, codes: TTL_ACTIONS, options: Object.keys(TTL_ACTIONS),
    help: 'what the time-to-live rule does to an unfilled passive order: cancel it, or reprice it to the new touch' },
];

/** The choices without their codes: what the cockpit draws. */
export function choiceSpecs(): ChoiceSpec[] {
  return CHOICES.map(({ key, options, help }) => ({ key, options, help }));
}

/** A parameter change refused before it reaches the engine; the message names the key and the allowed range. */
export class TunableError extends Error {
  override readonly name = 'TunableError';
}

export interface ParamChange {
  readonly key: string;
  readonly param: number;
  readonly value: number;
}

/** Checks `value` for `key` and returns what to post, or throws TunableError saying what is allowed. */
export function paramChange(key: unknown, value: unknown): ParamChange {
  const choice = CHOICES.find((c) => c.key === key);
  if (choice) {
    const code = typeof value === 'string' && Object.hasOwn(choice.codes, value) ? choice.codes[value] : undefined;
    if (code === undefined) {
      throw new TunableError(`${choice.key} must be one of ${choice.options.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(value)}`);
    }
    return { key: choice.key, param: choice.param, value: code };
  }
  const t = TUNABLES.find((x) => x.key === key);
  if (!t) {
    throw new TunableError(`unknown parameter ${JSON.stringify(key)}; tunable live: ${[...TUNABLES.map((x) => x.key), ...CHOICES.map((c) => c.key)].join(', ')}`);
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < t.min || value > t.max || (t.integer && !Number.isInteger(value))) {
    throw new TunableError(`${t.key} must be ${t.integer ? 'an integer' : 'a number'} in [${t.min}, ${t.max}] ${t.unit}, got ${JSON.stringify(value)}`);
  }
  return { key: t.key, param: t.param, value: t.encode(value) };
}
