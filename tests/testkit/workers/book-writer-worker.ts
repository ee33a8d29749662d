import { parentPort, threadId } from 'node:worker_threads';
import { joinCore } from '../../../host/core/core-loader.js';
import { ASK, BID } from '../../../host/core/core.js';

const { core, map, memory, data } = await joinCore<{ symbol: string; price: number }>();
const book = map.books[data.symbol]!.offset;
const n = Number(data.symbol.charCodeAt(0) - 64);
core.bookSet(book, BID, data.price, 100 * n);
core.bookSet(book, ASK, data.price + 1, 50);
parentPort!.postMessage({ threadId, memoryBytes: memory.buffer.byteLength });
