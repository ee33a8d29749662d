// Venue reaction end to end: a scripted client plays the engine against a venue process with steady
// synthetic market data and the audit on. It answers some market-data reads with an order at once and
// remembers which frame's Tv it answered (market data every 5 ms: far apart next to the client's
// reaction even on a loaded machine, as the benchmark's spacing is next to the engine's). The pairing of bench/reaction-pairing.ts, working only from
// the venue's audit, must find those same frames (it may only ever pick a later one, never an earlier
// one), so its reactions equal the client's own account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { FrameReader, MessageType, frameSendNs, frameType, mdSymbolOf } from '../../host/protocol/index.js';
import { startVenue, venueConfigToml } from '../../host/venue/venue-process.js';
import { pairReactions } from '../../bench/reaction-pairing.js';
import { OeClient } from '../testkit/venue-harness.js';

test('pairing from the audit finds the frame each order answered (venue process, market data every 5 ms)', async (t) => {
  const venue = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'alpha' }],
    symbols: [{ name: 'RELIANCE', refPrice: 58_000, flowEventsPerSecond: 200, flowSeed: 5, flowWarmupEvents: 200 }],
    flowTickMs: 5,
    ordersPerSecond: 0,
  }), { control: true, audit: true, auditMd: true });
  t.after(() => venue.stop());
  const oe = await OeClient.connect(venue.oePort);
  await oe.login(1, 'alpha');
  const md = connect(venue.mdPort, '127.0.0.1');
  md.setNoDelay(true);
  const reader = new FrameReader();
  const answered = new Map<number, number>(); // clOrdId → Tv of the frame it answered
  let reads = 0;
  let nextId = 0;
  const done = new Promise<void>((resolve) => {
    md.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      let tv = -1;
      for (let n = reader.next(); n > 0; n = reader.next()) {
        const type = frameType(reader.view, reader.at);
        if (type === MessageType.L2Delta && mdSymbolOf(reader.view, reader.at) === 1) tv = Number(frameSendNs(reader.view, reader.at));
      }
      if (tv < 0 || ++reads % 3 !== 0) return;
      const id = ++nextId;
      answered.set(id, tv);
      oe.newOrder(id, 1, 0, 52_200, 1, 0, 1); // IOC buy at the band's floor: Ack, then canceled, never filled
      if (id === 80) resolve();
    });
  });
  await done;
  md.destroy();
  await oe.until((all) => all.filter((m) => m.type === MessageType.Canceled).length === 80, 10_000);
  const audit = await venue.audit();
  const orders = audit.filter((l) => l.dir === 'in' && l.type === 'new');
  assert.equal(orders.length, 80);
  const pairing = pairReactions(audit, { user: 1 });
  assert.equal(pairing.unpaired, 0);
  assert.equal(pairing.reactionNs.length, 80);
  let exact = 0;
  orders.forEach((o, i) => {
    const truth = o.ns - answered.get(o.clOrdId!)!;
    const paired = pairing.reactionNs[i]!;
    assert.ok(paired <= truth, `order ${o.clOrdId}: paired with a frame before the one it answered`);
    assert.ok(paired > 0);
    if (paired === truth) exact++;
  });
  assert.ok(exact >= 76, `${exact} of 80 paired with the frame they answered`);
});
