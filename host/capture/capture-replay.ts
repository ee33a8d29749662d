// Replays a capture file (capture-format.ts) on a fresh instance of the core: the execution region restored to
// its bytes at the start of the capture, then every record's call made again in order, and the commands each
// call appends compared with the ones the live engine's call appended (count and FNV-1a hash), as is the call's
// result. Zero differences: the core decided exactly as it did live. No sockets, no threads, no clock.
import { createSharedMemory, instantiateCore, type CoreExports } from '../core/core.js';
import {
  CAPTURE_HEADER_BYTES, CAPTURE_KIND_MASK, CAPTURE_KIND_NAMES, CaptureFlag, CAPTURE_MAGIC, CAPTURE_RECORD_BYTES, CAPTURE_VERSION, CaptureField as F,
  CaptureHeader as H, CaptureKind as K, CaptureState, fnv1a, recordsOffset,
} from './capture-format.js';

const CMD_BYTES = 32;

export class CaptureFormatError extends Error {}

export interface Capture {
  readonly state: number;
  readonly recordsDeclared: number;
  readonly dropped: number;
  readonly execOffset: number;
  readonly exec: Uint8Array;
  readonly config: unknown;
  readonly symbols: number;
  /** The records, CAPTURE_RECORD_BYTES each. */
  readonly records: Uint8Array;
}

/** Parses a capture file's bytes (a record cut short at the end, by a crash, is left out). */
export function readCapture(bytes: Uint8Array): Capture {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < CAPTURE_HEADER_BYTES || b.toString('latin1', 0, 8) !== CAPTURE_MAGIC) {
    throw new CaptureFormatError('not a capture file (magic "TCCAPT")');
  }
  const version = b.readUInt32LE(H.VERSION);
  if (version !== CAPTURE_VERSION) throw new CaptureFormatError(`capture version ${version}, this build reads ${CAPTURE_VERSION}`);
  if (b.readUInt32LE(H.RECORD_BYTES) !== CAPTURE_RECORD_BYTES) throw new CaptureFormatError('record size is not 64 bytes');
  const execOffset = b.readUInt32LE(H.EXEC_OFFSET);
  const execBytes = b.readUInt32LE(H.EXEC_BYTES);
  const configBytes = b.readUInt32LE(H.CONFIG_BYTES);
  const start = recordsOffset(configBytes, execBytes);
  if (b.length < start) throw new CaptureFormatError(`file ends inside its header (${b.length} bytes, records start at ${start})`);
  const configAt = CAPTURE_HEADER_BYTES;
  const execAt = configAt + Math.ceil(configBytes / 8) * 8;
  const whole = Math.floor((b.length - start) / CAPTURE_RECORD_BYTES) * CAPTURE_RECORD_BYTES;
  return {
    state: b.readUInt32LE(H.STATE),
    recordsDeclared: b.readDoubleLE(H.RECORDS),
    dropped: b.readDoubleLE(H.DROPPED),
    execOffset,
    exec: bytes.subarray(execAt, execAt + execBytes),
    config: JSON.parse(b.toString('utf8', configAt, configAt + configBytes)) as unknown,
    symbols: b.readUInt32LE(H.SYMBOLS),
    records: bytes.subarray(start, start + whole),
  };
}

export interface ReplayCall {
  readonly result: number;
  readonly commands: number;
  readonly hash: number;
}

export interface ReplayDifference {
  /** Record number (0 = first). */
  readonly record: number;
  readonly kind: string;
  /** The kill word changed while the live call ran (the core may have seen either value). */
  readonly killRace: boolean;
  readonly live: ReplayCall;
  readonly replay: ReplayCall;
}

export interface ReplaySummary {
  /** The header's state: complete, incomplete (records dropped) or recording (the engine did not end cleanly). */
  readonly capture: 'complete' | 'incomplete' | 'recording';
  readonly records: number;
  readonly dropped: number;
  /** Market decisions replayed (QUOTE and MARKET records). */
  readonly decisions: number;
  /** Commands the live calls appended, and the ones the replayed calls appended. */
  readonly commands: number;
  readonly replayCommands: number;
  /** Records whose result, command count or command hash differ. */
  readonly differences: number;
  readonly firstDifference: ReplayDifference | null;
  /** Calls during which another thread stored the kill word (a difference there is that race, not the core). */
  readonly killRaces: number;
  readonly byKind: Record<string, number>;
}

const STATE_NAMES = { [CaptureState.RECORDING]: 'recording', [CaptureState.COMPLETE]: 'complete', [CaptureState.INCOMPLETE]: 'incomplete' } as const;

