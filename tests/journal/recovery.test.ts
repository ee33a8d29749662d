// Crash recovery and damage: a journal cut at every byte inside its last record reads as the records before
// it plus a reported tear, and reopening it truncates the tear and continues cleanly; a flipped byte in a
// middle record stops the reader at that record's offset and makes the writer refuse; bad headers are
// refused with the file named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { openJournal } from '../../host/journal/journal-writer.js';
import { JournalScan, readJournalFile } from '../../host/journal/journal-reader.js';
import { FILE_HEADER_BYTES, JournalFormatError, RECORD_TYPES } from '../../host/journal/records.js';
import { append, expected, samples, tempFile, type Sample } from '../testkit/journal-samples.js';

function written(all: readonly Sample[], name: string): { file: string; bytes: Buffer; offsets: number[] } {
  const file = tempFile(name);
  const w = openJournal(file, { fsync: 'none' });
  for (const s of all) append(w, s);
  w.close();
  const bytes = readFileSync(file);
  const offsets: number[] = [];
  let at = FILE_HEADER_BYTES;
  for (const s of all) { offsets.push(at); at += 8 + s.info.layout.bytes; }
  return { file, bytes, offsets };
}

const strip = ({ offset: _o, ...r }: { offset: number }): unknown => r;

test('a last record torn at every byte: the records before it, and the tear reported', () => {
  // One journal per last record type, so every record size is cut at every byte.
  for (const last of RECORD_TYPES) {
    const all = [...samples(2, 5).filter((s) => s.info !== last).slice(0, 6), samples(1, 9).find((s) => s.info === last)!];
    const { bytes, offsets } = written(all, 'torn.journal');
    const start = offsets[offsets.length - 1]!;
    const before = all.slice(0, -1).map(expected);
    for (let cut = start + 1; cut < bytes.length; cut++) {
      const scan = new JournalScan(bytes.subarray(0, cut), 'torn');
      const got = [...scan.records()].map(strip);
      assert.deepEqual(got, before, `${last.name} cut at ${cut}`);
      assert.equal(scan.corruption, null, `${last.name} cut at ${cut}: a tear, not damage`);
      assert.deepEqual(scan.tear && [scan.tear.offset, scan.tear.bytes], [start, cut - start], `${last.name} cut at ${cut}`);
      assert.equal(scan.goodEnd, start);
    }
    const whole = new JournalScan(bytes, 'whole');
    assert.equal([...whole.records()].length, all.length);
    assert.equal(whole.tear, null);
  }
});

test('the writer reopening a torn journal truncates the tear and continues cleanly', () => {
  const all = samples(3, 21);
  const { file, bytes, offsets } = written(all, 'reopen-torn.journal');
  const start = offsets[offsets.length - 1]!;
  const more = samples(1, 22).slice(0, 4);
  for (let cut = start + 1; cut < bytes.length; cut++) {
    writeFileSync(file, bytes.subarray(0, cut));
    const w = openJournal(file, { fsync: 'batch' });
    assert.equal(w.recovered.records, all.length - 1);
    assert.deepEqual(w.recovered.tear && [w.recovered.tear.offset, w.recovered.tear.bytes], [start, cut - start]);
    assert.equal(statSync(file).size, start, 'truncated to the last good record');
    for (const s of more) append(w, s);
    w.close();
    const scan = readJournalFile(file);
    assert.deepEqual([...scan.records()].map(strip), [...all.slice(0, -1), ...more].map(expected), `cut at ${cut}`);
    assert.equal(scan.tear, null);
    assert.equal(scan.corruption, null);
  }
});

test('a zero-filled tail (the file extended, the data lost) is a tear', () => {
  const all = samples(1, 4).slice(0, 5);
  const { file, bytes } = written(all, 'zeros.journal');
  writeFileSync(file, Buffer.concat([bytes, Buffer.alloc(4096)]));
  const scan = readJournalFile(file).finish();
  assert.equal(scan.count, all.length);
  assert.deepEqual(scan.tear && [scan.tear.offset, scan.tear.bytes], [bytes.length, 4096]);
  const w = openJournal(file);
  w.close();
  assert.equal(statSync(file).size, bytes.length);
});

test('a flipped byte in a middle record: the reader stops at its offset, the writer refuses', () => {
  const all = samples(2, 13);
  const { file, bytes, offsets } = written(all, 'flipped.journal');
  const victim = 7;
  const at = offsets[victim]!;
  const size = 8 + all[victim]!.info.layout.bytes;
  // Every byte of the record: the prefix (length, CRC) and the body.
  for (let i = 0; i < size; i++) {
    const damaged = Buffer.from(bytes);
    damaged[at + i]! ^= 0x40;
    const scan = new JournalScan(damaged, 'flipped');
    const got = [...scan.records()].map(strip);
    assert.deepEqual(got, all.slice(0, victim).map(expected), `byte ${i} flipped`);
    assert.equal(scan.tear, null, `byte ${i} flipped: damage, not a tear (${scan.tear?.why})`);
    assert.equal(scan.corruption?.offset, at, `byte ${i} flipped`);
  }
  const damaged = Buffer.from(bytes);
  damaged[at + 20]! ^= 1;
  writeFileSync(file, damaged);
  const scan = readJournalFile(file).finish();
  assert.match(scan.corruption!.why, /CRC mismatch/);
  assert.throws(() => openJournal(file), (err: Error) => err instanceof JournalFormatError
    && err.message.includes(file) && err.message.includes(`offset ${at}`) && /refusing to append/.test(err.message));
  assert.equal(statSync(file).size, damaged.length, 'nothing truncated');
});

test('a bad header is refused, naming the file and the fault', () => {
  const { bytes } = written(samples(1, 2).slice(0, 2), 'header.journal');
  const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
    ['short', (b) => b.subarray(0, 10), /10 bytes, shorter than the 24-byte header/],
    ['magic', (b) => { const c = Buffer.from(b); c[0] = 0x58; return c; }, /not a journal: magic "XCJOURNL"/],
    ['version', (b) => { const c = Buffer.from(b); c.writeUInt16LE(2, 8); return c; }, /format version 2, this build reads version 1/],
    ['size', (b) => { const c = Buffer.from(b); c.writeUInt16LE(32, 10); return c; }, /header size 32, expected 24/],
  ];
  for (const [what, damage, message] of cases) {
    const file = tempFile(`bad-${what}.journal`);
    writeFileSync(file, damage(bytes));
    const check = (err: Error): boolean => err instanceof JournalFormatError && message.test(err.message) && err.message.startsWith(file);
    assert.throws(() => readJournalFile(file), check, `reader, ${what}`);
    assert.throws(() => openJournal(file), check, `writer, ${what}`);
  }
  // An empty file (created, header never written) is started afresh.
  const empty = tempFile('empty.journal');
  writeFileSync(empty, '');
  openJournal(empty).close();
  assert.equal(statSync(empty).size, FILE_HEADER_BYTES);
  truncateSync(empty, 0);
});
