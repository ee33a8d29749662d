// Sonar on the cool side: per symbol, the mids of the market stage's ticks through the entropy and the
// Attack/Veto regime, the zero-trust gate evaluated against the book and the order path's RTT verdict, and
// the verdict handed to the execution thread in the hot-input words (hot-inputs.ts), which applies it with
// execSetGate before its next core call (so a capture records it where the core saw it). Off the hot path:
// the ticks arrive through a ring, and a slow Sonar only delays the gate, never a tick.
//
// The gate's RTT check is the execution core's RTT verdict (its watchdog: a sample exists, no LOCKDOWN, no
// request overdue), passed through the RTT_VERDICT control word: one threshold, one verdict, whichever thread
// each side runs on. A gate closed by that check alone is published as ExecGate.RTT_ONLY, so the core can let
// exits through it during an RTT lockdown (REDUCING must be able to work inventory out).
//
// The gate's sequence check: ticks reach Sonar one per applied book change, while the venue's sequence
// also counts trades, so the feed's own verdict is used instead: a gap or a disconnect (a STALE record)
// closes the gate at once and keeps it closed until the symbol is live again (then gateResync), and the
// gate sees a sequence that advances by one per tick.
import type { CoreExports } from '../core/core.js';
import type { SonarStates } from '../modules/sonar.js';
import { NO_PRICE } from '../model/vocabulary.js';
import { ExecRttVerdict, Regime, TrustCheck } from '../../build/core-constants.js';
import type { EngineLayout } from './engine-memory.js';
import { ControlWord, GATE_STALE_BIT, TickKind, type RecordViews } from './stage-records.js';
import { HotInput, hotInputWords } from './hot-inputs.js';

/** Ticks handled per drain call, so the cool loop's other duties (the kill word) are never far away. */
const DRAIN_BATCH = 4096;

export class SonarStage {
  /** Per symbol: the last entropy score, regime, gate mask (TrustCheck bits; 0 open) and tick count. */
  readonly score: Float64Array;
  readonly regime: Int32Array;
  readonly mask: Int32Array;
  readonly ticks: Float64Array;
  readonly stale: Uint8Array;
  private readonly seq: Float64Array;
  private readonly lastT0: Float64Array;
  private readonly states: readonly SonarStates[];
  private readonly books: readonly number[];
  private readonly ring: number;
  /** The hot-input words, and per symbol the regime and gate word last handed over (−1: none yet). */
  private readonly inputs: Int32Array;
  private readonly regimeShown: Int32Array;
  private readonly gateShown: Int32Array;
  private rttVerdict = -1;

  constructor(private readonly core: CoreExports, private readonly v: RecordViews, layout: EngineLayout,
    private readonly control: Int32Array) {
    const n = layout.symbols.length;
    this.score = new Float64Array(n).fill(NaN);
    this.regime = new Int32Array(n).fill(Regime.VETO);
    this.mask = new Int32Array(n).fill(TrustCheck.FEED_STALE);
    this.ticks = new Float64Array(n);
    this.stale = new Uint8Array(n).fill(1);
    this.seq = new Float64Array(n);
    this.lastT0 = new Float64Array(n);
    this.states = layout.sonar;
    this.books = layout.books;
    this.ring = layout.ticksSonar;
    this.inputs = hotInputWords(core.memory, layout.inputs);
    this.regimeShown = new Int32Array(n).fill(-1);
    this.gateShown = new Int32Array(n).fill(-1);
  }

