// The monitor's two figures, against the real thing (a venue, an engine and the monitor as separate processes):
//   `npm run bench -- monitor-kill [--trials 100]`: POST /api/kill sent by an HTTP client → the client holds
//     the answer saying HALTED, which the monitor read from the telemetry segment (the state block); then
//     GET /api/state confirms it. Per trial the venue's audit is checked for new orders between the answer and the
//     reset that ends the trial: none may have been decided after the POST (the engine's journal says when each
//     was; one decided before is in flight and counted apart), then POST /api/reset brings the engine back. Three
//     monitors watch the same engine, each placed differently (PLACEMENTS: as `npm start` starts it, off the kill
//     watcher's CPU, not pinned); every trial kills through each in turn, so they share the machine's drift.
//     Each answer's Server-Timing splits the monitor's part: request → kill word, kill word → HALTED seen.
//     Once per trial the same client POSTs to a bare node:http server in another process (echo-floor.ts): the
//     floor any HTTP request pays here, quoted beside the kill figures.
//   `npm run bench -- cockpit-load [--seconds 10 --clients 10 --rounds 8 --stand-ins apart --message-rate 10000]`: the
//     engine's tick-to-order with no cockpit connected and with `clients` WebSocket clients (each parsing every
//     frame, as a browser does), in alternating runs (none, clients, none, clients, ...) so drift on a shared
//     machine falls on both sides; the figure is each run's tick-to-order from the engine's own histogram, and the
//     median over rounds per side. The stress strategy trades, paced by its broker window at `message-rate`
//     (engine-config.ts pacedOverrides): unpaced, its rate follows the venue's answers, and runs with clients
//     decided 1.5–2× as often as runs without, so the two sides measured different workloads.
// In cockpit-load the monitor runs as `npm start` runs it: all its threads pinned off the hot path (CPU 1 here,
// away from the hot worker on CPU 0; monitor/monitor-placement.ts). The venue and the clients stand in for
// machines of their own (the exchange, the operator's browsers); by default (--stand-ins apart) they keep off the
// hot core too, the clients at nice 19 and the venue real-time (STAND_IN_VENUE_PRIORITY), so that what is measured
// is the monitor's effect on the engine. An exchange's feed is not delayed by our monitor; a venue stand-in sharing
// its core is, and a feed held back arrives in bursts, whose later ticks wait for the earlier ones' decisions.
// Each run reports p99 and the samples it counted (decisions that sent orders: equal on both sides when paced).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TradingState } from '../host/model/vocabulary.js';
import { liveClock } from '../host/platform/clock.js';
import { startMonitor, type MonitorProcess } from '../host/platform/monitor-process.js';
import { requestsAfter } from '../host/venue/audit-queries.js';
import { readJournalFile } from '../host/journal/journal-reader.js';
import { readControlToken } from '../host/telemetry/control-token.js';
import { latencyOverrides, pacedOverrides, type BenchEngineSetup } from './engine-config.js';
import { latencyVenueToml, SPIN_PINNING, withVenueAndEngine } from './engine.js';
import { startEchoServer } from './echo-floor.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

function summary(values: readonly number[]): { p50: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { p50: r1(percentile(s, 0.5)), p99: r1(percentile(s, 0.99)), max: r1(s.at(-1)!) };
}

/** The monitor on the bench engine: its own small config naming the engine's segment, journal and token. */
async function monitorFor(setup: BenchEngineSetup, dir: string, cpus: readonly number[] | undefined): Promise<MonitorProcess> {
  const file = join(dir, 'monitor-engine.toml');
  writeFileSync(file, `[engine]\nsymbols = ["${setup.symbol}"]\nsegment = "${setup.segment}"\njournal = "${setup.journal}"\n`
    + `controlDir = "${setup.controlDir}"\n`);
  return startMonitor({ configFile: file, port: 0, cpus });
}

export interface MonitorKillOptions {
  readonly trials: number;
}

/** Where a monitor's main thread runs in the kill bench (monitor/monitor-placement.ts): as `npm start` starts it
 *  (no --cpus: off the hot path, CPU 1 here, beside the kill watcher, asleep while the engine answers); on CPU 0,
 *  off the kill watcher's core, looking for the answer without sleeping; not pinned (the placement before). */
const PLACEMENTS: readonly { readonly name: string; readonly cpus?: readonly number[] }[] = [
  { name: 'as_started' },
  { name: 'cpu0_looking', cpus: [0] },
  { name: 'unpinned', cpus: [0, 1] },
];

