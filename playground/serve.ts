// `npm run playground`: serves the built cockpit (cockpit/dist: the Svelte app whose #/playground route runs
// the simulator in Web Workers) without an engine or a monitor. A page may only share a WebAssembly.Memory with
// its workers when it is cross-origin isolated, which takes COOP same-origin + COEP require-corp on the
// document and a CORP header on everything it loads; so every response carries all three, as the monitor's do.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repo root, seen from this file's compiled place in dist/playground/. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COCKPIT_ROOT = join(REPO_ROOT, 'cockpit', 'dist');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  // The replay scenarios' recordings (fixtures/), fetched by the playground as they are: gunzipped in the page.
  '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip',
};

const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface PlaygroundServerOptions {
  readonly port?: number;
  readonly host?: string;
}

export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * True when the raw request path has a `..` or `.` segment, or one that decodes to a separator or
 * NUL. Checked on the raw path because URL parsing would silently fold `/dist/../x` into `/x`.
 */
function isTraversal(rawPath: string): boolean {
  return rawPath.split('/').some((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return true;
    }
    return decoded === '..' || decoded === '.' || /[\\/\0]/.test(decoded);
  });
}

/** The file a URL path names, or null when it names nothing the playground serves. */
function fileFor(pathname: string): string | null {
  if (pathname === '/') return join(COCKPIT_ROOT, 'index.html');
  const file = resolve(COCKPIT_ROOT, decodeURIComponent(pathname.slice(1)));
  return file.startsWith(COCKPIT_ROOT + sep) ? file : null;
}

function reply(res: ServerResponse, status: number, headers: Record<string, string | number>, body?: Buffer | string): void {
  res.writeHead(status, { ...ISOLATION_HEADERS, 'Cache-Control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function fail(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  reply(res, status, { 'Content-Type': 'text/plain; charset=utf-8', ...extra }, `${message}\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  if (!rawPath.startsWith('/') || isTraversal(rawPath)) return fail(res, 400, 'bad path');
  const file = fileFor(rawPath);
  const type = file === null ? undefined : CONTENT_TYPES[extname(file)];
  if (file === null || type === undefined) return fail(res, 404, 'not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return fail(res, 404, 'not found');
  }
  reply(res, 200, { 'Content-Type': type, 'Content-Length': body.length }, body);
}

export function startPlaygroundServer({ port = 0, host = '127.0.0.1' }: PlaygroundServerOptions = {}): Promise<PlaygroundServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, `internal error: ${String(err)}`);
      else res.destroy();
    });
  });
  return new Promise((resolveStart, rejectStart) => {
    server.once('error', rejectStart);
    server.listen(port, host, () => {
      server.off('error', rejectStart);
      const { port: bound } = server.address() as AddressInfo;
      const hostPart = host.includes(':') ? `[${host}]` : host;
      resolveStart({
        url: `http://${hostPart}:${bound}/`,
        close: () => new Promise<void>((resolveClose, rejectClose) => {
          server.close((err) => (err ? rejectClose(err) : resolveClose()));
          // Keep-alive sockets (a browser's) would otherwise hold close() open.
          server.closeAllConnections();
        }),
      });
    });
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--port');
  const port = at === -1 ? 0 : Number(process.argv[at + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer in [0, 65535], got ${JSON.stringify(process.argv[at + 1])}`);
    process.exit(2);
  }
  try {
    const { url } = await startPlaygroundServer({ port });
    console.log(`playground: ${url}#/playground (the live cockpit at ${url} needs a monitor: npm run monitor)`);
  } catch (err) {
    console.error(`playground: cannot listen on 127.0.0.1:${port}: ${(err as Error).message} (choose another with --port N)`);
    process.exit(1);
  }
}
