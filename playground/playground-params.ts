// The parameters the playground sets, from the config schema, in the groups the page draws: the live-tunable ones
// (host/config/tunable-params.ts, their ranges held to the loader's by tests/config/tunable-params.test.ts), the
// scalar pre-trade risk limits ([execution.risk]), the broker's order-rate caps ([execution.broker]) and the RTT
// watchdog's lockdown threshold ([execution.rttWatchdog]), whose ranges are the limits the loader's own modules
// export (held to loadEngineConfig by tests/playground/playground-params.test.ts); the TTL action's words, the
// cost profile (the names config/costs.toml defines) and the strategy kinds the loader accepts.
import { TTL_ACTIONS, TUNABLES } from '../host/config/tunable-params.js';
import { STRATEGIES } from '../host/modules/execution.js';
import { DEFAULT_RISK_CONFIG, MAX_OPEN_ORDERS, MAX_POSITION_LIMIT, MAX_QTY_LIMIT, MAX_RUPEES } from '../host/modules/pre-trade-risk.js';
import { DEFAULT_BROKER_WINDOWS, MAX_DAY_CAP, MAX_SLIDING_CAP } from '../host/modules/broker-windows.js';
import { MAX_RTT_MS, SENTINEL_DEFAULTS } from '../host/modules/sentinel.js';

export const PARAM_GROUPS = ['Strategy', 'Risk', 'Broker', 'Watchdog', 'Costs'] as const;
export type ParamGroup = (typeof PARAM_GROUPS)[number];

export interface NumberParam {
  readonly kind: 'number';
  /** The engine.toml key, dotted. */
  readonly key: string;
  readonly group: ParamGroup;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** Only whole numbers (counts, ticks). */
  readonly integer: boolean;
  /** The finest step the loader tells apart (rupees: 0.01); absent: any. */
  readonly step?: number;
  /** The loader's value when the file leaves the key out (shown in an empty box); absent: see the help. */
  readonly fallback?: number;
  readonly help: string;
}

export interface ChoiceParam {
  readonly kind: 'choice';
  readonly key: string;
  readonly group: ParamGroup;
  readonly choices: readonly string[];
  readonly help: string;
}

export type PlaygroundParam = NumberParam | ChoiceParam;

/** Rupees to two decimals: paise are what the core keeps. */
const PAISE = 0.01;
/** One nanosecond in ms: the RTT watchdog takes ns, and refuses a threshold that rounds to 0 ns. */
const ONE_NS_MS = 1e-6;

const riskDefault = (key: keyof typeof DEFAULT_RISK_CONFIG): number => Number(DEFAULT_RISK_CONFIG[key]);

