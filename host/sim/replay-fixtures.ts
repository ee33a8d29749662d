// The replay scenarios' recordings, read from fixtures/ in Node (fixtures/README.md): the LOBSTER AAPL sample
// and the Binance BTCUSDT streams, through the venue's replay sources (host/sim/l2-events.ts). Node-only; the
// playground fetches the same files and converts them with the text loaders of l2-events.ts.
import { fileURLToPath } from 'node:url';
import { loadBinanceL2Events, loadLobsterL2Events, type L2Events } from './l2-events.js';
import type { ReplayScenarioName } from './sim-options.js';

const FIXTURES = new URL('../../../fixtures/', import.meta.url);

/** The fixture files of each recording, relative to fixtures/. */
export const REPLAY_FIXTURES = {
  lobster: {
    messages: 'lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv',
    orderbook: 'lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv',
  },
  binance: { file: 'binance/btcusdt_20240808.gz' },
} as const;

const path = (rel: string): string => fileURLToPath(new URL(rel, FIXTURES));

/** The L2 records of recording `kind`. */
export function loadReplayEvents(kind: ReplayScenarioName): Promise<L2Events> {
  if (kind === 'lobster') return loadLobsterL2Events(path(REPLAY_FIXTURES.lobster.messages), path(REPLAY_FIXTURES.lobster.orderbook));
  return loadBinanceL2Events(path(REPLAY_FIXTURES.binance.file));
}
