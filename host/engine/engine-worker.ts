// Entry of every engine worker thread. It joins the shared core (pinning itself first, host/core/core-loader
// joinCore), reports the CPUs the kernel actually allows it (Cpus_allowed_list of /proc/thread-self/status)
// and its thread id, then runs its role:
//   fused:   hot (MD socket → books → Oracle → execution → OE socket, all in the socket callbacks) and
//            cool (Sonar + Sentinel in one sleeping loop);
//   modules: oracle (MD socket → books → Oracle → rings), execution (ring → execution → OE socket),
//            sonar and sentinel (each its own sleeping loop).
// Messages to the main thread: {type:'pinned'}, {type:'running'} once the role is trading or watching,
// {type:'stopped'} with its figures when it ends. From it: {type:'stop'} (socket workers: cancel, log out,
// end); the loops end on the STOP control word.
import { cpusAllowedList, nameThread } from '../platform/thread-identity.js';
import { parentPort } from 'node:worker_threads';
import { joinCore, type JoinedCore } from '../core/core-loader.js';
import type { EngineConfig, WorkerName, WorkerWait } from '../config/engine-config.js';
import { gettid } from '../platform/native.js';
import { openJournal } from '../journal/journal-writer.js';
import { createSegmentFile } from '../telemetry/segment-writer.js';
import { Doorbell } from '../telemetry/doorbell.js';
import { LatencySeries } from '../telemetry/segment-layout.js';
import type { EngineLayout } from './engine-memory.js';
import { engineLogger, logSink, type Logger } from './engine-log.js';
import { hotClock } from './hot-clock.js';
import { MarketStage, type MarketSink } from './market-stage.js';
import { ExecutionStage } from './execution-stage.js';
import { SonarStage } from './sonar-stage.js';
import { SentinelStage } from './sentinel-stage.js';
import { LatencyHistograms } from '../telemetry/latency-histograms.js';
import { runCoolLoop } from './cool-loop.js';
import { SpinCount, SpinLoop, type PolledSource } from './spin-loop.js';
import { PolledSocket } from '../adapters/polled-socket.js';
import { ControlWord, RecordViews, TickKind, controlWords, pushTick, pushTickControl } from './stage-records.js';
import { hotInputWords } from './hot-inputs.js';
import { CaptureWriter } from '../capture/capture-writer.js';

export interface EngineWorkerData {
  readonly role: WorkerName;
  readonly layout: EngineLayout;
  readonly config: EngineConfig;
  readonly venue: { readonly host: string; readonly oePort: number; readonly mdPort: number };
  readonly controlToken: string;
  readonly enginePid: number;
}

/** What a worker reports when it ends. */
export interface WorkerStopped {
  readonly type: 'stopped';
  readonly name: string;
  readonly latency?: Record<string, { count: number; p50: number; p99: number; p999: number; max: number }>;
  readonly counts?: Record<string, number>;
  readonly sent?: { orders: number; cancels: number; replaces: number; decisions: number };
  /** A socket worker that waited with `spin`: its loop's slices and turns, and per socket reads and take-overs. */
  readonly spin?: Record<string, number>;
}

/** A test hook's numbers for this worker: the variable holds "<worker>:<n>[:<n>...]"; undefined when it is unset or
 *  names another worker. TRADECORE_ENGINE_CRASH="<worker>:<ms>" makes the worker throw after <ms>;
 *  TRADECORE_ENGINE_STALL="<worker>:<afterMs>:<forMs>" blocks a loop worker once, for <forMs>, after <afterMs> (a
 *  cool thread stuck in a long turn or a GC pause, which a kill must not wait for). */
function testHook(variable: 'TRADECORE_ENGINE_CRASH' | 'TRADECORE_ENGINE_STALL', role: string): number[] | undefined {
  const spec = process.env[variable];
  if (!spec) return undefined;
  const [who, ...numbers] = spec.split(':');
  return who === role ? numbers.map(Number) : undefined;
}

