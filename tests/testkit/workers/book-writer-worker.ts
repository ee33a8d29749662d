import { parentPort, threadId } from 'node:worker_threads';
import { joinCore } from '../../../host/core/core-loader.js';
import { Side } from '../../../host/model/vocabulary.js';

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;

const { core, map, memory, data } = await joinCore<{ symbol: string; price: number }>();
const book = map.books[data.symbol]!.offset;
const n = Number(data.symbol.charCodeAt(0) - 64);
core.bookSet(book, BID, data.price, 100 * n);
core.bookSet(book, ASK, data.price + 1, 50);
parentPort!.postMessage({ threadId, memoryBytes: memory.buffer.byteLength });
