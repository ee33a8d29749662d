// The engine's side of the control protocol (docs/telemetry.md "Control"), in one place: the cool worker
// calls poll() every fraction of a millisecond; each request found pending is handed to the engine's
// handler, acknowledged in the ack block, and reported for the journal as a ControlAction. The reset's token
// is checked here against the engine's control token (control-token.ts), so no handler can forget it.
//
// Kill: handled once per setting of the kill word (the handler halts: HALTED with reason KILL, the core's kill
// word, cancels), then acknowledged (killSeen = 1) after the handler returned, so a tool that sees the ack can
// read HALTED in the state block. The kill word stays set; the engine stays halted until an accepted reset.
import { ControlAction } from '../journal/records.js';
import { ControlStatus } from './segment-layout.js';
import type { EngineSegment } from './segment-writer.js';
import { tokenMatches } from './control-token.js';

export interface ControlHandlers {
  /** Halt now (HALTED, reason KILL; cancel every working order; publish the state). */
  kill(): void;
  /** Leave HALTED after an authenticated reset; false: the engine refuses (REFUSED). */
  reset(): boolean;
  /** Exit every position reduce-only within `collarTicks` of the touch (0: configured collar); false: refused. */
  flatten(collarTicks: number): boolean;
  /** Apply a parameter; 0 applied, negative refused. */
  param(key: number, value: number): number;
  /** Record a control action in the journal (accepted or not). */
  journal(action: ControlAction, accepted: boolean, paramId: number, paramValue: number): void;
}

export class ControlResponder {
  private killHandled = false;

  constructor(
    private readonly segment: EngineSegment,
    private readonly token: string,
    private readonly handlers: ControlHandlers,
  ) {}

  /** Act on every pending request, in the order kill, reset, flatten, parameter. Returns how many it handled. */
  poll(): number {
    const req = this.segment.pollControl();
    let handled = 0;
    if (req.kill && !this.killHandled) {
      this.killHandled = true;
      this.handlers.kill();
      this.segment.ackKill(true);
      this.handlers.journal(ControlAction.KILL, true, 0, 0);
      handled++;
    }
    if (req.reset !== 0) {
      let status: number = ControlStatus.BAD_TOKEN;
      if (req.resetToken !== null && tokenMatches(this.token, req.resetToken)) {
        status = this.handlers.reset() ? ControlStatus.OK : ControlStatus.REFUSED;
      }
      if (status === ControlStatus.OK) this.killHandled = false;
      this.segment.ackReset(req.reset, status);
      this.handlers.journal(ControlAction.RESET, status === ControlStatus.OK, 0, 0);
      handled++;
    }
    if (req.flatten !== 0) {
      const ok = this.handlers.flatten(req.flattenCollarTicks);
      this.segment.ackFlatten(req.flatten, ok ? ControlStatus.OK : ControlStatus.REFUSED);
      this.handlers.journal(ControlAction.FLATTEN, ok, 0, req.flattenCollarTicks);
      handled++;
    }
    if (req.param) {
      const status = this.handlers.param(req.param.key, req.param.value);
      this.segment.ackParam(req.param.seq, status);
      this.handlers.journal(ControlAction.PARAMS, status === 0, req.param.key, req.param.value);
      handled++;
    }
    return handled;
  }
}
