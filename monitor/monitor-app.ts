// The monitor as a fastify app: reads (state, journal, metrics, the telemetry stream) and the only control
// path to the engine (kill, flatten, reset, parameters), plus the built cockpit. It talks to the engine only
// through the /dev/shm segment and never to the venue, so it cannot slow the engine's hot path, and the engine
// keeps trading whether the monitor runs, crashes or restarts.
//
// Control needs the engine's control token (the file the engine created, mode 0600), given as
// `Authorization: Bearer <token>`; `npm start` prints the cockpit URL with the token in its fragment, which the
// browser never sends to any server. Reads are open when the monitor listens on loopback only (the default);
// listening anywhere else, reads need the token too.
import { existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Clock } from '../host/platform/clock.js';
import {
  ControlActions, controlTokenPath, readControlToken, type ControlOutcome, type ControlWriter, type SegmentReader, type TelemetryView,
} from '../host/telemetry/index.js';
import { TUNABLES, TunableError, choiceSpecs, paramChange } from '../host/config/tunable-params.js';
import { EngineLink, type LinkState } from './engine-link.js';
import { FrameBuilder } from './frame-builder.js';
import { JournalTail } from './journal-tail.js';
import { PrometheusMetrics } from './prometheus-metrics.js';
import { TelemetryStream } from './telemetry-stream.js';

export interface MonitorOptions {
  readonly segment: string;
  readonly journal: string;
  readonly controlDir: string;
  /** Engine symbol names in slot order (the engine.toml `symbols`). */
  readonly symbols: readonly string[];
  readonly clock: Clock;
  /** The built cockpit (index.html and assets); null or missing: a page saying how to build it. */
  readonly cockpitDir: string | null;
  /** Reads without the token (true on loopback). */
  readonly openReads: boolean;
  readonly streamHz?: number;
  readonly maxBufferedBytes?: number;
  readonly downAfterMs?: number;
  /** How long a control request waits for the engine's answer. */
  readonly controlTimeoutMs?: number;
  /** How long a control request looks for the engine's answer before sleeping on its ack bell, 0..5 ms (default
   *  0). Only for a monitor whose thread is off the CPUs of the engine's control watcher (server.ts decides). */
  readonly controlSpinMs?: number;
}

export interface Monitor {
  readonly app: FastifyInstance;
  readonly link: EngineLink;
  readonly stream: TelemetryStream;
  close(): Promise<void>;
}

/** Refusal of a control request, as the JSON body of a 4xx/5xx answer. */
interface Refusal { readonly error: string; readonly message: string }

