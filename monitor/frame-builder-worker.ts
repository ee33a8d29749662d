// The frame builder's thread (frame-builder.ts): its own hold on the segment (engine-link.ts), and per request one
// telemetry frame as JSON text: { type, seq, wallMs, link, view, events, eventsLost }.
import { parentPort, workerData } from 'node:worker_threads';
import { liveClock } from '../host/platform/clock.js';
import { EngineLink } from './engine-link.js';

const { segment, downAfterMs } = workerData as { segment: string; downAfterMs: number | undefined };
const link = new EngineLink({ segment, clock: liveClock, downAfterMs });
let seq = 0;
let eventsLost = 0;

parentPort!.on('message', () => {
  const l = link.state();
  const view = link.view();
  const polled = link.reader()?.events.poll() ?? { events: [], lost: 0 };
  eventsLost += polled.lost;
  parentPort!.postMessage(JSON.stringify({ type: 'telemetry', seq: ++seq, wallMs: Date.now(), link: l, view, events: polled.events, eventsLost }));
});