/** `write;dur=0.031, engine;dur=0.412` → { write: 0.031, engine: 0.412 } (ms). */
function serverTiming(header: string | string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of String(header ?? '').split(',')) {
    const m = /^\s*([\w-]+);dur=([\d.]+)\s*$/.exec(part);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

interface PlacementRun {
  readonly monitor: MonitorProcess;
  readonly agent: Agent;
  /** POST → the answer saying HALTED; → /api/state read back; the monitor's request → kill word; kill word → HALTED seen. µs. */
  readonly answered: number[];
  readonly confirmed: number[];
  readonly write: number[];
  readonly engine: number[];
}

export async function monitorKillBench(o: MonitorKillOptions, progress: (s: string) => void): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-monitor-'));
  try {
    return await withVenueAndEngine({}, latencyVenueToml(1000), latencyOverrides, 'fused', false, async (venue, engine, setup) => {
      const runs: PlacementRun[] = [];
      try {
        for (const p of PLACEMENTS) {
          const monitor = await monitorFor(setup, dir, p.cpus);
          // A plain keep-alive HTTP client (node:http) per monitor, as a trader's script or an alerting hook would use.
          runs.push({ monitor, agent: new Agent({ keepAlive: true, maxSockets: 1 }), answered: [], confirmed: [], write: [], engine: [] });
        }
        progress(`monitor-kill: engine pid ${engine.pid}, monitors ${runs.map((r) => r.monitor.url).join(' ')}; ${o.trials} trials each`);
        const auth = { authorization: `Bearer ${readControlToken(setup.controlDir)}`, 'content-type': 'application/json' };
        const floorServer = await startEchoServer('http');
        const floorAgent = new Agent({ keepAlive: true, maxSockets: 1 });
        type Answer = { status: number; json: Record<string, unknown>; timing: Record<string, number> };
        const request = (method: string, path: string, base: string, via: Agent, body?: unknown): Promise<Answer> =>
          new Promise((resolve, reject) => {
            const req = httpRequest(new URL(path, base), { method, agent: via, headers: body === undefined ? {} : auth }, (res) => {
              let text = '';
              res.setEncoding('utf8').on('data', (d: string) => { text += d; })
                .on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text), timing: serverTiming(res.headers['server-timing']) }));
            });
            req.on('error', reject);
            req.end(body === undefined ? undefined : JSON.stringify(body));
          });
        const post = async (r: PlacementRun, path: string, body: unknown): Promise<Answer> => {
          const a = await request('POST', path, r.monitor.url, r.agent, body);
          if (a.status !== 200) throw new Error(`${path}: ${a.status} ${JSON.stringify(a.json)}`);
          return a;
        };
        /** Per kill: the POST sent, the answer held, the end of the look at the venue (ns). */
        const windows: [number, number, number][] = [];
        const floor: number[] = [];
        const floorUrl = `http://127.0.0.1:${floorServer.port}/`;
        for (let trial = 0; trial < o.trials; trial++) {
          await sleep(30 + (trial % 7) * 5);
          const f0 = liveClock.nowNs();
          await request('POST', '/api/kill', floorUrl, floorAgent, {});
          floor.push((liveClock.nowNs() - f0) / 1000);
          // Each placement in turn, the first one rotating, so drift on a shared machine falls on all of them.
          for (let k = 0; k < runs.length; k++) {
            const r = runs[(trial + k) % runs.length]!;
            await sleep(30 + (trial % 7) * 5); // the engine trades between trials, as it would before a real kill
            const t0 = liveClock.nowNs();
            const kill = await post(r, '/api/kill', {});
            const t1 = liveClock.nowNs();
            if (kill.json['state'] !== TradingState.HALTED) throw new Error(`trial ${trial}: kill answered state ${String(kill.json['state'])}`);
            const state = (await request('GET', '/api/state', r.monitor.url, r.agent)).json as unknown as { view: { state: { state: number } } };
            const t2 = liveClock.nowNs();
            if (state.view.state.state !== TradingState.HALTED) throw new Error(`trial ${trial}: /api/state shows ${state.view.state.state} after the kill`);
            r.answered.push((t1 - t0) / 1000);
            r.confirmed.push((t2 - t0) / 1000);
            r.write.push((kill.timing['write'] ?? NaN) * 1000);
            r.engine.push(Number(kill.json['ms']) * 1000);
            await sleep(20); // time for an order that slipped through to reach the venue
            windows.push([t0, t1, liveClock.nowNs()]);
            await post(r, '/api/reset', { confirm: 'RESET' });
          }
        }
        floorAgent.destroy();
        await floorServer.stop();
        const audit = await venue.audit();
        // A new order reaching the venue after the answer was either decided before the kill was asked for (in
        // flight: sent, not yet read by the venue) or is a leak. The engine's journal says when each was decided.
        const decided = new Map<number, number>();
        for (const r of readJournalFile(setup.journal).records()) if (r.type === 'OrderNew') decided.set(Number(r.fields['clOrdId']), r.timestampNs);
        let leaks = 0;
        let inFlight = 0;
        for (const [posted, from, to] of windows) {
          for (const l of requestsAfter(audit, setup.userId, from, ['new']).filter((x) => x.ns <= to)) {
            if ((decided.get(l.clOrdId!) ?? Infinity) < posted) inFlight++;
            else leaks++;
          }
        }
        const httpFloor = summary(floor);
        const figures = (r: PlacementRun): Record<string, unknown> => ({
          post_to_halted_answer_us: summary(r.answered),
          answer_over_floor: { p50: r1(summary(r.answered).p50 / httpFloor.p50), p99: r1(summary(r.answered).p99 / httpFloor.p99) },
          post_to_state_read_us: summary(r.confirmed),
          monitor_request_to_kill_word_us: summary(r.write),
          monitor_write_to_ack_us: summary(r.engine),
        });
        return {
          bench: 'monitor_kill', trials: o.trials,
          // The headline: the monitor as `npm start` runs it.
          ...figures(runs[0]!),
          http_floor_us: httpFloor,
          venue_new_orders_while_halted: leaks,
          venue_new_orders_in_flight_at_kill: inFlight,
          placements: Object.fromEntries(PLACEMENTS.map((p, i) => [p.name, { cpus: runs[i]!.monitor.ready['cpus'], spin_ms: runs[i]!.monitor.ready['controlSpinMs'], ...figures(runs[i]!) }])),
        };
      } finally {
        for (const r of runs) {
          r.agent.destroy();
          await r.monitor.stop();
        }
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const STAND_INS = ['apart', 'clients', 'shared'] as const;
export type StandIns = (typeof STAND_INS)[number];

/** The cockpit-load runs' pace: 20 messages per 2 ms, at most 5 000 decisions/s (a new order and a cancel each),
 *  against 16–30 k unpaced on a quiet machine here. Paced, the two sides' decisions still differed by 5–13 % in the
 *  runs of Dec 2: in some runs the venue's book updates, not the window, set the pace. */
export const DEFAULT_MESSAGE_RATE = 10_000;

export interface CockpitLoadOptions {
  readonly seconds: number;
  readonly clients: number;
  readonly rounds: number;
  /** Where the stand-ins for other machines run. apart: the venue and the clients keep off the engine's hot core
   *  (STAND_IN_CPUS), the clients at nice 19, the venue real-time; clients: only the clients do, the venue goes where the scheduler puts
   *  it (as in the engine bench); shared: both go where the scheduler puts them, at normal priority. */
  readonly standIns: StandIns;
  /** Messages per second the engine may send (pacedOverrides); 0: unpaced, the rate the venue's answers allow. */
  readonly messageRate: number;
}

/** Where the stand-ins for other machines run in `apart`: the spin runs' venue CPUs, off the hot worker's. */
const STAND_IN_CPUS = SPIN_PINNING.venue;
/** The venue's main thread in `apart`: SCHED_FIFO above every engine and monitor thread (the kill watcher's 10, the
 *  monitor's 9). Paced runs with it at 11: p99 ratio 0.90 against 1.21 with it ordinary (Dec 2, 8 rounds each). */
export const STAND_IN_VENUE_PRIORITY = 11;
const CLIENTS_JS = new URL('./cockpit-clients.js', import.meta.url);

/** `n` WebSocket clients that parse every frame, in a process of their own (bench/cockpit-clients.ts) pinned to
 *  `cpus` at nice 19 (null: not pinned, normal priority); resolves once all are connected. close() answers the
 *  frames they parsed. */
async function cockpits(url: string, n: number, cpus: readonly number[] | null): Promise<{ close(): Promise<number> }> {
  const args = [fileURLToPath(CLIENTS_JS), url, String(n), cpus === null ? '-' : cpus.join(',')];
  // Stand-ins for browsers elsewhere also yield to everything on this machine (nice 19, every thread from its
  // start): what they cost here is no part of the monitor's effect on the engine.
  const proc = cpus === null ? spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn('nice', ['-n', '19', process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done || !('connected' in JSON.parse(first.value))) throw new Error(`cockpit clients did not connect (exit ${proc.exitCode})`);
  return {
    close: async () => {
      proc.stdin!.end();
      const last = await lines.next();
      return last.done ? 0 : (JSON.parse(last.value) as { frames: number }).frames;
    },
  };
}

interface LoadRun { readonly clients: number; readonly p50: number; readonly p99: number; readonly p999: number; readonly samples: number; readonly frames: number }

export async function cockpitLoadBench(o: CockpitLoadOptions, progress: (s: string) => void): Promise<object> {
  const pace = pacedOverrides(o.messageRate);
  const paced = (s: BenchEngineSetup): Record<string, unknown> => ({ ...latencyOverrides(s), ...pace });
  const runs: LoadRun[] = [];
  for (let round = 0; round < o.rounds; round++) {
    for (const clients of [0, o.clients]) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-cockpit-'));
      try {
        const run = await withVenueAndEngine({ latencyStrategy: 'stress' }, latencyVenueToml(1000), paced, 'fused', false,
          async (_venue, engine, setup) => {
            const monitor = await monitorFor(setup, dir, undefined);
            let load: Awaited<ReturnType<typeof cockpits>> | null = null;
            try {
              if (clients > 0) load = await cockpits(monitor.url, clients, o.standIns === 'shared' ? null : STAND_IN_CPUS);
              progress(`cockpit-load round ${round + 1}/${o.rounds}: ${clients} clients, ${o.seconds} s`);
              await sleep(o.seconds * 1000);
              const frames = load === null ? 0 : await load.close();
              load = null;
              const stopped = await engine.stop();
              const t = ((stopped?.['latency'] as Record<string, Record<string, number>> | undefined) ?? {})['tick_to_order_ns'];
              if (!t) throw new Error(`no tick-to-order from the engine; stderr tail:\n${engine.stderrText().slice(-2000)}`);
              return { clients, p50: t['p50']! / 1000, p99: t['p99']! / 1000, p999: t['p999']! / 1000, samples: t['count'] ?? 0, frames };
            } finally {
              await load?.close();
              await monitor.stop();
            }
          }, o.standIns === 'apart' ? STAND_IN_CPUS : undefined, o.standIns === 'apart' ? STAND_IN_VENUE_PRIORITY : undefined);
        runs.push(run);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const side = (clients: number): { p50: number; p99: number; p999: number; samples: number } => {
    const rs = runs.filter((x) => x.clients === clients);
    return { p50: r1(median(rs.map((x) => x.p50))), p99: r1(median(rs.map((x) => x.p99))), p999: r1(median(rs.map((x) => x.p999))),
      samples: rs.reduce((n, x) => n + x.samples, 0) };
  };
  const pairs = Array.from({ length: runs.length / 2 }, (_, k) => [runs[2 * k]!, runs[2 * k + 1]!] as const);
  const none = side(0);
  const loaded = side(o.clients);
  return {
    bench: 'cockpit_load', clients: o.clients, seconds_per_run: o.seconds, rounds: o.rounds, stand_ins: o.standIns,
    message_rate: o.messageRate === 0 ? 'unpaced' : o.messageRate,
    ...(o.standIns === 'shared' ? {} : { stand_in_cpus: STAND_IN_CPUS }),
    ...(o.standIns === 'apart' ? { venue_priority: STAND_IN_VENUE_PRIORITY } : {}),
    tick_to_order_us_no_clients: none, tick_to_order_us_with_clients: loaded,
    p99_ratio: Math.round((loaded.p99 / none.p99) * 1000) / 1000,
    // Each round's two runs side by side (with clients over the run just before, without): the machine's slow drift
    // falls out of each ratio; the median over rounds.
    p99_ratio_paired_median: Math.round(median(pairs.map(([a, b]) => b.p99 / a.p99)) * 1000) / 1000,
    // Equal workloads on both sides: decisions that sent orders, with clients over without (near 1 when paced).
    samples_ratio: Math.round((loaded.samples / Math.max(1, none.samples)) * 1000) / 1000,
    frames_received: runs.reduce((n, x) => n + x.frames, 0),
    runs: runs.map((x) => ({ clients: x.clients, p50: r1(x.p50), p99: r1(x.p99), samples: x.samples })),
  };
}
