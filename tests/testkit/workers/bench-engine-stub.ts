// Child PROCESS for tests/bench/engine-bench.test.ts: a stand-in for dist/host/engine.js that keeps the
// engine's process contract as the benchmark uses it, so the benchmark driver runs end to end before
// the engine exists. `node bench-engine-stub.js --config <engine.toml> --venue-oe P --venue-md M`:
// prints {"engine":"ready",…}; reads market data and answers every third read that brought a
// RELIANCE L2Delta with an IOC buy at the band's floor (Ack, then canceled: never filled), timing
// T4 − T0 and T4 − Tv itself; with execution.strategy.kind = "stress" it instead keeps 16 such orders
// in flight, a new one for each that ends. On SIGTERM it prints {"engine":"stopped","code":0,
// "latency":{"tick_to_order_ns":{…},"wire_to_order_ns":{…}}} and exits 0. Not a model of the engine's
// speed: only of what it prints and sends.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { parse } from 'smol-toml';
import {
  FrameReader, MessageType, encodeLogin, encodeNewOrder, frameSendNs, frameType, loginAckSessionId, mdSymbolOf,
  symbolDefinitionBandLow, symbolDefinitionName,
} from '../../../host/protocol/index.js';

const { values } = parseArgs({ options: { config: { type: 'string' }, 'venue-oe': { type: 'string' }, 'venue-md': { type: 'string' } } });
const config = parse(readFileSync(values.config!, 'utf8')) as Record<string, Record<string, unknown>>;
const venue = config['venue']!;
const strategy = (config['execution']?.['strategy'] as Record<string, unknown> | undefined)?.['kind'];
const stress = strategy === 'stress';
const nowNs = (): number => Number(process.hrtime.bigint());

const tickToOrder: number[] = [];
const wireToOrder: number[] = [];
const out = new DataView(new ArrayBuffer(64));
let seq = 1;
let clOrdId = 0;
let symbol = 0;
let floor = 0;

const oe = connect(Number(values['venue-oe']), '127.0.0.1');
oe.setNoDelay(true);
const send = (bytes: number): void => {
  oe.write(new Uint8Array(out.buffer.slice(0, bytes)));
};
const order = (): void => {
  send(encodeNewOrder(out, 0, seq++, BigInt(nowNs()), ++clOrdId, symbol, 0, 0, 1, floor, 1));
};

const oeReader = new FrameReader();
let loggedIn = false;
oe.on('data', (chunk: Buffer) => {
  oeReader.push(chunk);
  for (let n = oeReader.next(); n > 0; n = oeReader.next()) {
    const type = frameType(oeReader.view, oeReader.at);
    if (type === MessageType.LoginAck && loginAckSessionId(oeReader.view, oeReader.at) > 0) loggedIn = true;
    if (stress && (type === MessageType.Canceled || type === MessageType.Reject) && symbol !== 0) order();
  }
});
oe.once('connect', () => {
  send(encodeLogin(out, 0, seq++, BigInt(nowNs()), Number(venue['userId'] ?? 1), 30_000, String(venue['token'] ?? 'alpha')));
});

const md = connect(Number(values['venue-md']), '127.0.0.1');
md.setNoDelay(true);
const mdReader = new FrameReader();
let reads = 0;
md.on('data', (chunk: Buffer) => {
  const t0 = nowNs();
  mdReader.push(chunk);
  let tv = -1;
  for (let n = mdReader.next(); n > 0; n = mdReader.next()) {
    const type = frameType(mdReader.view, mdReader.at);
    if (type === MessageType.SymbolDefinition && symbolDefinitionName(mdReader.view, mdReader.at) === 'RELIANCE') {
      symbol = mdSymbolOf(mdReader.view, mdReader.at);
      floor = symbolDefinitionBandLow(mdReader.view, mdReader.at);
    } else if (type === MessageType.L2Delta && symbol !== 0 && mdSymbolOf(mdReader.view, mdReader.at) === symbol) {
      tv = Number(frameSendNs(mdReader.view, mdReader.at));
    }
  }
  if (!loggedIn || symbol === 0) return;
  if (stress) {
    if (clOrdId === 0) for (let i = 0; i < 16; i++) order();
    return;
  }
  if (tv < 0 || ++reads % 3 !== 0) return;
  order();
  const t4 = nowNs();
  tickToOrder.push(t4 - t0);
  wireToOrder.push(t4 - tv);
});

function summary(samples: number[]): Record<string, number> {
  const s = [...samples].sort((a, b) => a - b);
  const rank = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
  return { count: s.length, p50: rank(0.5), p99: rank(0.99), p999: rank(0.999), max: s.at(-1) ?? 0 };
}

process.stdout.write(`${JSON.stringify({ engine: 'ready', topology: (config['engine'] as Record<string, unknown>)['topology'], pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  md.destroy();
  oe.destroy();
  process.stdout.write(`${JSON.stringify({
    engine: 'stopped', code: 0, reason: 'SIGTERM',
    latency: { tick_to_order_ns: summary(tickToOrder), wire_to_order_ns: summary(wireToOrder) },
  })}\n`, () => process.exit(0));
});
