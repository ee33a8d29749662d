// Market-data connections that never read: each costs the venue bounded memory and bounded time, and
// nobody else notices — an honest order-entry session keeps its heartbeats, an honest MD reader keeps
// receiving, the venue's RSS stays bounded, and SIGTERM still stops it at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { FrameReader, MessageType as T, frameSendNs } from '../../host/protocol/index.js';
import { OeClient, baseConfig, startVenue } from '../testkit/venue-harness.js';

const STALLED = 150;
/** At 60 000 events/s, flushed every 1 ms, a stalled reader fills its kernel buffers (~4 MB on
 *  loopback) and the venue's 8 MB send limit some 7-10 s in, with thousands of writes outstanding:
 *  the moment they are cut is the moment the venue used to freeze. */
const RUN_MS = 11_000;
/** The honest MD reader never waits longer than this for a frame... */
const MAX_MD_GAP_MS = 1000;
/** ...and the venue never stops stamping frames for longer than this (its stall, whatever the
 *  reader's kernel buffer smooths over): under the honest session's heartbeat timeout. */
const MAX_STAMP_GAP_MS = 600;
/** The honest session's heartbeat: it is logged out after 3 intervals without a frame from it. */
const HEARTBEAT_MS = 250;
const MAX_RSS_MB = 200;
const MAX_STOP_MS = 2500;

const flow = `
[symbols.flow]
seed = 11
events_per_second = 60000
warmup_events = 200
`;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) / 1024;
}

/** An honest MD reader that keeps up with 60 000 frames/s: it only notes when each frame was sent
 *  (the venue's stamp) and when the last one arrived, so this process's own load does not starve it. */
class StampReader {
  frames = 0;
  lastArrivalMs = performance.now();
  maxStampGapMs = 0;
  closed = false;
  private lastStampNs = 0;
  private readonly reader = new FrameReader();

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.lastArrivalMs = performance.now();
      const r = this.reader;
      r.push(chunk);
      for (let n = r.next(); n > 0; n = r.next()) {
        const stamp = Number(frameSendNs(r.view, r.at));
        // The first frames (directory, snapshots) predate the test's load: gaps count from the fifth.
        if (++this.frames > 4) this.maxStampGapMs = Math.max(this.maxStampGapMs, (stamp - this.lastStampNs) / 1e6);
        this.lastStampNs = stamp;
      }
    });
    socket.on('close', () => { this.closed = true; });
    socket.on('error', () => {});
  }
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
}

function stalledReader(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => {
      s.pause(); // never reads: the venue's writes back up behind it
      resolve(s);
    });
    s.once('error', reject);
  });
}

test('150 market-data connections that never read cost the venue bounded memory and time; nobody else notices', { timeout: 30_000 }, async (t) => {
  const venue = await startVenue(t, baseConfig(flow, `md_heartbeat_ms = 100\nflow_tick_ms = 1`));
  const pid = venue.child.pid!;
  const oe = await OeClient.connect(venue.ready.oe_port);
  await oe.login(1, 'alpha', HEARTBEAT_MS);
  const heartbeats = setInterval(() => oe.heartbeat(), 50);
  t.after(() => clearInterval(heartbeats));
  const md = new StampReader(await open(venue.ready.md_port));
  t.after(() => md.socket.destroy());

  const stalled: Socket[] = [];
  t.after(() => { for (const s of stalled) s.destroy(); });
  for (let i = 0; i < STALLED; i++) {
    const s = await stalledReader(venue.ready.md_port);
    s.on('error', () => {});
    stalled.push(s);
  }

  let maxRss = 0;
  let maxGap = 0;
  const start = performance.now();
  while (performance.now() - start < RUN_MS) {
    await new Promise((r) => setTimeout(r, 50));
    maxGap = Math.max(maxGap, performance.now() - md.lastArrivalMs);
    maxRss = Math.max(maxRss, rssMb(pid));
  }
  // Frames are stamped (CLOCK_MONOTONIC) when the venue publishes them: a gap is a venue stall.
  const maxStampGap = md.maxStampGapMs;
  const logouts = oe.received.filter((m) => m.type === T.Logout);
  assert.equal(logouts.length, 0, `the honest session sent its heartbeats and stays logged in (venue stall ${maxStampGap.toFixed(0)} ms)`);
  assert.ok(!oe.isClosed && !md.closed, 'the honest connections stay open');
  assert.ok(md.frames > RUN_MS * 10, `the honest MD reader got ${md.frames} frames`);
  assert.match(venue.stderr(), /slow consumer/, 'the stalled readers were cut off');
  assert.ok(maxStampGap < MAX_STAMP_GAP_MS, `the venue stamped no frame for ${maxStampGap.toFixed(0)} ms`);
  assert.ok(maxGap < MAX_MD_GAP_MS, `the honest MD reader waited ${maxGap.toFixed(0)} ms for a frame`);
  assert.ok(maxRss < MAX_RSS_MB, `venue RSS reached ${maxRss.toFixed(0)} MB`);

  const stopAt = performance.now();
  const code = await venue.stop('SIGTERM');
  const stopMs = performance.now() - stopAt;
  assert.equal(code, 0);
  assert.ok(stopMs < MAX_STOP_MS, `SIGTERM took ${stopMs.toFixed(0)} ms`);
});
