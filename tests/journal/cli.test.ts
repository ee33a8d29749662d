// `npm run journal`: the CLI as a child process on journals written by the writer, every output value
// worked out by hand below; a torn tail is reported (exit 0), a damaged record stops the listing (exit 1,
// offset named), a bad file exits 1 naming it, bad arguments exit 2 with the usage, --help exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { openJournal } from '../../host/journal/journal-writer.js';
import { ControlAction } from '../../host/journal/records.js';
import { RiskRefusal, Side, TradingState, TradingStateReason, OrderKind, TimeInForce } from '../../host/model/vocabulary.js';
import { CancelReason, RejectReason } from '../../host/model/reasons.js';
import { runCli } from '../testkit/cli.js';
import { tempFile } from '../testkit/journal-samples.js';

function sampleJournal(): string {
  const file = tempFile('cli.journal');
  const w = openJournal(file, { fsync: 'none' });
  w.OrderNew(1000, 11, 3, Side.BUY, OrderKind.LIMIT, TimeInForce.POST_ONLY, 250_005, 50);
  w.Ack(1010, 11, 9001, 3);
  w.Fill(2000, 11, 77, 3, Side.BUY, 250_005, 20, 30, 1_234_567);
  w.Fill(2500, 11, 78, 3, Side.BUY, 250_005, 30, 0, 5);
  w.Reject(2600, 12, 3, RejectReason.PRICE_OUT_OF_BAND, 260_000);
  w.Canceled(2700, 13, 3, CancelReason.IOC_REMAINDER, 10);
  w.RiskRefusal(3000, 3, Side.SELL, RiskRefusal.MAX_POSITION, 250_000, 100);
  w.TradingState(4000, TradingState.HALTED, TradingState.ACTIVE, TradingStateReason.KILL);
  w.Control(3999, ControlAction.KILL, 1, 0, 0);
  w.OrderCancel(4100, 14, 11, 3);
  w.OrderReplace(4200, 15, 12, 3, 249_990, 40);
  w.close();
  return file;
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('CLI: every record as one JSON line, codes by name, money in paise and rupees', async () => {
  const r = await runCli('journal', [sampleJournal()]);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  assert.equal(lines.length, 11);
  assert.deepEqual(lines[0], {
    offset: 24, type: 'order-new', timestamp_ns: 1000, cl_ord_id: 11, symbol: 3, side: 0, side_name: 'BUY', kind: 0,
    kind_name: 'LIMIT', tif: 2, tif_name: 'POST_ONLY', price: 250_005, qty: 50,
  });
  // OrderNew 8 + 40 = 48 bytes → the Ack at 72; Ack 48 → the first Fill at 120.
  assert.deepEqual(lines[2], {
    offset: 120, type: 'fill', timestamp_ns: 2000, cl_ord_id: 11, trade_id: 77, symbol: 3, side: 0, side_name: 'BUY',
    price: 250_005, qty: 20, leaves_qty: 30, charges_paise: 1_234_567, charges_rupees: '12345.67',
  });
  assert.equal(lines[3]!['charges_rupees'], '0.05');
  assert.deepEqual([lines[4]!['reason'], lines[4]!['reason_name'], lines[4]!['detail']], [18, 'PRICE_OUT_OF_BAND', 260_000]);
  assert.equal(lines[5]!['reason_name'], 'IOC_REMAINDER');
  assert.deepEqual([lines[6]!['refusal_name'], lines[6]!['side_name']], ['MAX_POSITION', 'SELL']);
  assert.deepEqual([lines[7]!['state_name'], lines[7]!['previous_state_name'], lines[7]!['reason_name']], ['HALTED', 'ACTIVE', 'KILL']);
  assert.deepEqual([lines[8]!['action_name'], lines[8]!['accepted']], ['KILL', 1]);
  assert.deepEqual([lines[9]!['type'], lines[9]!['orig_cl_ord_id']], ['order-cancel', 11]);
  assert.deepEqual([lines[10]!['type'], lines[10]!['price'], lines[10]!['qty']], ['order-replace', 249_990, 40]);
  assert.match(r.stderr, /^journal: 11 records, 11 printed\n$/);
});

test('CLI: --type and --from-ns select records', async () => {
  const file = sampleJournal();
  let r = await runCli('journal', [file, '--type', 'fill']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonLines(r.stdout).map((l) => l['trade_id']), [77, 78]);
  r = await runCli('journal', [file, '--from-ns', '3000']);
  assert.deepEqual(jsonLines(r.stdout).map((l) => l['type']), ['risk-refusal', 'trading-state', 'control', 'order-cancel', 'order-replace']);
  r = await runCli('journal', [file, '--from-ns', '2000', '--type', 'fill']);
  assert.deepEqual(jsonLines(r.stdout).map((l) => l['timestamp_ns']), [2000, 2500]);
  assert.match(r.stderr, /11 records, 2 printed/);
});

test('CLI: a torn last record is reported and skipped (exit 0); a damaged one stops the listing (exit 1)', async () => {
  const file = sampleJournal();
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, bytes.length - 5)); // into the last record (OrderReplace, 56 bytes)
  let r = await runCli('journal', [file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(jsonLines(r.stdout).length, 10);
  assert.match(r.stderr, new RegExp(`10 records, 10 printed; torn last record at offset ${bytes.length - 56} \\(51 bytes: length 48 runs past the end of the file\\) skipped`));

  const damaged = Buffer.from(bytes);
  damaged[72 + 8 + 20]! ^= 0xff; // inside the Ack's body
  writeFileSync(file, damaged);
  r = await runCli('journal', [file]);
  assert.equal(r.code, 1);
  assert.equal(jsonLines(r.stdout).length, 1, 'the record before the damage');
  assert.match(r.stderr, new RegExp(`${file}: damaged record at offset 72: CRC mismatch`));
});

test('CLI: a bad file exits 1 naming it; bad arguments exit 2 with the usage; --help exits 0', async () => {
  const missing = tempFile('missing.journal');
  let r = await runCli('journal', [missing]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `journal: cannot read ${missing}: ENOENT\n`);
  const notJournal = tempFile('text.journal');
  writeFileSync(notJournal, 'this is not a journal at all, just text\n');
  r = await runCli('journal', [notJournal]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `journal: ${notJournal}: not a journal: magic "this is ", expected "TCJOURNL"\n`);

  for (const [args, message] of [
    [[], /expected a journal file/],
    [['a', 'b'], /unexpected argument "b"/],
    [['a', '--type', 'fills'], /--type must be one of order-new, order-cancel, order-replace, ack, reject, fill, canceled, risk-refusal, trading-state, control, got "fills"/],
    [['a', '--from-ns', '-1'], /--from-ns must be an integer in \[0, 2\^53 - 1\], got "-1"/],
    [['a', '--from-ns', '1.5'], /--from-ns must be an integer/],
    [['a', '--bogus'], /Unknown option '--bogus'/],
  ] as const) {
    r = await runCli('journal', [...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage: journal <file>/);
  }
  r = await runCli('journal', ['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^usage: journal <file> \[--from-ns N\]/);
});
