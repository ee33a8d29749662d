// Every record type written by the writer and read back by the reader, field for field, with every field at
// the edges of its type; and the bytes themselves checked independently of the decoders (prefix length,
// zlib CRC-32 of the body, type byte, timestamp read as a BigInt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { openJournal } from '../../host/journal/journal-writer.js';
import { readJournalFile } from '../../host/journal/journal-reader.js';
import { FILE_HEADER_BYTES, RECORD_TYPES } from '../../host/journal/records.js';
import { append, expected, samples, tempFile } from '../testkit/journal-samples.js';

test('every record type round-trips, every field at the edges of its type', () => {
  const file = tempFile('round-trip.journal');
  const all = samples(40, 7);
  // A batch smaller than the whole set, so records also cross flushes forced by a full buffer.
  const w = openJournal(file, { fsync: 'none', batchBytes: 256, createdWallMs: 1_796_000_000_123 });
  for (const s of all) append(w, s);
  w.close();
  assert.equal(w.appended, all.length);

  const scan = readJournalFile(file);
  assert.equal(scan.header.createdWallMs, 1_796_000_000_123);
  const got = [...scan.records()].map(({ offset: _o, ...r }) => r);
  assert.equal(scan.tear, null);
  assert.equal(scan.corruption, null);
  assert.equal(got.length, all.length);
  for (let i = 0; i < all.length; i++) assert.deepEqual(got[i], expected(all[i]!), `record ${i} (${all[i]!.info.name})`);
  assert.deepEqual(new Set(got.map((r) => r.type)), new Set(RECORD_TYPES.map((r) => r.name)), 'every type present');
});

test('the bytes: prefix length, zlib CRC-32 of the body, type code, i64 timestamp', () => {
  const file = tempFile('bytes.journal');
  const all = samples(10, 3);
  const w = openJournal(file, { fsync: 'batch' });
  for (const s of all) append(w, s);
  w.close();
  const bytes = readFileSync(file);
  let at = FILE_HEADER_BYTES;
  for (const s of all) {
    const length = bytes.readUInt32LE(at);
    assert.equal(length, s.info.layout.bytes, `${s.info.name} length`);
    assert.equal(length % 8, 0);
    const body = bytes.subarray(at + 8, at + 8 + length);
    assert.equal(bytes.readUInt32LE(at + 4), crc32(body), `${s.info.name} CRC`);
    assert.equal(body[0], s.info.code, `${s.info.name} type byte`);
    assert.equal(body.readBigInt64LE(8), BigInt(s.values[0]!), `${s.info.name} timestamp`);
    for (let i = 1; i < 8; i++) assert.equal(body[i], 0, 'reserved bytes are 0');
    at += 8 + length;
  }
  assert.equal(at, bytes.length);
});

test('reopening appends after the existing records', () => {
  const file = tempFile('reopen.journal');
  const all = samples(5, 11);
  const half = all.length >> 1;
  let w = openJournal(file, { fsync: 'none', createdWallMs: 5 });
  for (const s of all.slice(0, half)) append(w, s);
  w.close();
  w = openJournal(file, { fsync: 'none', createdWallMs: 999 });
  assert.deepEqual(w.recovered, { records: half, tear: null });
  for (const s of all.slice(half)) append(w, s);
  w.close();
  const scan = readJournalFile(file);
  assert.equal(scan.header.createdWallMs, 5, 'the header of the first open stays');
  assert.deepEqual([...scan.records()].map(({ offset: _o, ...r }) => r), all.map(expected));
});

test('options are checked; a closed writer refuses appends', () => {
  assert.throws(() => openJournal(tempFile('x.journal'), { fsync: 'always' as never }), /fsync must be none or batch/);
  assert.throws(() => openJournal(tempFile('y.journal'), { batchBytes: 16 }), /batchBytes must be an integer >= 72/);
  const file = tempFile('closed.journal');
  const w = openJournal(file);
  w.close();
  w.close(); // twice is fine
  assert.throws(() => w.Ack(1, 2, 3, 4), new RegExp(`journal ${file} is closed`));
});
