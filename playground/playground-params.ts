// The parameters the playground sets, from the config schema: the live-tunable ones (host/config/tunable-params.ts,
// their ranges held to the loader's by tests/config/tunable-params.test.ts), the TTL action's words and the cost
// profile (the names config/costs.toml defines) and the strategy kinds the loader accepts. Nothing here restates a
// range.
import { TTL_ACTIONS, TUNABLES, type TunableSpec } from '../host/config/tunable-params.js';
import { STRATEGIES } from '../host/modules/execution.js';

export interface NumberParam extends TunableSpec {
  readonly kind: 'number';
}

export interface ChoiceParam {
  readonly kind: 'choice';
  readonly key: string;
  readonly choices: readonly string[];
  readonly help: string;
}

export type PlaygroundParam = NumberParam | ChoiceParam;

export function playgroundParams(costProfiles: readonly string[]): PlaygroundParam[] {
  return [
    { kind: 'choice', key: 'execution.strategy.kind', choices: STRATEGIES, help: 'the strategy the execution core runs' },
    ...TUNABLES.map(({ key, param, unit, min, max, integer, help }): NumberParam => ({ kind: 'number', key, param, unit, min, max, integer, help })),
    { kind: 'choice', key: 'execution.ttlAction', choices: Object.keys(TTL_ACTIONS), help: 'what a passive order\'s TTL does: cancel, or reprice to the new touch' },
    { kind: 'choice', key: 'execution.costProfile', choices: costProfiles, help: 'the charges (config/costs.toml profile)' },
  ];
}

/** The parameters a sweep may vary: the numeric ones. */
export function sweepable(params: readonly PlaygroundParam[]): NumberParam[] {
  return params.filter((p): p is NumberParam => p.kind === 'number');
}