const post = (m: unknown): void => parentPort!.postMessage(m);

async function main(): Promise<void> {
  const joined = await joinCore<EngineWorkerData>();
  const { role } = joined.data;
  const log = engineLogger(role);
  nameThread(`tc-${role}`);
  post({ type: 'pinned', name: role, cpus: cpusAllowedList(), tid: gettid() });
  const crashMs = testHook('TRADECORE_ENGINE_CRASH', role)?.[0];
  switch (role) {
    case 'hot': return runSocketSide(joined, log, 'fused', crashMs);
    case 'oracle': return runOracle(joined, log, crashMs);
    case 'execution': return runSocketSide(joined, log, 'modules', crashMs);
    case 'cool': return runLoopSide(joined, log, true, true, crashMs);
    case 'sonar': return runLoopSide(joined, log, true, false, crashMs);
    case 'sentinel': return runLoopSide(joined, log, false, true, crashMs);
  }
}

function market(joined: JoinedCore<EngineWorkerData>, log: Logger, sink: MarketSink, clock = hotClock()): MarketStage {
  const { layout, venue } = joined.data;
  return new MarketStage({
    core: joined.core, symbols: layout.symbols, books: joined.map.books, oracles: layout.oracles, scratch: layout.feedScratch,
    host: venue.host, port: venue.mdPort, clock, log: logSink(log, 'feed'),
  }, sink);
}

/** fused `hot` (market + execution in one thread) or modules `execution` (ring → execution). */
async function runSocketSide(joined: JoinedCore<EngineWorkerData>, log: Logger, topology: 'fused' | 'modules',
  crashMs: number | undefined): Promise<void> {
  const { core } = joined;
  const { layout, venue, config } = joined.data;
  const views = new RecordViews(core);
  const control = controlWords(joined.memory, layout.control);
  const clock = hotClock();
  const exec = new ExecutionStage({
    core, views, execState: layout.exec, eventRing: layout.events, control, books: layout.books, oracles: layout.oracles,
    scratch: layout.hotScratch.offset,
    gateway: { host: venue.host, port: venue.oePort, userId: config.venue.userId, token: config.venue.token },
    clock, log, flattenCollarTicks: config.execution.flattenCollarTicks,
    onSessionLost: () => post({ type: 'session-lost', name: joined.data.role }),
    inputs: hotInputWords(joined.memory, layout.inputs), captureRing: layout.capture,
  });
  await exec.connect();
  let feed: MarketStage | null = null;
  let stopConsuming = (): void => {};
  let drainTicks = (): void => {};
  if (topology === 'fused') {
    const sonarRing = layout.ticksSonar;
    let stamps = new Float64Array(5);
    const sink: MarketSink = {
      onTick: (i, seq) => {
        exec.onBook(i, stamps);
        const book = layout.books[i]!;
        pushTick(views, sonarRing, control, i, stamps, seq, core.bookBestBid(book), core.bookBestBidQty(book),
          core.bookBestAsk(book), core.bookBestAskQty(book));
      },
      onDefine: (i, id, tick, lot) => {
        exec.define(i, id, tick, lot);
        pushTickControl(views, sonarRing, control, TickKind.DEFINE, i, id, tick, lot);
      },
      onStale: (i, stale) => {
        exec.releaseSends(); // a read cut short by a disconnect never reaches its end
        pushTickControl(views, sonarRing, control, TickKind.STALE, i, stale ? 1 : 0);
      },
      onTrade: (i, price, qty, t0) => exec.onTrade(i, price, qty, t0),
      onReadStart: () => exec.holdSends(),
      onReadEnd: () => exec.releaseSends(),
    };
    feed = market(joined, log, sink, clock);
    stamps = feed.stamps;
    feed.start();
  } else {
    ({ stop: stopConsuming, drain: drainTicks } = consumeTicks(joined, exec, views, config.workers.execution.wait === 'spin'));
  }
  let spin: SpinLoop | null = null;
  if (config.workers[joined.data.role].wait === 'spin') {
    const market = feed;
    const sources: PolledSource[] = [];
    if (market !== null) sources.push({ poller: new PolledSocket(market.feed.connection, clock), ready: () => market.feed.connection.isOpen });
    sources.push({ poller: new PolledSocket(exec.gateway.connection, clock), ready: () => exec.gateway.isLoggedIn });
    const drain = drainTicks;
    spin = new SpinLoop({ clock, sources, turn: (now) => {
      drain();
      exec.runDue(now);
      exec.onWake();
    } });
    spin.start();
  }
  post({ type: 'running', name: joined.data.role });
  if (crashMs !== undefined) setTimeout(() => { throw new Error('injected worker crash (TRADECORE_ENGINE_CRASH)'); }, crashMs);
  parentPort!.on('message', (m: { type: string }) => {
    if (m.type === 'wake') exec.onWake();
    if (m.type !== 'stop') return;
    void (async () => {
      const spun = spin === null ? undefined : spinFigures(spin);
      spin?.stop(); // the sockets back to libuv: the last cancels and the logout go the ordinary way
      feed?.close();
      stopConsuming();
      await exec.close();
      const s = exec.sent;
      post({ type: 'stopped', name: joined.data.role, sent: { orders: s[0], cancels: s[1], replaces: s[2], decisions: s[3] },
        spin: spun } satisfies WorkerStopped);
      process.exit(0);
    })();
  });
}

