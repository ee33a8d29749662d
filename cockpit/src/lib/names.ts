// Names for the codes the telemetry carries. The trading vocabulary is the host's own module (plain constants,
// bundled as is); the event kinds and regimes are segment/core codes restated here because their modules are
// not browser code, and tests/cockpit/names.test.ts holds them equal to the originals.
import { RiskRefusal, Side, TradingState, TradingStateReason } from '../../../host/model/vocabulary.js';

function invert(codes: Readonly<Record<string, number>>): ReadonlyMap<number, string> {
  return new Map(Object.entries(codes).map(([k, v]) => [v, k]));
}

const STATES = invert(TradingState);
const REASONS = invert(TradingStateReason);
const REFUSALS = invert(RiskRefusal);
const SIDES = invert(Side);

/** docs/telemetry.md "Event kinds". */
export const EVENT_KINDS = { ORDER: 1, FILL: 2, CANCEL: 3, REJECT: 4, RISK_REFUSAL: 5, STATE_CHANGE: 6, ALERT: 7 } as const;
const KINDS = invert(EVENT_KINDS);

/** wasm-core/regime.ts `Regime`. */
export const REGIMES = { VETO: 0, ATTACK: 1 } as const;

const name = (table: ReadonlyMap<number, string>, code: number): string => table.get(code) ?? `code ${code}`;

export const stateName = (code: number): string => name(STATES, code);
export const reasonName = (code: number): string => name(REASONS, code);
export const refusalName = (code: number): string => name(REFUSALS, code);
export const sideName = (code: number): string => name(SIDES, code);
export const eventKindName = (code: number): string => name(KINDS, code);
export const regimeName = (code: number): string => (code === REGIMES.ATTACK ? 'Attack' : code === REGIMES.VETO ? 'Veto' : `regime ${code}`);

export const TRADING_STATE = TradingState;
export const TRADING_REASON = TradingStateReason;

/** The zero-trust gate's five inputs, in the segment's order, with what each means for a person. */
export const GATE_INPUTS = [
  { key: 'feedFresh', label: 'market data fresh' },
  { key: 'noGaps', label: 'no sequence gap' },
  { key: 'bookUncrossed', label: 'book uncrossed' },
  { key: 'rttHealthy', label: 'RTT under threshold' },
  { key: 'clocksSane', label: 'clocks agree' },
] as const;
export type GateInput = (typeof GATE_INPUTS)[number]['key'];

/** The symbol's name from the monitor's hello (slot order), else its venue id. */
export function symbolName(symbols: readonly string[], slot: number, symbolId: number): string {
  return symbols[slot] ?? `#${symbolId}`;
}