/** Replays `capture` on the compiled core `module`; `progress` (0..1) is called now and then. */
export function replayCapture(module: WebAssembly.Module, capture: Capture, progress?: (f: number) => void): ReplaySummary {
  const state = capture.execOffset;
  const memory = createSharedMemory(state + capture.exec.length + 65536);
  const core = instantiateCore(module, memory);
  const u8 = new Uint8Array(memory.buffer);
  u8.set(capture.exec, state);
  const i32 = new Int32Array(memory.buffer);
  const killWord = core.execKillAddress(state) >>> 2;
  const rec = capture.records;
  const view = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  const n = rec.length / CAPTURE_RECORD_BYTES;
  const byKind: Record<string, number> = {};
  let decisions = 0;
  let commands = 0;
  let replayCommands = 0;
  let differences = 0;
  let killRaces = 0;
  let firstDifference: ReplayDifference | null = null;
  for (let r = 0; r < n; r++) {
    const at = r * CAPTURE_RECORD_BYTES;
    const word = view.getUint32(at + F.KIND, true);
    const kind = word & CAPTURE_KIND_MASK;
    if ((word & CaptureFlag.KILL_RACE) !== 0) killRaces++;
    const name = CAPTURE_KIND_NAMES[kind] ?? `UNKNOWN_${kind}`;
    byKind[name] = (byKind[name] ?? 0) + 1;
    if (kind === K.QUOTE || kind === K.MARKET) decisions++;
    const before = core.execCommandCount(state);
    const result = call(core, state, i32, killWord, kind, view, at);
    const count = core.execCommandCount(state);
    const appended = count > before ? count - before : 0;
    const hash = appended === 0 ? 0 : fnv1a(u8, core.execCommandAddress(state) + before * CMD_BYTES, appended * CMD_BYTES);
    core.execCommandsClear(state);
    const live: ReplayCall = {
      result: view.getInt32(at + F.RESULT, true), commands: view.getUint32(at + F.COMMANDS, true), hash: view.getUint32(at + F.HASH, true),
    };
    commands += live.commands;
    replayCommands += appended;
    if (live.result !== result || live.commands !== appended || live.hash !== hash) {
      differences++;
      firstDifference ??= {
        record: r, kind: name, live, replay: { result, commands: appended, hash }, killRace: (word & CaptureFlag.KILL_RACE) !== 0,
      };
    }
    if (progress && (r & 0xffff) === 0) progress(r / n);
  }
  progress?.(1);
  return {
    capture: STATE_NAMES[capture.state as 0 | 1 | 2] ?? 'recording', records: n, dropped: capture.dropped, decisions, commands,
    replayCommands, differences, firstDifference, killRaces, byKind,
  };
}

/** The record's core call, as the execution thread made it (host/capture/capture-recorder.ts). */
function call(core: CoreExports, state: number, i32: Int32Array, killWord: number, kind: number, v: DataView, at: number): number {
  const int = (f: number): number => v.getInt32(at + f, true);
  const dbl = (f: number): number => v.getFloat64(at + f, true);
  const now = dbl(F.TIME);
  switch (kind) {
    case K.QUOTE:
      return core.execOnQuote(state, int(F.A), int(F.B), int(F.C), int(F.D), int(F.E), dbl(F.F), dbl(F.G), BigInt(Math.trunc(now)));
    case K.MARKET: return core.hotOnMarket(state, int(F.A), int(F.B), int(F.C), int(F.D), int(F.E), dbl(F.F), now);
    case K.TRADE: return core.hotOnTrade(state, int(F.A), int(F.B), int(F.C), now);
    case K.SYMBOL: return core.execSetSymbol(state, int(F.A), int(F.B) >>> 0, int(F.C), int(F.D));
    case K.GATE: return core.execSetGate(state, int(F.A), int(F.B), int(F.C));
    case K.PARAM: return core.execSetParam(state, int(F.A), BigInt(dbl(F.F)));
    case K.KILL:
      Atomics.store(i32, killWord, int(F.A));
      return 0;
    case K.RTT: return core.hotOnRtt(state, dbl(F.F), now);
    case K.ACK: return core.hotOnAck(state, dbl(F.X), dbl(F.Y), dbl(F.Z), now);
    case K.REJECT: return core.hotOnReject(state, dbl(F.X), int(F.C), now);
    case K.FILL: return core.hotOnFill(state, dbl(F.X), int(F.C), int(F.D), now);
    case K.CANCELED: return core.hotOnCanceled(state, dbl(F.X), now);
    case K.REPLACED: return core.hotOnReplaced(state, dbl(F.X), dbl(F.Y), dbl(F.Z), now);
    case K.PROBE: return core.hotOnProbe(state, dbl(F.X), dbl(F.Y), now);
    case K.TIMER: return core.hotOnTimer(state, now);
    case K.FLATTEN: return core.hotFlatten(state, int(F.A), now);
    case K.RESET: return core.hotReset(state, now);
    default: throw new CaptureFormatError(`record ${at / CAPTURE_RECORD_BYTES}: unknown kind ${kind}`);
  }
}