/** What a spinning worker reports: its loop's slices and turns, each polled socket's reads and take-overs. */
function spinFigures(spin: SpinLoop): Record<string, number> {
  const out: Record<string, number> = {
    slices: spin.counts[SpinCount.SLICES]!, turns: spin.counts[SpinCount.TURNS]!, reads: spin.counts[SpinCount.READS]!,
  };
  spin.pollers.forEach((p, k) => {
    out[`socket${k}_attaches`] = p.counts.attaches;
    out[`socket${k}_failures`] = p.counts.failures;
    out[`socket${k}_partial_writes`] = p.counts.partialWrites;
  });
  return out;
}

/** modules `execution`: the Oracle worker's ticks from their ring, woken by the ring's own notify, or (`spin`)
 *  drained by the spin loop's turns. Returns the function that stops consuming (and releases the pending
 *  wait) and the drain. */
function consumeTicks(joined: JoinedCore<EngineWorkerData>, exec: ExecutionStage, views: RecordViews,
  spin: boolean): { stop: () => void; drain: () => void } {
  let stopped = false;
  const { core } = joined;
  const ring = joined.data.layout.ticksExec;
  const { u32, i32, f64 } = views;
  const headIndex = core.ringWaitAddress(ring) >>> 2;
  const parkedIndex = core.ringParkedAddress(ring) >>> 2;
  const waitAsync = (Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<unknown> | string };
  }).waitAsync;
  // T0, Tv, T1 (not carried: the Oracle worker's book stamp stays there), T2, signal of the tick at hand.
  const stamps = new Float64Array(5);
  const drain = (): void => {
    for (let at = core.ringPeek(ring); at !== 0; at = core.ringPeek(ring)) {
      const w = at >>> 2;
      const d = at >>> 3;
      const kind = u32[w]!;
      const i = i32[w + 1]!;
      if (kind === TickKind.TICK) {
        stamps[0] = f64[d + 1]!;
        stamps[1] = f64[d + 2]!;
        stamps[2] = NaN;
        stamps[3] = f64[d + 7]!;
        stamps[4] = f64[d + 6]!;
        exec.onMarket(i, i32[w + 7]!, i32[w + 8]!, i32[w + 9]!, i32[w + 10]!, stamps);
      } else if (kind === TickKind.DEFINE) {
        exec.define(i, u32[w + 2]!, u32[w + 3]!, u32[w + 4]!);
      } else if (kind === TickKind.TRADE) {
        exec.onTrade(i, i32[w + 2]!, i32[w + 3]!, stamps[0]!);
      }
      core.ringRelease(ring);
    }
  };
  const turn = (): void => {
    if (stopped) return;
    drain();
    // Announce the park before the last look at head (the producer notifies a parked consumer).
    Atomics.store(i32, parkedIndex, 1);
    const head = Atomics.load(i32, headIndex);
    if (core.ringSize(ring) !== 0) {
      Atomics.store(i32, parkedIndex, 0);
      setImmediate(turn);
      return;
    }
    const r = waitAsync(i32, headIndex, head);
    const resume = (): void => {
      Atomics.store(i32, parkedIndex, 0);
      turn();
    };
    if (r.async) void (r.value as Promise<unknown>).then(resume);
    else setImmediate(resume);
  };
  if (!spin) turn();
  return {
    stop: () => {
      stopped = true;
      Atomics.store(i32, parkedIndex, 0);
      Atomics.notify(i32, headIndex);
    },
    drain,
  };
}