/** The settable pre-trade risk, broker and watchdog limits ("0 = none" where the loader says so). */
export const LIMIT_PARAMS: readonly NumberParam[] = [
  { kind: 'number', group: 'Risk', key: 'execution.risk.maxPosition', unit: 'units', min: 0, max: MAX_POSITION_LIMIT, integer: true,
    fallback: riskDefault('maxPosition'), help: 'largest |position + working orders on the same side| of any symbol (0 = none)' },
  { kind: 'number', group: 'Risk', key: 'execution.risk.maxOrderQty', unit: 'units', min: 0, max: MAX_QTY_LIMIT, integer: true,
    fallback: riskDefault('maxOrderQty'), help: 'largest quantity of one order (0 = none)' },
  { kind: 'number', group: 'Risk', key: 'execution.risk.maxNotionalRupees', unit: '₹', min: 0, max: Number(MAX_RUPEES), integer: false,
    step: PAISE, fallback: riskDefault('maxNotionalRupees'), help: 'largest price × quantity of one order (0 = none)' },
  { kind: 'number', group: 'Risk', key: 'execution.risk.maxOpenOrders', unit: 'orders', min: 0, max: MAX_OPEN_ORDERS, integer: true,
    fallback: riskDefault('maxOpenOrders'), help: 'working orders at once, every symbol together (0 = none)' },
  { kind: 'number', group: 'Risk', key: 'execution.risk.maxGrossExposureRupees', unit: '₹', min: 0, max: Number(MAX_RUPEES), integer: false,
    step: PAISE, fallback: riskDefault('maxGrossExposureRupees'), help: 'Σ |position| × price over the symbols after an order (0 = none)' },
  { kind: 'number', group: 'Risk', key: 'execution.risk.dailyLossRupees', unit: '₹', min: 0, max: Number(MAX_RUPEES), integer: false,
    step: PAISE, fallback: riskDefault('dailyLossRupees'), help: 'the day\'s P&L at or below −this refuses new risk (0 = none)' },
  { kind: 'number', group: 'Broker', key: 'execution.broker.perSecond', unit: 'msgs/s', min: 0, max: MAX_SLIDING_CAP, integer: true,
    fallback: DEFAULT_BROKER_WINDOWS.perSecond, help: 'new + modify + cancel messages in any sliding second (0 = none)' },
  { kind: 'number', group: 'Broker', key: 'execution.broker.perMinute', unit: 'msgs/min', min: 0, max: MAX_SLIDING_CAP, integer: true,
    fallback: DEFAULT_BROKER_WINDOWS.perMinute, help: 'messages in any sliding minute (0 = none)' },
  { kind: 'number', group: 'Broker', key: 'execution.broker.perDay', unit: 'msgs/day', min: 0, max: MAX_DAY_CAP, integer: true,
    fallback: DEFAULT_BROKER_WINDOWS.perDay, help: 'messages in the trading day (0 = none)' },
  { kind: 'number', group: 'Watchdog', key: 'execution.rttWatchdog.lockdownMs', unit: 'ms', min: ONE_NS_MS, max: MAX_RTT_MS, integer: false,
    step: ONE_NS_MS, fallback: SENTINEL_DEFAULTS.rttWatchdog.lockdownMs,
    help: 'a round trip above this is slow; confirmSamples slow ones in a row lock down (at least rttWatchdog.releaseMs)' },
];

/** Which group a live-tunable key is drawn in. */
function tunableGroup(key: string): ParamGroup {
  return key === 'execution.targetOtr' ? 'Costs' : 'Strategy';
}

export function playgroundParams(costProfiles: readonly string[]): PlaygroundParam[] {
  return [
    { kind: 'choice', group: 'Strategy', key: 'execution.strategy.kind', choices: STRATEGIES, help: 'the strategy the execution core runs' },
    ...TUNABLES.map(({ key, unit, min, max, integer, help }): NumberParam => ({ kind: 'number', group: tunableGroup(key), key, unit, min, max, integer, help })),
    { kind: 'choice', group: 'Strategy', key: 'execution.ttlAction', choices: Object.keys(TTL_ACTIONS), help: 'what a passive order\'s TTL does: cancel, or reprice to the new touch' },
    ...LIMIT_PARAMS,
    { kind: 'choice', group: 'Costs', key: 'execution.costProfile', choices: costProfiles, help: 'the charges (config/costs.toml profile)' },
  ];
}

/** A bound as a person reads it: 2⁵⁰ as 1.13e15, one ns as 1e-6 (a control's min/max attributes keep the exact value). */
export function boundText(x: number): string {
  if (x === 0 || (Math.abs(x) < 1e5 && Math.abs(x) >= 1e-3)) return String(x);
  return x.toExponential(Number.isInteger(Math.log10(Math.abs(x))) ? 0 : 2).replace('e+', 'e');
}

/** "[min … max]" in boundText's form. */
export function rangeText(p: Pick<NumberParam, 'min' | 'max'>): string {
  return `[${boundText(p.min)} … ${boundText(p.max)}]`;
}

/** The parameters of `group`, in table order. */
export function inGroup<P extends PlaygroundParam>(params: readonly P[], group: ParamGroup): P[] {
  return params.filter((p) => p.group === group);
}

/** The parameters a sweep may vary: the numeric ones. */
export function sweepable(params: readonly PlaygroundParam[]): NumberParam[] {
  return params.filter((p): p is NumberParam => p.kind === 'number');
}
