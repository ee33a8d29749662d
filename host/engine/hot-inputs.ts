// Inputs other threads hand to the execution thread, which applies them to the core itself, so every change
// of the core's decision state happens on that one thread, in an order a capture records (host/capture/) and
// a replay repeats. Shared memory (the memory map's `engine.inputs` state), i32 words:
//   GATE_VERSION        Sonar → execution: bumped after a symbol's published regime or gate word changed
//   CAPTURE_DROPPED     execution → capture writer: records a full capture ring refused
//   PARAM_DONE          execution → Sentinel: the ControlWord.PARAM_REQ sequence last applied
//   PARAM_STATUS        execution → Sentinel: execSetParam's status for PARAM_DONE (0 applied, < 0 refused)
//   GATES + 2i, + 2i+1  Sonar → execution: symbol i's regime (Regime) and gate word (ExecGate)
// Sonar writes the pair and then bumps the version; the execution thread, before each of its core calls, loads
// the version and on a change applies every pair that differs from the one it applied last (execSetGate).
export const HotInput = { GATE_VERSION: 0, CAPTURE_DROPPED: 1, PARAM_DONE: 2, PARAM_STATUS: 3, GATES: 4 } as const;
/** Symbols the region has pairs for (engine.symbols allows 16). */
export const HOT_INPUT_SYMBOLS = 16;
export const HOT_INPUT_WORDS = HotInput.GATES + 2 * HOT_INPUT_SYMBOLS;
export const HOT_INPUT_BYTES = HOT_INPUT_WORDS * 4;

/** The words at `offset` (an Int32Array over the shared memory). */
export function hotInputWords(memory: WebAssembly.Memory, offset: number): Int32Array {
  return new Int32Array(memory.buffer, offset, HOT_INPUT_WORDS);
}
