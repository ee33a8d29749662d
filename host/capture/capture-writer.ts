// The cool side of a capture: creates the file at engine start (before the execution thread makes its first
// call: the header, the config and the execution region's bytes as they are then), appends what the capture
// ring holds on every turn of the cool loop (one write per drain), and at the end writes the header's final
// counts and state. Only this thread writes the file.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CoreExports } from '../core/core.js';
import type { EngineConfig } from '../config/engine-config.js';
import { HotInput } from '../engine/hot-inputs.js';
import {
  CAPTURE_HEADER_BYTES, CAPTURE_MAGIC, CAPTURE_RECORD_BYTES, CAPTURE_VERSION, CaptureHeader as H, CaptureState,
} from './capture-format.js';

/** Records copied per drain at most (the loop's other duties are never far away). */
const DRAIN_BATCH = 4096;

export interface CaptureWriterOptions {
  readonly core: CoreExports;
  readonly file: string;
  readonly config: EngineConfig;
  /** The capture ring (the execution thread's CaptureRecorder is its producer). */
  readonly ring: number;
  readonly exec: number;
  readonly execBytes: number;
  readonly inputs: Int32Array;
  readonly startNs: number;
}

export class CaptureWriter {
  records = 0;
  /** Records the ring refused (known once finished). */
  dropped = 0;
  private readonly fd: number;
  private readonly out = Buffer.alloc(DRAIN_BATCH * CAPTURE_RECORD_BYTES);
  private readonly header = Buffer.alloc(CAPTURE_HEADER_BYTES);
  private finished = false;

  constructor(private readonly o: CaptureWriterOptions) {
    mkdirSync(dirname(o.file), { recursive: true });
    this.fd = openSync(o.file, 'w');
    // For the reader (the replay needs only the region's bytes); i64 values as decimal strings.
    const config = Buffer.from(JSON.stringify(o.config, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)), 'utf8');
    const h = this.header;
    h.write(CAPTURE_MAGIC, H.MAGIC, 'latin1');
    h.writeUInt32LE(CAPTURE_VERSION, H.VERSION);
    h.writeUInt32LE(CaptureState.RECORDING, H.STATE);
    h.writeUInt32LE(o.exec, H.EXEC_OFFSET);
    h.writeUInt32LE(o.execBytes, H.EXEC_BYTES);
    h.writeUInt32LE(config.length, H.CONFIG_BYTES);
    h.writeUInt32LE(CAPTURE_RECORD_BYTES, H.RECORD_BYTES);
    h.writeDoubleLE(o.startNs, H.START_NS);
    h.writeUInt32LE(o.config.engine.symbols.length, H.SYMBOLS);
    const exec = Buffer.from(new Uint8Array(o.core.memory.buffer, o.exec, o.execBytes)); // a copy, taken now
    writeSync(this.fd, h);
    writeSync(this.fd, padded(config));
    writeSync(this.fd, padded(exec));
  }

  /** Appends up to DRAIN_BATCH records from the ring; returns how many. */
  drain(): number {
    const core = this.o.core;
    const ring = this.o.ring;
    const u8 = new Uint8Array(core.memory.buffer);
    let n = 0;
    for (; n < DRAIN_BATCH; n++) {
      const at = core.ringPeek(ring);
      if (at === 0) break;
      this.out.set(u8.subarray(at, at + CAPTURE_RECORD_BYTES), n * CAPTURE_RECORD_BYTES);
      core.ringRelease(ring);
    }
    if (n > 0) writeSync(this.fd, this.out, 0, n * CAPTURE_RECORD_BYTES);
    this.records += n;
    return n;
  }

  /** Everything left in the ring, then the header's counts and state; the file is closed. */
  finish(): { records: number; dropped: number; complete: boolean } {
    while (this.drain() === DRAIN_BATCH) { /* more */ }
    const dropped = Atomics.load(this.o.inputs, HotInput.CAPTURE_DROPPED);
    this.dropped = dropped;
    if (!this.finished) {
      this.finished = true;
      const h = this.header;
      h.writeUInt32LE(dropped === 0 ? CaptureState.COMPLETE : CaptureState.INCOMPLETE, H.STATE);
      h.writeDoubleLE(this.records, H.RECORDS);
      h.writeDoubleLE(dropped, H.DROPPED);
      writeSync(this.fd, h, 0, CAPTURE_HEADER_BYTES, 0);
      closeSync(this.fd);
    }
    return { records: this.records, dropped, complete: dropped === 0 };
  }
}

function padded(b: Buffer): Buffer {
  const pad = (8 - (b.length % 8)) % 8;
  return pad === 0 ? b : Buffer.concat([b, Buffer.alloc(pad)]);
}