/** modules `oracle`: market data → books → Oracle → the Execution and Sonar rings. */
async function runOracle(joined: JoinedCore<EngineWorkerData>, log: Logger, crashMs: number | undefined): Promise<void> {
  const { core } = joined;
  const { layout } = joined.data;
  const views = new RecordViews(core);
  const control = controlWords(joined.memory, layout.control);
  const toExec = layout.ticksExec;
  const toSonar = layout.ticksSonar;
  let stamps = new Float64Array(5);
  const sink: MarketSink = {
    onTick: (i, seq) => {
      const book = layout.books[i]!;
      const bid = core.bookBestBid(book);
      const bidQty = core.bookBestBidQty(book);
      const ask = core.bookBestAsk(book);
      const askQty = core.bookBestAskQty(book);
      stamps[4] = core.oracleSignal(layout.oracles[i]!);
      pushTick(views, toExec, control, i, stamps, seq, bid, bidQty, ask, askQty);
      pushTick(views, toSonar, control, i, stamps, seq, bid, bidQty, ask, askQty);
    },
    onDefine: (i, id, tick, lot) => {
      pushTickControl(views, toExec, control, TickKind.DEFINE, i, id, tick, lot);
      pushTickControl(views, toSonar, control, TickKind.DEFINE, i, id, tick, lot);
    },
    onStale: (i, stale) => {
      pushTickControl(views, toSonar, control, TickKind.STALE, i, stale ? 1 : 0);
    },
    onTrade: (i, price, qty) => {
      pushTickControl(views, toExec, control, TickKind.TRADE, i, price, qty);
    },
  };
  const clock = hotClock();
  const feed = market(joined, log, sink, clock);
  stamps = feed.stamps;
  feed.start();
  const spin = joined.data.config.workers.oracle.wait === 'spin'
    ? new SpinLoop({ clock, sources: [{ poller: new PolledSocket(feed.feed.connection, clock), ready: () => feed.feed.connection.isOpen }], turn: () => {} })
    : null;
  spin?.start();
  post({ type: 'running', name: 'oracle' });
  if (crashMs !== undefined) setTimeout(() => { throw new Error('injected worker crash (TRADECORE_ENGINE_CRASH)'); }, crashMs);
  parentPort!.on('message', (m: { type: string }) => {
    if (m.type !== 'stop') return;
    const spun = spin === null ? undefined : spinFigures(spin);
    spin?.stop();
    feed.close();
    post({ type: 'stopped', name: 'oracle', spin: spun } satisfies WorkerStopped);
    process.exit(0);
  });
}

