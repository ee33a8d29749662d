// A replay scenario's recording as the playground hands it to a worker: the fixture files' bytes as fetched
// (LOBSTER's two CSVs; Binance's .gz, gunzipped here with DecompressionStream, which browsers and Node both
// have), converted to L2 event records by the same replay sources `npm run sim` reads the files with
// (host/sim/l2-events.ts). Browser-safe and Node-safe: the parity test converts the same bytes in Node.
import { binanceL2EventsFromText, lobsterL2EventsFromText, type L2Events } from '../host/sim/l2-events.js';

export type RecordingBytes =
  | { readonly kind: 'lobster'; readonly messages: Uint8Array; readonly orderbook: Uint8Array }
  | { readonly kind: 'binance'; readonly gz: Uint8Array };

async function gunzip(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

/** The recording's L2 records. */
export async function recordingEvents(r: RecordingBytes): Promise<L2Events> {
  if (r.kind === 'lobster') {
    const text = new TextDecoder();
    return lobsterL2EventsFromText(text.decode(r.messages), text.decode(r.orderbook), 'lobster AAPL');
  }
  return binanceL2EventsFromText(await gunzip(r.gz), 'binance BTCUSDT');
}

const cache = new Map<string, Promise<L2Events>>();

/** recordingEvents, converted once per recording and size in this worker (a sweep runs many cells on one). */
export function cachedRecordingEvents(r: RecordingBytes): Promise<L2Events> {
  const key = r.kind === 'lobster' ? `lobster ${r.messages.byteLength} ${r.orderbook.byteLength}` : `binance ${r.gz.byteLength}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = recordingEvents(r);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
