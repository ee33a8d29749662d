// FrameReader: a long stream of mixed frames cut at seeded random places (down to 1-byte chunks)
// comes out frame for frame, in order, byte-exact; frames inside one chunk are views into it (no
// copy); a length that loses the stream is reported as a sticky error, never thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DisconnectReason,
  FrameReader,
  MESSAGES,
  MessageType,
  encodeMessage,
  frameLength,
  validateFrame,
} from '../../host/protocol/index.js';
import { rng } from '../testkit/core.js';
import { MessageGen, frameOf, sample } from '../testkit/protocol-samples.js';

const UNKNOWN_TYPE = 0x7e;

/** `count` random frames of every type (and some of an unknown type with a plausible length). */
function stream(seed: number, count: number): { bytes: Uint8Array; frames: Uint8Array[] } {
  const rnd = rng(seed);
  const gen = new MessageGen(rnd);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const k = gen.int(0, MESSAGES.length);
    if (k === MESSAGES.length) {
      const f = new Uint8Array(gen.int(2, 43) * 8);
      for (let j = 0; j < f.length; j++) f[j] = gen.int(0, 255);
      const v = new DataView(f.buffer);
      v.setUint16(0, f.length, true);
      v.setUint8(2, UNKNOWN_TYPE);
      v.setUint8(3, 1);
      frames.push(f);
    } else {
      frames.push(frameOf(gen.message(MESSAGES[k]!.type)).bytes.slice());
    }
  }
  const total = frames.reduce((s, f) => s + f.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const f of frames) {
    bytes.set(f, at);
    at += f.length;
  }
  return { bytes, frames };
}

/** Cut `bytes` into chunks: 1-byte runs, small, mid-size and large pieces, mixed. */
function cut(bytes: Uint8Array, seed: number, ownBuffers: boolean): Uint8Array[] {
  const rnd = rng(seed);
  const chunks: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const r = rnd();
    const size = r < 0.25 ? 1 : r < 0.5 ? 1 + Math.floor(rnd() * 20) : r < 0.8 ? 1 + Math.floor(rnd() * 400) : 1 + Math.floor(rnd() * 5000);
    const piece = bytes.subarray(at, Math.min(at + size, bytes.length));
    chunks.push(ownBuffers ? piece.slice() : piece);
    at += piece.length;
  }
  return chunks;
}

interface Run {
  frames: Uint8Array[];
  zeroCopy: number;
  copied: number;
  error: number;
  detail: number;
}

/** Drain `chunks` through a reader with the pull loop; copy out every frame. */
function run(chunks: Uint8Array[], reader = new FrameReader()): Run {
  const out: Run = { frames: [], zeroCopy: 0, copied: 0, error: 0, detail: 0 };
  for (const chunk of chunks) {
    reader.push(chunk);
    let n: number;
    while ((n = reader.next()) > 0) {
      assert.equal(frameLength(reader.view, reader.at), n);
      out.frames.push(new Uint8Array(reader.view.buffer, reader.at, n).slice());
      if (reader.view.buffer === chunk.buffer) {
        assert.ok(reader.at >= chunk.byteOffset && reader.at + n <= chunk.byteOffset + chunk.byteLength, 'view inside the chunk');
        out.zeroCopy++;
      } else {
        out.copied++;
      }
    }
    if (n < 0) {
      out.error = reader.error;
      out.detail = reader.errorDetail;
      break;
    }
  }
  return out;
}

function assertSameFrames(got: Uint8Array[], want: Uint8Array[]): void {
  assert.equal(got.length, want.length, 'frame count');
  for (let i = 0; i < want.length; i++) assert.deepEqual(got[i], want[i], `frame ${i}`);
}