/** fused `cool`, modules `sonar` / `sentinel`: the sleeping loop. */
async function runLoopSide(joined: JoinedCore<EngineWorkerData>, log: Logger, withSonar: boolean, withSentinel: boolean,
  crashMs: number | undefined): Promise<void> {
  const { core } = joined;
  const { layout, config, role } = joined.data;
  const views = new RecordViews(core);
  const control = controlWords(joined.memory, layout.control);
  const clock = hotClock();
  const sonar = withSonar ? new SonarStage(core, views, layout, control) : undefined;
  const latency = new LatencyHistograms();
  let sentinel: SentinelStage | undefined;
  let doorbell: Doorbell | undefined;
  if (withSentinel) {
    const segment = createSegmentFile(config.engine.segment, { pid: joined.data.enginePid, clock });
    doorbell = new Doorbell(segment.sab);
    // The main thread keeps a reference to the mapping, so it is not released while this thread ends.
    post({ type: 'segment', sab: segment.sab });
    // fsync 'none' here: the main thread fdatasyncs after each flush (syncJournal), off the kill watcher's thread.
    const journal = openJournal(config.engine.journal, { fsync: 'none' });
    if (journal.recovered.tear) log.warn({ tear: journal.recovered.tear }, 'journal: a torn last record was truncated');
    sentinel = new SentinelStage({
      core, views, layout, control, segment, journal, latency, clock, log, controlToken: joined.data.controlToken,
      telemetryHz: config.engine.telemetryHz, oracleLevels: config.oracle.levels,
      targetOtrMilli: config.execution.targetOtr === null ? -1 : Math.floor(config.execution.targetOtr * 1000),
      wakeExecution: () => post({ type: 'wake' }),
      entropyScore: sonar ? (i) => sonar.score[i]! : undefined,
      syncJournal: () => post({ type: 'journal-sync', fd: journal.fd }),
    });
  }
  // The capture file exists, with the execution region as it is now, before the execution worker starts.
  const capture = withSentinel && config.engine.capture !== '' ? new CaptureWriter({
    core, file: config.engine.capture, config, ring: layout.capture, exec: layout.exec, execBytes: layout.execBytes,
    inputs: hotInputWords(joined.memory, layout.inputs), startNs: clock.nowNs(),
  }) : undefined;
  post({ type: 'running', name: role });
  const wait = config.workers[role].wait as WorkerWait; // a ring consumer's (engine-config validates it)
  const stall = testHook('TRADECORE_ENGINE_STALL', role);
  runCoolLoop({
    control, clock, wait, sonar, sentinel, doorbell, capture,
    crashAtNs: crashMs !== undefined ? clock.nowNs() + crashMs * 1e6 : undefined,
    stall: stall ? { atNs: clock.nowNs() + stall[0]! * 1e6, forMs: stall[1]! } : undefined,
  });
  const p = (s: LatencySeries) => {
    const m = latency.summary(s);
    return { count: m.count, p50: m.p50Ns, p99: m.p99Ns, p999: m.p999Ns, max: m.maxNs };
  };
  post({
    type: 'stopped', name: role,
    latency: withSentinel ? {
      tick_to_order_ns: p(LatencySeries.TICK_TO_ORDER), wire_to_order_ns: p(LatencySeries.WIRE_TO_ORDER),
      rtt_ns: p(LatencySeries.RTT), t0_t1_ns: p(LatencySeries.T0_T1), t1_t2_ns: p(LatencySeries.T1_T2),
      t2_t3_ns: p(LatencySeries.T2_T3), t3_t4_ns: p(LatencySeries.T3_T4),
    } : undefined,
    counts: sentinel ? { ...sentinel.counts, droppedTicks: Atomics.load(control, ControlWord.DROPPED_TICKS),
      droppedEvents: Atomics.load(control, ControlWord.DROPPED_EVENTS),
      ...(capture && { captureRecords: capture.records, captureDropped: capture.dropped }) } : undefined,
  } satisfies WorkerStopped);
}

main().catch((err: unknown) => {
  // Thrown out of the worker: the main thread's 'error' handler halts the engine.
  throw err;
});
