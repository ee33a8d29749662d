// The fused decision with its inputs recorded: what execOnBook reads from the book and the Oracle (the top of
// book, the signal, the fair price) written into a capture record, then the same decision on those values
// (execOnQuote), so a replay of the record decides on exactly the bytes the live call saw.
//
// State: none of its own. `record` is a capture-ring slot the host claimed (host/capture/capture-format.ts):
//   +8 f64 time ns (written by the host) · +24 i32 index · +28 i32 bid ticks · +32 i32 bid qty
//   +36 i32 ask ticks · +40 i32 ask qty · +48 f64 signal · +56 f64 fair price (ticks)
import { bookBestAsk, bookBestAskQty, bookBestBid, bookBestBidQty } from "./book";
import { nevFairTicks } from "./nev";
import { oracleSignal } from "./oracle";
import { execOnQuote } from "./execution";
import { H_GAIN } from "./exec-layout";

/** execOnBook of symbol `index` at the f64 time stored at `record` + 8, its inputs written into `record`. */
export function hotOnBookCaptured(state: usize, index: i32, book: usize, oracle: usize, record: usize): i32 {
  const bid = bookBestBid(book);
  const bidQty = bookBestBidQty(book);
  const ask = bookBestAsk(book);
  const askQty = bookBestAskQty(book);
  const signal = oracleSignal(oracle);
  const fair = nevFairTicks(oracle, load<f64>(state + H_GAIN));
  store<i32>(record + 24, index);
  store<i32>(record + 28, bid);
  store<i32>(record + 32, bidQty);
  store<i32>(record + 36, ask);
  store<i32>(record + 40, askQty);
  store<f64>(record + 48, signal);
  store<f64>(record + 56, fair);
  return execOnQuote(state, index, bid, bidQty, ask, askQty, signal, fair, <i64>load<f64>(record + 8));
}