test('10 000 mixed frames, randomly fragmented 20 ways: every frame exactly, in order', () => {
  const { bytes, frames } = stream(0xf4a3, 10_000);
  for (let seed = 1; seed <= 20; seed++) {
    const chunks = cut(bytes, seed, seed % 2 === 0);
    const r = run(chunks);
    assert.equal(r.error, 0);
    assertSameFrames(r.frames, frames);
    // Only frames crossing a chunk boundary are copied.
    assert.ok(r.copied <= chunks.length, `${r.copied} copies for ${chunks.length} chunks`);
  }
});

test('1-byte chunks: every frame assembled and exact', () => {
  const { bytes, frames } = stream(7, 500);
  const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  const r = run(chunks);
  assert.equal(r.error, 0);
  assertSameFrames(r.frames, frames);
  assert.equal(r.zeroCopy, 0);
});

test('one chunk holding the whole stream: every frame is a zero-copy view', () => {
  const { bytes, frames } = stream(8, 2000);
  const r = run([bytes]);
  assertSameFrames(r.frames, frames);
  assert.equal(r.copied, 0);
  assert.equal(r.zeroCopy, frames.length);
});

test('chunks that are views at an offset of a larger buffer, and Node Buffers from the pool', () => {
  const { bytes, frames } = stream(9, 300);
  const backing = new Uint8Array(bytes.length + 100).fill(0xcc);
  backing.set(bytes, 37);
  const chunks = cut(backing.subarray(37, 37 + bytes.length), 3, false);
  assertSameFrames(run(chunks).frames, frames);
  const buffers = cut(bytes, 4, true).map((c) => Buffer.from(c));
  assertSameFrames(run(buffers).frames, frames);
});

test('every frame out of the reader validates', () => {
  const { bytes } = stream(10, 3000);
  const reader = new FrameReader();
  let known = 0;
  for (const chunk of cut(bytes, 5, false)) {
    reader.feed(chunk, (view, at, n) => {
      const code = validateFrame(view, at, n, 500);
      if (view.getUint8(at + 2) === UNKNOWN_TYPE) assert.equal(code, 3 /* UNKNOWN_TYPE */);
      else {
        assert.equal(code, 0);
        known++;
      }
    });
  }
  assert.ok(known > 2500);
  assert.equal(reader.frames, 3000);
  assert.equal(reader.buffered, 0);
  assert.equal(reader.pending, 0);
});

test('feed: callback per frame, 0 when the stream is fine', () => {
  const { bytes, frames } = stream(11, 200);
  const reader = new FrameReader();
  const got: Uint8Array[] = [];
  for (const chunk of cut(bytes, 6, true)) {
    assert.equal(reader.feed(chunk, (v, at, n) => got.push(new Uint8Array(v.buffer, at, n).slice())), 0);
  }
  assertSameFrames(got, frames);
});

/** Valid frames, then a frame whose length field is `length` (type `type`), then more valid frames. */
function poisoned(length: number, type: number): { bytes: Uint8Array; good: Uint8Array[] } {
  const { frames } = stream(12, 50);
  const bad = new Uint8Array(64).fill(0x41);
  const v = new DataView(bad.buffer);
  v.setUint16(0, length, true);
  v.setUint8(2, type);
  const tail = stream(13, 20).bytes;
  const total = frames.reduce((s, f) => s + f.length, 0);
  const bytes = new Uint8Array(total + bad.length + tail.length);
  let at = 0;
  for (const f of frames) {
    bytes.set(f, at);
    at += f.length;
  }
  bytes.set(bad, at);
  bytes.set(tail, at + bad.length);
  return { bytes, good: frames };
}

