// Attack/Veto regime: a Schmitt trigger on the entropy score with a minimum dwell.
//
// Veto (0) → Attack (1) when score ≤ enter (a); Attack → Veto when score ≥ exit (b), b > a. A score
// strictly between a and b never switches, so a score hovering around one threshold cannot make the
// regime flap. On top, no switch happens until minDwellNs has elapsed since the last switch; the
// first switch has no predecessor and is not held back (Veto is the start state, and the entropy
// score is 1.0 until its window is full, so Attack can only be entered on a full window anyway).
// A switch held back by the dwell is not queued: the condition is re-evaluated on each update.
// A NaN score satisfies neither comparison and changes nothing. A nowNs earlier than the last
// switch is not elapsed dwell (time running backwards never releases a switch).
//
// Layout at `state` (8-byte aligned; host-given):
//   +0   enter f64 (a) · +8 exit f64 (b) · +16 minDwellNs i64
//   +24  sinceNs i64   time of the last switch; before any switch, of the first update; i64.MIN before any update
//   +32  switches u32  regime changes since init
//   +36  regime u32    0 Veto, 1 Attack

/** Status codes of regimeInit. */
export namespace RegimeStatus {
  export const OK: i32 = 0;
  /** regimeInit: a ≥ b, or a or b outside [0, 1] (or NaN). */
  export const BAD_THRESHOLDS: i32 = -1;
  /** regimeInit: minDwellNs < 0. */
  export const BAD_DWELL: i32 = -2;
  /** regimeInit: state not 8-byte aligned. */
  export const MISALIGNED: i32 = -3;
}

/** regimeUpdate's answer. */
export namespace Regime {
  export const VETO: u32 = 0;
  export const ATTACK: u32 = 1;
}

const ENTER: usize = 0;
const EXIT: usize = 8;
const MIN_DWELL: usize = 16;
const SINCE: usize = 24;
const SWITCHES: usize = 32;
const REGIME: usize = 36;
const BYTES: usize = 64;

/** Bytes the regime state occupies. */
export function regimeBytes(): usize {
  return BYTES;
}

/** Starts in Veto with thresholds enter (a) < exit (b), both in [0, 1], and a dwell ≥ 0 ns. */
export function regimeInit(state: usize, enter: f64, exit: f64, minDwellNs: i64): i32 {
  // Written so that NaN fails every test.
  if (!(enter >= 0.0 && exit <= 1.0 && enter < exit)) return RegimeStatus.BAD_THRESHOLDS;
  if (minDwellNs < 0) return RegimeStatus.BAD_DWELL;
  if ((state & 7) != 0) return RegimeStatus.MISALIGNED;
  memory.fill(state, 0, BYTES);
  store<f64>(state + ENTER, enter);
  store<f64>(state + EXIT, exit);
  store<i64>(state + MIN_DWELL, minDwellNs);
  store<i64>(state + SINCE, i64.MIN_VALUE);
  store<u32>(state + REGIME, Regime.VETO);
  return 0;
}

/** Feeds one score at nowNs and returns the regime (0 Veto, 1 Attack). */
export function regimeUpdate(state: usize, score: f64, nowNs: i64): i32 {
  const regime = load<u32>(state + REGIME);
  let since = load<i64>(state + SINCE);
  if (since == i64.MIN_VALUE) {
    since = nowNs;
    store<i64>(state + SINCE, nowNs);
  }
  const wanted = regime == Regime.VETO
    ? (score <= load<f64>(state + ENTER) ? Regime.ATTACK : Regime.VETO)
    : (score >= load<f64>(state + EXIT) ? Regime.VETO : Regime.ATTACK);
  if (wanted == regime) return <i32>regime;
  const switches = load<u32>(state + SWITCHES);
  if (switches != 0 && !(nowNs - since >= load<i64>(state + MIN_DWELL))) return <i32>regime;
  store<u32>(state + REGIME, wanted);
  store<u32>(state + SWITCHES, switches + 1);
  store<i64>(state + SINCE, nowNs);
  return <i32>wanted;
}

/** Current regime: 0 Veto, 1 Attack. */
export function regimeCurrent(state: usize): i32 {
  return <i32>load<u32>(state + REGIME);
}

/** Regime changes since init. */
export function regimeSwitches(state: usize): u32 {
  return load<u32>(state + SWITCHES);
}

/** Time the current regime has held since: the last switch, or the first update; i64.MIN before any update. */
export function regimeSinceNs(state: usize): i64 {
  return load<i64>(state + SINCE);
}
