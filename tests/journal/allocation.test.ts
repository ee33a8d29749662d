// What the writer's append allocates once optimised. Encoding, prefix and copy allocate nothing: 200 000
// appends of every type, with no garbage collection and next to no heap growth, when every record's CRC
// fits a small integer. The one allocation left is zlib.crc32's result: a CRC of 2^31 or more comes back
// from native code as a boxed number (16 B), so half the records of a real journal cost 16 B of short-lived
// garbage each; the second test bounds that (a rest array, a BigInt or a view per record would pass it).
// The records are read back from disk, so neither test can pass by appending nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { openJournal, type JournalWriter } from '../../host/journal/journal-writer.js';
import { readJournalFile } from '../../host/journal/journal-reader.js';
import { RECORD_TYPES } from '../../host/journal/records.js';
import { gcDuring } from '../testkit/md-server.js';
import { tempFile } from '../testkit/journal-samples.js';

const PER_TYPE = 2_000;
const ROUND = PER_TYPE * 10;

/** Each type's fixed fields after the timestamp; the timestamps vary. */
const ARGS: Record<string, number[]> = {
  OrderNew: [11, 3, 0, 0, 2, 250_000, 50], Ack: [11, 18, 3], Fill: [11, 20, 3, 0, 250_000, 20, 30, 1_234_567],
  Canceled: [11, 3, 1, 30], OrderCancel: [12, 11, 3], OrderReplace: [13, 11, 3, 249_990, 40], Reject: [14, 3, 18, 260_000],
  RiskRefusal: [3, 1, 5, 250_000, 100], TradingState: [2, 0, 1], Control: [1, 1, 0, -5],
};

/** Per type, PER_TYPE timestamps (from 1 up) whose record's CRC is below 2^31 when `small`, or any. */
function timestamps(small: boolean): Int32Array[] {
  return RECORD_TYPES.map((info) => {
    const body = new Uint8Array(info.layout.bytes);
    const view = new DataView(body.buffer);
    const out = new Int32Array(PER_TYPE);
    for (let t = 1, n = 0; n < PER_TYPE; t++) {
      info.encode(view, 0, t, ...ARGS[info.name]!);
      if (!small || crc32(body) < 2 ** 31) out[n++] = t;
    }
    return out;
  });
}

function round(w: JournalWriter, ts: Int32Array[]): void {
  const [a, b, c, d, e, f, g, h, i, j] = ts as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  for (let k = 0; k < PER_TYPE; k++) {
    w.OrderNew(a[k]!, 11, 3, 0, 0, 2, 250_000, 50);
    w.OrderCancel(b[k]!, 12, 11, 3);
    w.OrderReplace(c[k]!, 13, 11, 3, 249_990, 40);
    w.Ack(d[k]!, 11, 18, 3);
    w.Reject(e[k]!, 14, 3, 18, 260_000);
    w.Fill(f[k]!, 11, 20, 3, 0, 250_000, 20, 30, 1_234_567);
    w.Canceled(g[k]!, 11, 3, 1, 30);
    w.RiskRefusal(h[k]!, 3, 1, 5, 250_000, 100);
    w.TradingState(i[k]!, 2, 0, 1);
    w.Control(j[k]!, 1, 1, 0, -5);
  }
}

async function measure(small: boolean): Promise<{ gcs: number; heapGrowth: number; appended: number }> {
  const ts = timestamps(small);
  const file = tempFile('allocation.journal');
  const w = openJournal(file, { fsync: 'none', batchBytes: 16 << 20 });
  for (let r = 0; r < 20; r++) round(w, ts);
  w.flush();
  let gcs = 0;
  let heapGrowth = 0;
  // Up to three attempts: on a loaded machine the optimised code may not be ready when the first starts.
  for (let attempt = 0; attempt < 3; attempt++) {
    ({ gcs, heapGrowth } = await gcDuring(() => {
      for (let r = 0; r < 10; r++) round(w, ts);
    }));
    w.flush();
    if (small ? gcs === 0 && heapGrowth < 1 << 20 : gcs === 0) break;
  }
  w.close();
  const scan = readJournalFile(file);
  let n = 0;
  for (const r of scan.records()) {
    n++;
    if (r.type === 'Fill') assert.equal(r.fields['chargesPaise'], 1_234_567);
  }
  assert.equal(n, w.appended);
  assert.equal(scan.tear, null);
  return { gcs, heapGrowth, appended: w.appended };
}

test('appending allocates nothing per record when the CRC fits a small integer', async () => {
  const { gcs, heapGrowth, appended } = await measure(true);
  assert.ok(appended >= 30 * ROUND);
  assert.equal(gcs, 0, `garbage collections during ${10 * ROUND} appends: ${gcs} (heap +${heapGrowth} B)`);
  assert.ok(heapGrowth < 1 << 20, `heap grew ${heapGrowth} B over ${10 * ROUND} appends`);
});

test('otherwise only the boxed CRC: at most 16 B per record on average', async () => {
  // Measured while no collection runs: heap growth is then what the appends allocated.
  const { gcs, heapGrowth } = await measure(false);
  if (process.env.JOURNAL_DEBUG) console.log({ gcs, heapGrowth });
  if (gcs === 0) {
    const perRecord = heapGrowth / (10 * ROUND);
    assert.ok(perRecord <= 12, `${perRecord.toFixed(1)} B per record (a boxed CRC for about half the records is 8 B on average)`);
  } else {
    // A collection ran: the garbage it found is below a young generation's worth per 200 000 records.
    assert.ok(gcs <= 4, `${gcs} collections during ${10 * ROUND} appends`);
  }
});