test('a length that loses the stream: frames before it delivered, then a sticky BAD_LENGTH, never a throw', () => {
  const cases: [number, number, string][] = [
    [0, MessageType.NewOrder, 'length 0'],
    [15, MessageType.Heartbeat, 'length below the header'],
    [345, UNKNOWN_TYPE, 'length above MAX_FRAME_BYTES'],
    [0xffff, MessageType.Snapshot, 'length 65535'],
    [48, MessageType.NewOrder, 'known type, wrong size'],
    [16, MessageType.Fill, 'known type, header-only length'],
  ];
  for (const [length, type, why] of cases) {
    const { bytes, good } = poisoned(length, type);
    for (const [label, chunks] of [
      ['whole', [bytes]],
      ['1-byte', Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))],
      ['random', cut(bytes, length + type, true)],
    ] as const) {
      const reader = new FrameReader();
      const r = run(chunks as Uint8Array[], reader);
      assert.equal(r.error, DisconnectReason.BAD_LENGTH, `${why} (${label})`);
      assert.equal(r.detail, length, `${why} (${label}) detail`);
      assertSameFrames(r.frames, good);
      // Sticky: more input changes nothing.
      reader.push(bytes.subarray(0, 40));
      assert.equal(reader.next(), -1);
      assert.equal(reader.feed(frameOf(sample(MessageType.Heartbeat)).bytes, () => assert.fail('frame after error')),
        DisconnectReason.BAD_LENGTH);
    }
  }
});

test('unknown type with a plausible length passes through; the stream goes on', () => {
  const { bytes, good } = poisoned(64, UNKNOWN_TYPE);
  const r = run(cut(bytes, 99, false));
  assert.equal(r.error, 0);
  assert.equal(r.frames.length, good.length + 1 + 20);
  assert.equal(r.frames[good.length]![2], UNKNOWN_TYPE);
});

test('random garbage: reported as an error (or partial frames), never thrown', () => {
  const rnd = rng(0xbad);
  let errors = 0;
  for (let i = 0; i < 200; i++) {
    const junk = new Uint8Array(1 + Math.floor(rnd() * 3000));
    for (let j = 0; j < junk.length; j++) junk[j] = Math.floor(rnd() * 256);
    const reader = new FrameReader();
    const r = run(cut(junk, i + 1, i % 2 === 0), reader);
    if (r.error !== 0) errors++;
    else assert.ok(reader.buffered > 0 || r.frames.length > 0 || junk.length < 3);
  }
  assert.ok(errors > 150, `${errors} of 200 garbage streams detected`);
});

test('misuse: pushing before the previous chunk is drained throws; reset starts over', () => {
  const { bytes, frames } = stream(14, 10);
  const reader = new FrameReader();
  reader.push(bytes);
  assert.ok(reader.next() > 0);
  assert.throws(() => reader.push(bytes), /not drained/);
  reader.reset();
  assertSameFrames(run([bytes], reader).frames, frames);
  // A half-received frame is dropped by reset.
  const r2 = new FrameReader();
  r2.push(bytes.subarray(0, 5));
  assert.equal(r2.next(), 0);
  assert.equal(r2.buffered, 5);
  r2.reset();
  assert.equal(r2.buffered, 0);
  assertSameFrames(run([bytes], r2).frames, frames);
});

test('a frame assembled from pieces stays valid until the next call, then the buffer is reused', () => {
  const a = frameOf(sample(MessageType.NewOrder)).bytes.slice();
  const b = frameOf(sample(MessageType.Fill)).bytes.slice();
  const reader = new FrameReader();
  reader.push(a.subarray(0, 10));
  assert.equal(reader.next(), 0);
  reader.push(a.subarray(10));
  assert.equal(reader.next(), 40);
  assert.deepEqual(new Uint8Array(reader.view.buffer, reader.at, 40), a);
  assert.equal(reader.next(), 0);
  const both = new Uint8Array(a.length + b.length);
  both.set(b.subarray(0, 2));
  reader.push(both.subarray(0, 2));
  assert.equal(reader.next(), 0);
  assert.equal(reader.buffered, 2);
  reader.push(b.subarray(2));
  assert.equal(reader.next(), 56);
  assert.deepEqual(new Uint8Array(reader.view.buffer, reader.at, 56), b);
  const v = new DataView(new ArrayBuffer(400));
  encodeMessage(v, 0, sample(MessageType.Snapshot));
});
