// The connection piece both adapters stand on, on a manual clock against scripted sockets: one stamp
// per read, framing errors, the line watch, header stamps and T4 on send, the graceful drop's
// linger, and redial with backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../host/adapters/backoff.js';
import { ConnectionCounters } from '../../host/adapters/connection-counters.js';
import { VenueConnection, type ConnectionHandler } from '../../host/adapters/connection.js';
import { RateLimitedLog } from '../../host/platform/rate-limited-log.js';
import { HEADER_BYTES, encodeHeartbeat, frameSendNs, frameSeq } from '../../host/protocol/index.js';
import { md } from '../testkit/md-server.js';
import { ManualClock } from '../testkit/manual-clock.js';
import { scriptedDialer } from '../testkit/scripted-socket.js';

function setup(redial?: Backoff) {
  const clock = new ManualClock();
  const net = scriptedDialer();
  const counters = new ConnectionCounters();
  const calls: string[] = [];
  const handler: ConnectionHandler = {
    onOpen: () => calls.push('open'),
    onReadStart: () => calls.push('read'),
    onFrame: (view, at, n, t) => calls.push(`frame seq ${frameSeq(view, at)} ${n} B at ${t}`),
    onReadEnd: () => calls.push('end'),
    onFramingError: (len) => calls.push(`framing ${len}`),
    onLost: (err) => calls.push(`lost ${err ? err.message : 'closed'}`),
    onSilent: (ns) => calls.push(`silent ${ns / 1e6}`),
    onHeartbeatDue: (now) => calls.push(`heartbeat ${now}`),
    onTick: () => calls.push('tick'),
  };
  const connection = new VenueConnection({
    host: 'venue', port: 9, clock, dial: net.dial, log: new RateLimitedLog('test', () => {}), counters, redial,
    callbackOwner: 'a test callback',
  }, handler);
  return { clock, net, counters, calls, connection };
}

test('every frame of one read carries the read\'s one stamp; a framing error ends the read', () => {
  const { clock, net, calls, connection, counters } = setup();
  connection.dial();
  assert.deepEqual([net.last().host, net.last().port], ['venue', 9]);
  net.last().open();
  clock.advance(7);
  const t = clock.nowNs();
  const bad = md.delta(1, 3, 0, 999, 1);
  bad.writeUInt16LE(40, 0);
  net.last().receive(Buffer.concat([md.delta(1, 1, 0, 999, 1), md.delta(1, 2, 0, 998, 1), bad]));
  assert.deepEqual(calls, ['open', 'read', `frame seq 1 32 B at ${t}`, `frame seq 2 32 B at ${t}`, 'framing 40']);
  assert.equal(counters.frames, 2);
  assert.equal(connection.lastRecvNs, t);
});

test('the watch: silence past the limit, else a heartbeat when nothing was sent, then the tick', () => {
  const { clock, net, calls, connection, counters } = setup();
  connection.dial();
  net.last().open();
  const start = clock.nowNs();
  connection.watch(10, 35e6, 20e6); // this handler sends nothing: the heartbeat stays due
  calls.length = 0;
  clock.advance(20);
  assert.deepEqual(calls, ['tick', `heartbeat ${start + 20e6}`, 'tick']);
  calls.length = 0;
  clock.advance(20);
  assert.deepEqual(calls, [`heartbeat ${start + 30e6}`, 'tick', 'silent 40']);
  assert.equal(counters.idleTimeouts, 1);
  connection.drop();
  calls.length = 0;
  clock.advance(100);
  assert.deepEqual(calls, [], 'the watch stops with the drop');
});

test('send() stamps every frame\'s header with the clock and returns the clock after the write', () => {
  const { clock, net, connection, counters } = setup();
  connection.dial();
  net.last().open();
  clock.advance(3);
  const buf = Buffer.alloc(2 * HEADER_BYTES);
  const view = new DataView(buf.buffer);
  encodeHeartbeat(view, 0, 1, 0n);
  encodeHeartbeat(view, HEADER_BYTES, 2, 0n);
  const t4 = connection.send(buf, view, 0, 2 * HEADER_BYTES);
  assert.equal(t4, clock.nowNs());
  assert.equal(connection.lastSendNs, t4);
  const written = net.last().writes[0]!;
  const wv = new DataView(written.buffer, written.byteOffset, written.byteLength);
  assert.deepEqual([frameSendNs(wv, 0), frameSendNs(wv, HEADER_BYTES)], [BigInt(t4), BigInt(t4)]);
  assert.equal(counters.writes, 1);
});

test('a graceful drop ends the socket and destroys it 200 ms later, unless it closed by then', () => {
  const { clock, net, connection, counters } = setup();
  connection.dial();
  const first = net.last();
  first.open();
  assert.equal(connection.drop(true), true);
  assert.deepEqual([first.ended, first.destroyed], [true, false]);
  clock.advance(199);
  assert.equal(first.destroyed, false);
  clock.advance(1);
  assert.equal(first.destroyed, true);

  connection.dial();
  const second = net.last();
  connection.drop(true); // never opened: a failed attempt
  second.close();
  clock.advance(500);
  assert.equal(second.destroyed, false, 'closed in time: nothing left to destroy');
  assert.deepEqual([counters.connects, counters.disconnects, counters.connectFailures], [1, 2, 1]);
  assert.equal(connection.drop(), false, 'nothing to drop');
});

test('with a backoff each drop dials again after the next delay on the clock; stop() cancels a pending redial', () => {
  const draws = [0.5, 0, 0];
  const { clock, net, connection, counters } = setup(new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5 }, () => draws.shift()!));
  connection.dial();
  const lost = () => {
    connection.drop();
    connection.redialLater();
  };
  net.last().fail();
  lost(); // delay 100 × (1 − 0.5 × 0.5) = 75 ms
  clock.advance(74);
  assert.equal(net.sockets.length, 1);
  clock.advance(1);
  assert.equal(net.sockets.length, 2);
  net.last().open();
  connection.resetBackoff(); // the connection proved good
  lost(); // delay 100 again
  clock.advance(99);
  assert.equal(net.sockets.length, 2);
  clock.advance(1);
  assert.equal(net.sockets.length, 3);
  assert.deepEqual([counters.connects, counters.reconnects], [1, 0]);
  lost(); // 200 ms
  connection.stop();
  clock.advance(1000);
  assert.equal(net.sockets.length, 3, 'stopped: no redial');
  assert.equal(clock.pendingCount, 0);
});
