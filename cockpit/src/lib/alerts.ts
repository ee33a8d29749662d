// What the alerts list shows from the frames' events: trading-state changes, rejects, risk refusals and the
// engine's alerts, each as one line a person reads; order, fill and cancel events belong to the blotter.
import { EVENT_KINDS, reasonName, refusalName, sideName, stateName } from './names.js';

export interface EngineEvent {
  readonly seq: number;
  readonly kind: number;
  readonly tsNs: number;
  readonly orderId: number;
  readonly symbolId: number;
  readonly side: number;
  readonly price: number;
  readonly qty: number;
  readonly code: number;
  readonly detail: number;
  readonly value: number;
}

export type Severity = 'info' | 'warn' | 'alarm';

export interface Alert {
  readonly seq: number;
  readonly tsNs: number;
  readonly severity: Severity;
  readonly text: string;
}

/** The alert line of an event, or null for events the alerts list does not show. */
export function describeEvent(e: EngineEvent, symbol: (symbolId: number) => string): Alert | null {
  const at = { seq: e.seq, tsNs: e.tsNs };
  switch (e.kind) {
    case EVENT_KINDS.STATE_CHANGE: {
      const severity: Severity = stateName(e.code) === 'ACTIVE' ? 'info' : stateName(e.code) === 'HALTED' ? 'alarm' : 'warn';
      return { ...at, severity, text: `trading state ${stateName(e.code)} (${reasonName(e.detail)})` };
    }
    case EVENT_KINDS.REJECT:
      return { ...at, severity: 'warn', text: `order ${e.orderId} rejected by the venue (reason ${e.code}, detail ${e.detail})` };
    case EVENT_KINDS.RISK_REFUSAL:
      return {
        ...at, severity: 'warn',
        text: `risk refused ${sideName(e.side)} ${e.qty} lots ${symbol(e.symbolId)}: ${refusalName(e.code)}`,
      };
    case EVENT_KINDS.ALERT:
      // The segment has no table of alert codes yet: show the code and the measured value as published.
      return { ...at, severity: 'alarm', text: `engine alert code ${e.code}${e.value ? `, value ${e.value}` : ''}` };
    default:
      return null;
  }
}