const ISOLATION_HEADERS = {
  // SharedArrayBuffer in the browser (the playground's core) needs a cross-origin isolated page.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

function sameToken(given: string, want: Buffer): boolean {
  const x = Buffer.from(given);
  return x.length === want.length && timingSafeEqual(x, want);
}

export function createMonitor(o: MonitorOptions): Monitor {
  const link = new EngineLink({ segment: o.segment, clock: o.clock, downAfterMs: o.downAfterMs });
  // Liveness is judged from heartbeats seen, so look often even when no one asks; the token file too (below).
  const watch = setInterval(() => {
    link.state();
    lookForToken();
    readyActions();
  }, 100);
  watch.unref();
  const journal = new JournalTail(o.journal);
  const names = (slot: number, symbolId: number): string => o.symbols[slot] ?? `#${symbolId}`;
  const metrics = new PrometheusMetrics({ link: () => link.state(), view: () => link.view(), symbolName: names });
  const timeoutMs = o.controlTimeoutMs ?? 2000;

  const snapshot = (): { link: LinkState; view: TelemetryView | null } => ({ link: link.state(), view: link.view() });
  const frames = new FrameBuilder({ segment: o.segment, downAfterMs: o.downAfterMs });
  const hello = (): Record<string, unknown> => ({
    type: 'hello', symbols: o.symbols, tunables: TUNABLES.map(({ encode: _e, ...t }) => t), choices: choiceSpecs(), streamHz: o.streamHz ?? 15,
    journal: journal.since(0, 200),
  });
  const stream = new TelemetryStream({ hz: o.streamHz ?? 15, maxBufferedBytes: o.maxBufferedBytes ?? 1 << 20, path: '/ws' }, () => frames.next(), hello);

  // An unknown field or a wrongly typed one is a mistake to report, not something to strip or coerce.
  // POST /api/kill is answered before fastify sees the request (killRoute below): fastify's routing and request
  // objects cost ~0.05–0.2 ms here before a route's first hook, all of it before the kill word.
  const app = Fastify({
    logger: false, bodyLimit: 4096, ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allowUnionTypes: true } },
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        if (req.method === 'POST' && (req.url === '/api/kill' || req.url?.startsWith('/api/kill?'))) void killRoute(req, res);
        else handler(req, res);
      });
      server.keepAliveTimeout = 72_000; // fastify's default, which it sets only on a server it creates itself
      return server;
    },
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(ISOLATION_HEADERS);
  });

  // The token is held in memory and looked for again every 100 ms (with the engine's heartbeat) and whenever a
  // request brings another one: a token file that is replaced works at once, one that is removed stops working
  // within 100 ms, and nothing stands between a kill's token check and its word (a stat took ~0.06 ms here).
  const tokenPath = controlTokenPath(o.controlDir);
  let tokenSeen: { readonly id: string; readonly token: string | null; readonly bytes: Buffer | null } = { id: '', token: null, bytes: null };
  const lookForToken = (): void => {
    let id = '';
    try {
      const s = statSync(tokenPath);
      id = `${s.ino}:${s.mode}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
    } catch {
      // no file (or no way to it): no token
    }
    if (id === tokenSeen.id) return;
    try {
      const t = id === '' ? null : readControlToken(o.controlDir);
      tokenSeen = { id, token: t, bytes: t === null ? null : Buffer.from(t) };
    } catch {
      // Malformed, readable by others (ControlTokenError) or unreadable: no token, so no control. This runs on
      // a timer too, where a throw would end the monitor.
      tokenSeen = { id, token: null, bytes: null };
    }
  };
  lookForToken();
  const token = (): string | null => {
    lookForToken();
    return tokenSeen.token;
  };
  const authorized = (authorization: string | undefined): boolean => {
    const h = authorization ?? '';
    if (!h.startsWith('Bearer ')) return false;
    const given = h.slice('Bearer '.length).trim();
    if (tokenSeen.bytes !== null && sameToken(given, tokenSeen.bytes)) return true;
    lookForToken();
    return tokenSeen.bytes !== null && sameToken(given, tokenSeen.bytes);
  };
  const refuse = (reply: FastifyReply, code: number, error: string, message: string): Refusal => {
    reply.code(code);
    return { error, message };
  };
  const unauthorized = (): Refusal => ({
    error: 'unauthorized',
    message: token() === null
      ? `no control token in ${o.controlDir}: the engine creates it at its first start`
      : 'control needs the engine\'s control token as "Authorization: Bearer <token>" (npm start prints the cockpit URL with it)',
  });
  const needToken = async (req: FastifyRequest, reply: FastifyReply): Promise<Refusal | undefined> => {
    if (authorized(req.headers.authorization)) return undefined;
    return reply.code(401).send(unauthorized());
  };
  const readGuard = async (req: FastifyRequest, reply: FastifyReply): Promise<Refusal | undefined> => (o.openReads ? undefined : needToken(req, reply));

  // One ControlActions per mapped segment, made before it is needed rather than between a kill's token check and
  // its word (it builds views of the segment: ~0.02 ms).
  let actions: { readonly control: ControlWriter; readonly reader: SegmentReader; readonly actions: ControlActions } | null = null;
  const actionsFor = (control: ControlWriter, reader: SegmentReader): ControlActions => {
    if (actions?.control !== control || actions.reader !== reader) {
      actions = { control, reader, actions: new ControlActions(control, reader, o.clock, { spinMs: o.controlSpinMs ?? 0 }) };
    }
    return actions.actions;
  };
  const readyActions = (): void => {
    const reader = link.reader();
    const control = link.control(true);
    if (reader && control) actionsFor(control, reader);
  };
  /** Runs a control action on the engine if it is up: the HTTP status and body that say what happened. */
  const runControl = async (run: (a: ControlActions) => Promise<ControlOutcome>, killWord = false): Promise<{ code: number; body: ControlOutcome | Refusal }> => {
    const reader = link.reader();
    const control = link.control(killWord);
    if (!reader || !control) {
      const l = link.state();
      return { code: 503, body: { error: 'engine_down', message: `the engine is not running (${l.status}: ${l.detail}); nothing was sent` } };
    }
    const outcome = await run(actionsFor(control, reader));
    if (outcome.ok) return { code: 200, body: outcome };
    return { code: outcome.why === 'no_answer' ? 504 : outcome.why === 'busy' ? 409 : outcome.why === 'bad_token' ? 403 : 422, body: outcome };
  };
  const act = async (reply: FastifyReply, run: (a: ControlActions) => Promise<ControlOutcome>): Promise<unknown> => {
    const { code, body } = await runControl(run);
    reply.code(code);
    return body;
  };

  app.get('/api/state', { onRequest: readGuard }, async () => {
    const { link: l, view } = snapshot();
    return { link: l, symbols: o.symbols, view, journal: journal.state(), stream: stream.stats() };
  });

  app.get<{ Querystring: { since?: string; limit?: string } }>('/api/journal', {
    onRequest: readGuard,
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { since: { type: 'string', pattern: '^[0-9]{1,16}$' }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } },
      },
    },
  }, async (req, reply) => {
    const since = Number(req.query.since ?? 0);
    const limit = Number(req.query.limit ?? 500);
    if (limit < 1 || limit > 2000) return refuse(reply, 400, 'bad_request', `limit must be in [1, 2000], got ${limit}`);
    return { journal: journal.state(), records: journal.since(since, limit) };
  });

  app.get('/metrics', { onRequest: readGuard }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.text();
  });

  /** POST /api/kill, on the bare node:http request (serverFactory above). The token is checked and the word
   *  written before anything else: no framework, and no body (the kill needs none; reading one took ~0.15 ms
   *  here, on a later turn of the event loop, and a body that would not parse must not stand in the way of
   *  stopping: it is read and dropped, so the connection serves the next request). Server-Timing says where the
   *  time went: `write` from the request to the kill word, `engine` from the word to HALTED seen. */
  const killRoute = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const t0 = o.clock.nowNs();
    let answer: { code: number; body: unknown };
    const headers: Record<string, string | number> = {};
    try {
      if (!authorized(req.headers.authorization)) answer = { code: 401, body: unauthorized() };
      else {
        answer = await runControl((a) => a.kill(timeoutMs), true);
        const engineMs = (answer.body as Partial<ControlOutcome>).ms;
        if (engineMs !== undefined) {
          const writeMs = Math.max(0, (o.clock.nowNs() - t0) / 1e6 - engineMs);
          headers['server-timing'] = `write;dur=${writeMs.toFixed(3)}, engine;dur=${engineMs.toFixed(3)}`;
        }
      }
    } catch (err) {
      answer = { code: 500, body: { error: 'internal', message: (err as Error).message } };
    }
    req.resume();
    Object.assign(headers, ISOLATION_HEADERS, { 'content-type': 'application/json; charset=utf-8' });
    const text = JSON.stringify(answer.body);
    headers['content-length'] = Buffer.byteLength(text);
    res.writeHead(answer.code, headers);
    res.end(text);
  };

  app.post<{ Body: { collarTicks?: number } | null }>('/api/flatten', {
    onRequest: needToken,
    schema: {
      body: {
        type: ['object', 'null'], additionalProperties: false,
        properties: { collarTicks: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
      },
    },
  }, async (req, reply) => act(reply, (a) => a.flatten(req.body?.collarTicks ?? 0, timeoutMs)));

  app.post<{ Body: { confirm: string } }>('/api/reset', {
    onRequest: needToken,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['confirm'], properties: { confirm: { type: 'string', maxLength: 32 } } },
    },
  }, async (req, reply) => {
    // The typed confirmation is checked here too, so no client can reset by accident with one click.
    if (req.body.confirm !== 'RESET') return refuse(reply, 400, 'bad_request', 'reset needs the typed confirmation: body {"confirm":"RESET"}');
    return act(reply, (a) => a.reset(token()!, timeoutMs));
  });

  app.post<{ Body: { key: string; value: number | string } }>('/api/params', {
    onRequest: needToken,
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['key', 'value'],
        properties: { key: { type: 'string', maxLength: 64 }, value: { type: ['number', 'string'] } },
      },
    },
  }, async (req, reply) => {
    let change;
    try {
      change = paramChange(req.body.key, req.body.value);
    } catch (err) {
      if (err instanceof TunableError) return refuse(reply, 400, 'bad_request', err.message);
      throw err;
    }
    const outcome = await act(reply, (a) => a.param(change.param, change.value, timeoutMs));
    return { key: change.key, value: req.body.value, ...(outcome as object) };
  });

  // Fastify's own validation errors become our 400 shape, naming the field.
  app.setErrorHandler((err: { statusCode?: number; validation?: unknown; message: string }, _req, reply) => {
    if (err.validation) return reply.code(400).send({ error: 'bad_request', message: err.message });
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return reply.code(code).send({ error: code === 500 ? 'internal' : 'bad_request', message: err.message });
  });

  const built = o.cockpitDir !== null && existsSync(join(o.cockpitDir, 'index.html'));
  if (built) {
    app.register(fastifyStatic, { root: o.cockpitDir!, prefix: '/', wildcard: true });
  } else {
    app.get('/', async (_req, reply) => {
      reply.type('text/html; charset=utf-8');
      return '<!doctype html><meta charset="utf-8"><title>tradecore monitor</title><body style="background:#111;color:#ddd;font:16px sans-serif">'
        + '<p>The cockpit is not built: run <code>npm run build</code>. The monitor is up: <a href="/api/state" style="color:#8cf">/api/state</a>, '
        + '<a href="/metrics" style="color:#8cf">/metrics</a>.</p>';
    });
  }

  stream.attach(app.server);
  return {
    app, link, stream,
    async close() {
      clearInterval(watch);
      await stream.close();
      await frames.close();
      await app.close();
    },
  };
}
