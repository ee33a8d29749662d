// The replay scenarios' recordings in the page: the fixture files (fixtures/) as Vite assets of the built
// cockpit, fetched once as they are (Binance's stays gzipped: the worker gunzips it, playground/replay-recording.ts).
/// <reference types="vite/client" />
import lobsterMessagesUrl from '../../../fixtures/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv?url';
import lobsterOrderbookUrl from '../../../fixtures/lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv?url';
import binanceUrl from '../../../fixtures/binance/btcusdt_20240808.gz?url';
import type { RecordingBytes } from '../../../playground/replay-recording.js';
import type { ReplayScenarioName } from '../../../host/sim/sim-options.js';

async function bytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

const loaded = new Map<ReplayScenarioName, Promise<RecordingBytes>>();

/** Recording `kind`'s bytes, fetched once. */
export function recordingBytes(kind: ReplayScenarioName): Promise<RecordingBytes> {
  let p = loaded.get(kind);
  if (p === undefined) {
    p = kind === 'lobster'
      ? Promise.all([bytes(lobsterMessagesUrl), bytes(lobsterOrderbookUrl)]).then(([messages, orderbook]) => ({ kind, messages, orderbook }))
      : bytes(binanceUrl).then((gz) => ({ kind, gz }));
    loaded.set(kind, p);
    p.catch(() => loaded.delete(kind));
  }
  return p;
}
