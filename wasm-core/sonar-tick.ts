// Sonar's per-tick step and its verdict word, one function each, called by the live engine's Sonar
// (host/engine/sonar-stage.ts) and by the simulator (sim-run.ts), so both decide the regime and the gate word
// the same way. Stateless: the entropy, regime and gate states are their modules'.
import { entropyPush } from "./entropy";
import { regimeCurrent, regimeUpdate } from "./regime";
import { gateOnFeed, TrustCheck } from "./trust-gate";
import { ExecGate } from "./exec-layout";
import { NO_PRICE } from "./vocabulary";

/**
 * One tick of a symbol: with both sides quoted, the mid (bid + ask)/2 into the entropy and its score into the
 * regime at `nowNs`; with `seq` ≥ 0 (a tick not older than the last), the feed's stamp and sequence into the
 * gate. Returns the regime (Regime).
 */
export function sonarOnTick(entropy: usize, regime: usize, gate: usize, bidTicks: i32, askTicks: i32, nowNs: i64, seq: i64): i32 {
  if (bidTicks != NO_PRICE && askTicks != NO_PRICE) {
    regimeUpdate(regime, entropyPush(entropy, (<f64>bidTicks + <f64>askTicks) / 2), nowNs);
  }
  if (seq >= 0) gateOnFeed(gate, nowNs, seq);
  return regimeCurrent(regime);
}

/** The execution core's gate word (ExecGate) for a gate mask (TrustCheck bits) and the feed's stale flag:
 *  OPEN when every check passes, RTT_ONLY when the RTT check alone failed, CLOSED otherwise. */
export function sonarGateWord(mask: i32, stale: i32): i32 {
  if (stale != 0) return ExecGate.CLOSED;
  if (mask == 0) return ExecGate.OPEN;
  return mask == TrustCheck.RTT_HIGH ? ExecGate.RTT_ONLY : ExecGate.CLOSED;
}