  /** Handles up to DRAIN_BATCH tick records; returns how many. */
  drain(nowNs: number): number {
    const core = this.core;
    const { u32, i32, f64 } = this.v;
    let n = 0;
    for (; n < DRAIN_BATCH; n++) {
      const at = core.ringPeek(this.ring);
      if (at === 0) break;
      const kind = u32[at >>> 2]!;
      const i = i32[(at >>> 2) + 1]!;
      if (i >= 0 && i < this.states.length) {
        if (kind === TickKind.TICK) {
          const t0 = f64[(at >>> 3) + 1]!;
          const bid = i32[(at >>> 2) + 7]!;
          const ask = i32[(at >>> 2) + 9]!;
          const s = this.states[i]!;
          // The step itself is the core's (wasm-core/sonar-tick.ts), the simulator's too: the regime at the
          // later of this tick's T0 and the last one, the gate fed only by a tick not older than the last.
          const fresh = t0 >= this.lastT0[i]!;
          const now = BigInt(Math.round(Math.max(t0, this.lastT0[i]!)));
          if (fresh) this.lastT0[i] = t0;
          this.regime[i] = core.sonarOnTick(s.entropy, s.regime, s.gate, bid, ask, now, fresh ? BigInt(++this.seq[i]!) : -1n);
          if (bid !== NO_PRICE && ask !== NO_PRICE) this.score[i] = core.entropyScore(s.entropy);
          this.ticks[i]!++;
        } else if (kind === TickKind.STALE) {
          const stale = u32[(at >>> 2) + 2]! !== 0;
          this.stale[i] = stale ? 1 : 0;
          if (!stale) {
            // The mask of the last evaluate predates the outage (usually 0: open); publishing it would open the
            // gate for the moment until the next evaluate finds the resynced feed still unproven.
            const now = BigInt(Math.ceil(Math.max(nowNs, this.lastT0[i]!)));
            core.gateResync(this.states[i]!.gate, now);
            this.mask[i] = core.gateEvaluate(this.states[i]!.gate, this.books[i]!, now);
          }
          this.publishInOrder(i, nowNs);
        }
      }
      core.ringRelease(this.ring);
    }
    return n;
  }

  /**
   * Evaluates every symbol's gate (the order path's RTT included) and hands the verdicts to execution. Call
   * it with a clock read taken after the drain; a feed stamp from another thread's calibrated clock may still
   * lead it by a few ns, which the gate would latch as a clock fault, so `now` is never before the last T0.
   */
  evaluate(nowNs: number): void {
    let latest = nowNs;
    for (let i = 0; i < this.lastT0.length; i++) if (this.lastT0[i]! > latest) latest = this.lastT0[i]!;
    const now = BigInt(Math.ceil(latest));
    const verdict = Atomics.load(this.control, ControlWord.RTT_VERDICT);
    if (verdict !== this.rttVerdict) {
      this.rttVerdict = verdict;
      const healthy = verdict === ExecRttVerdict.OK ? 1 : 0;
      for (const s of this.states) this.core.gateOnRtt(s.gate, healthy, now);
    }
    for (let i = 0; i < this.states.length; i++) {
      this.mask[i] = this.core.gateEvaluate(this.states[i]!.gate, this.books[i]!, now);
      this.publishInOrder(i, nowNs);
    }
  }

  /** True when symbol `i`'s gate is open: every check passes and the feed has not declared it stale. */
  gateOpen(i: number): boolean {
    return this.mask[i] === 0 && this.stale[i] === 0;
  }

  /** ExecGate of symbol `i`: OPEN, RTT_ONLY (closed by the RTT check and nothing else), or CLOSED. */
  gateWord(i: number): number {
    return this.core.sonarGateWord(this.mask[i]!, this.stale[i]!);
  }

  private publish(i: number, _nowNs: number): void {
    const regime = this.regime[i]!;
    const gate = this.gateWord(i);
    if (regime !== this.regimeShown[i] || gate !== this.gateShown[i]) {
      this.regimeShown[i] = regime;
      this.gateShown[i] = gate;
      Atomics.store(this.inputs, HotInput.GATES + 2 * i, regime);
      Atomics.store(this.inputs, HotInput.GATES + 2 * i + 1, gate);
      Atomics.add(this.inputs, HotInput.GATE_VERSION, 1); // after the pair: the execution thread applies it next
    }
    Atomics.store(this.control, ControlWord.GATE_MASK + i, this.mask[i]! | (this.stale[i] ? GATE_STALE_BIT : 0));
  }

  /** The execution core's gate word is open only while the published mask word is: an opening stores the mask
   *  word first, a closing hands the closed gate word over first (publish), so a mask read closed (Sentinel's
   *  telemetry) means the execution thread applies the closed gate before its next decision. */
  private publishInOrder(i: number, nowNs: number): void {
    if (this.gateOpen(i)) Atomics.store(this.control, ControlWord.GATE_MASK + i, 0);
    this.publish(i, nowNs);
  }
}
