// LOBSTER message + orderbook files as a replay source (parsed by host/replay/lobster.ts).
//
// The book starts as orderbook row 1 with message 1 undone (as replayLobster does), so message 1
// replays onto it like every other. Then per message: a submission adds its size to its level; a
// partial cancel, a delete and a visible execution take theirs off (never below 0: orders resting
// before the file starts are not in it); a visible execution is also a Trade, and so are hidden
// executions and cross trades whose price lies on the tick grid. The aggressor of an execution is
// the side opposite the resting order's (LOBSTER's direction). Halts are skipped.
import { NO_PRICE, Side } from '../../model/vocabulary.js';
import { MessageType, parseLobster, type LobsterData } from '../../replay/lobster-rebuild.js';
import type { ReplayBook } from './replay-book.js';
import { ReplayAction, type ReplayRecord, type ReplaySource } from './replay-feed.js';


export class LobsterReplay implements ReplaySource {
  readonly name: string;
  readonly refPrice: number;
  private readonly records: ReplayRecord[];
  private delivered = false;
  private skipped = 0;

  private constructor(private readonly data: LobsterData, file: string, maxLines: number) {
    this.name = `lobster ${file}`;
    const book = data.orderbook.levels;
    const bid = book[0]!;
    const ask = book[2]!;
    this.refPrice = bid !== NO_PRICE && ask !== NO_PRICE ? Math.floor((bid + ask) / 2) : bid !== NO_PRICE ? bid : ask;
    this.records = this.build(maxLines);
  }

  static async open(messageFile: string, orderbookFile: string, priceUnitsPerTick: number, maxLines: number): Promise<LobsterReplay> {
    // Imported here, not at the top: fromText is used in a browser (the playground's replay scenarios).
    const { readFile } = await import('node:fs/promises');
    const [messages, orderbook] = await Promise.all([readFile(messageFile, 'utf8'), readFile(orderbookFile, 'utf8')]);
    return LobsterReplay.fromText(messages, orderbook, priceUnitsPerTick, maxLines, messageFile, orderbookFile);
  }

  /** The same from the two files' texts (`messageFile` and `orderbookFile` name them in messages). */
  static fromText(messages: string, orderbook: string, priceUnitsPerTick: number, maxLines: number,
    messageFile: string, orderbookFile: string): LobsterReplay {
    const data = parseLobster(messages, orderbook, { tickSize: priceUnitsPerTick, messageFile, orderbookFile });
    if (data.orderbook.levels[0] === NO_PRICE && data.orderbook.levels[2] === NO_PRICE) {
      throw new Error(`${orderbookFile}: the first row has no levels: no reference price`);
    }
    return new LobsterReplay(data, messageFile, maxLines);
  }

  initialLevels(target: ReplayBook): void {
    const { depth, levels } = this.data.orderbook;
    target.clear();
    for (let l = 0; l < depth; l++) {
      const at = l * 4;
      if (levels[at] !== NO_PRICE) target.set(Side.BUY, levels[at]!, levels[at + 1]!);
      if (levels[at + 2] !== NO_PRICE) target.set(Side.SELL, levels[at + 2]!, levels[at + 3]!);
    }
    // Undo message 1: row 1 already includes it.
    const m = this.data.messages;
    const type = m.type[0]!;
    if (type >= MessageType.SUBMIT && type <= MessageType.EXECUTE_VISIBLE) {
      const side = m.direction[0] === 1 ? Side.BUY : Side.SELL;
      const price = m.price[0]!;
      const size = m.size[0]!;
      const qty = target.qty(side, price) + (type === MessageType.SUBMIT ? -size : size);
      target.set(side, price, Math.max(0, qty));
    }
  }

  async nextBatch(): Promise<ReplayRecord[] | null> {
    if (this.delivered) return null;
    this.delivered = true;
    return this.records;
  }

  summary(): string {
    return `${this.data.messages.count} LOBSTER messages, ${this.skipped} without a book or trade effect`;
  }

  close(): void {}

  private build(maxLines: number): ReplayRecord[] {
    const m = this.data.messages;
    const count = maxLines > 0 ? Math.min(maxLines, m.count) : m.count;
    const out: ReplayRecord[] = [];
    const t0 = m.time[0]!;
    for (let k = 0; k < count; k++) {
      const atNs = Math.round((m.time[k]! - t0) * 1e9);
      const type = m.type[k]!;
      const resting = m.direction[k] === 1 ? Side.BUY : Side.SELL;
      const price = m.price[k]!;
      const size = m.size[k]!;
      switch (type) {
        case MessageType.SUBMIT:
          out.push({ atNs, action: ReplayAction.ADD_LEVEL, side: resting, price, qty: size });
          break;
        case MessageType.PARTIAL_CANCEL:
        case MessageType.DELETE:
          out.push({ atNs, action: ReplayAction.ADD_LEVEL, side: resting, price, qty: -size });
          break;
        case MessageType.EXECUTE_VISIBLE:
          out.push({ atNs, action: ReplayAction.TRADE, side: resting ^ 1, price, qty: size });
          out.push({ atNs, action: ReplayAction.ADD_LEVEL, side: resting, price, qty: -size });
          break;
        case MessageType.EXECUTE_HIDDEN:
        case MessageType.CROSS_TRADE:
          if (price !== NO_PRICE && size > 0) out.push({ atNs, action: ReplayAction.TRADE, side: resting ^ 1, price, qty: size });
          else this.skipped++;
          break;
        default:
          this.skipped++;
      }
    }
    return out;
  }
}
