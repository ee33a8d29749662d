// Replays a JSON-lines file of algo order events through the core's OTR ledger and prints the
// ledger at the end as one JSON object on stdout (a one-line summary goes to stderr).
import { readFile } from 'node:fs/promises';
import type { CoreExports } from '../core/core.js';
import {
  DEFAULT_OTR_CONFIG, SEGMENTS, dateOfDay, dayNumber, describeOtrStatus, initOtrLedger, otrStatePlan, readLedger, toMilli,
  type Segment, type ZeroTradeOtr,
} from '../modules/otr-ledger.js';
import { readCommandLine, runCommand, UsageError } from './command-line.js';
import { openStandaloneCore } from './standalone-core.js';

const DEFAULT_TARGET_OTR = '49.999';

const USAGE = `usage: otr <events.jsonl> [--segment cash|futures|options] [--tick-paise N] [--target-otr X]
           [--zero-trade-otr orders|zero] [--options-from YYYY-MM-DD]
  One JSON event per line (blank lines skipped):
    {"type":"new","date":"2026-11-20","price":2500,"ltp":"2500.05"}   new order at price, LTP at the time
    {"type":"modify","date":...,"price":...,"ltp":...}                  price = the new price
    {"type":"cancel","date":...,"price":...,"ltp":...}                  price = the order's price, LTP at cancel time
    {"type":"trade","date":"2026-11-20"}                                one execution
  price and ltp are rupees (JSON numbers or decimal strings, at most 2 decimals) and must lie on the tick grid.
  date is the IST trading date; dates must not go backwards.
  Prints one JSON object: the last day's counts (counted and exempt), otr, slab, penalty_paise (slab rate ×
  all counted messages of the day), marginal_penalty_paise (of one more counted message), budget_to_target,
  opening_ban (for that day) and next_day_opening_ban, and the previous day's totals.
  --segment          exemption rule: cash/futures ±${DEFAULT_OTR_CONFIG.exemptBps / 100}% of LTP; options from --options-from
                     ±max(${DEFAULT_OTR_CONFIG.optionsExemptPct}% of LTP, ₹${DEFAULT_OTR_CONFIG.optionsFloorPaise / 100}) (default ${DEFAULT_OTR_CONFIG.segment})
  --tick-paise N     tick size in paise (default ${DEFAULT_OTR_CONFIG.tickPaise})
  --target-otr X     OTR the budget keeps to (budget_to_target = more counted messages with OTR <= X;
                     default ${DEFAULT_TARGET_OTR}, the highest OTR of the nil slab)
  --zero-trade-otr   a day without trades has OTR = counted messages (orders, default) or 0 (zero)
  --options-from     first day of the options rule (default ${DEFAULT_OTR_CONFIG.optionsEffectiveFrom})`;

class EventError extends Error {}

interface Args {
  readonly file: string;
  readonly segment: Segment;
  readonly tickPaise: number;
  readonly targetOtrMilli: number;
  readonly zeroTradeOtr: ZeroTradeOtr;
  readonly optionsFrom: string;
}

function parseCommandLine(argv: string[]): Args {
  const parsed = readCommandLine(argv, {
    segment: { type: 'string' }, 'tick-paise': { type: 'string' }, 'target-otr': { type: 'string' },
    'zero-trade-otr': { type: 'string' }, 'options-from': { type: 'string' },
  }, true);
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError('expected an events file');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const v = parsed.values;
  const segment = (v.segment ?? DEFAULT_OTR_CONFIG.segment) as Segment;
  if (!SEGMENTS.includes(segment)) throw new UsageError(`--segment must be one of ${SEGMENTS.join(', ')}, got ${JSON.stringify(v.segment)}`);
  const tickText = v['tick-paise'] ?? String(DEFAULT_OTR_CONFIG.tickPaise);
  if (!/^\d+$/.test(tickText) || Number(tickText) < 1 || Number(tickText) > 1_000_000) {
    throw new UsageError(`--tick-paise must be an integer in [1, 1000000], got ${JSON.stringify(tickText)}`);
  }
  const targetText = v['target-otr'] ?? DEFAULT_TARGET_OTR;
  const targetMilli = /^\d+(\.\d+)?$/.test(targetText) ? toMilli(Number(targetText)) : undefined;
  if (targetMilli === undefined || targetMilli > 2_147_483_647) {
    throw new UsageError(`--target-otr must be a number >= 0 with at most three decimals, got ${JSON.stringify(targetText)}`);
  }
  const zeroTradeOtr = (v['zero-trade-otr'] ?? DEFAULT_OTR_CONFIG.zeroTradeOtr) as ZeroTradeOtr;
  if (zeroTradeOtr !== 'orders' && zeroTradeOtr !== 'zero') {
    throw new UsageError(`--zero-trade-otr must be orders or zero, got ${JSON.stringify(zeroTradeOtr)}`);
  }
  return {
    file, segment, tickPaise: Number(tickText), targetOtrMilli: targetMilli, zeroTradeOtr,
    optionsFrom: v['options-from'] ?? DEFAULT_OTR_CONFIG.optionsEffectiveFrom,
  };
}

const EVENT_KEYS: Record<string, readonly string[]> = {
  new: ['type', 'date', 'price', 'ltp'],
  modify: ['type', 'date', 'price', 'ltp'],
  cancel: ['type', 'date', 'price', 'ltp'],
  trade: ['type', 'date', 'price', 'ltp'],
};

/** Rupees (number or decimal string) → integer ticks, exactly. */
function rupeesToTicks(field: string, value: unknown, tickPaise: number): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const m = text === undefined ? null : /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || /[1-9]/.test((m[2] ?? '').slice(2))) {
    throw new EventError(`${field} must be rupees >= 0 with at most 2 decimals (a number or decimal string), got ${JSON.stringify(value)}`);
  }
  const paise = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').slice(0, 2).padEnd(2, '0'));
  if (paise % BigInt(tickPaise) !== 0n) {
    throw new EventError(`${field} ${text} is not on the tick grid (${tickPaise} paise)`);
  }
  const ticks = paise / BigInt(tickPaise);
  if (ticks > 2_147_483_647n) throw new EventError(`${field} ${text} is too large (${ticks} ticks > 2^31 - 1)`);
  return Number(ticks);
}

interface Event { readonly type: string; readonly day: number; readonly price: number; readonly ltp: number }

function parseEvent(line: string, tickPaise: number): Event {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    throw new EventError(`not JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EventError('expected a JSON object');
  const e = raw as Record<string, unknown>;
  const type = e['type'];
  if (typeof type !== 'string' || !(type in EVENT_KEYS)) {
    throw new EventError(`type must be one of ${Object.keys(EVENT_KEYS).join(', ')}, got ${JSON.stringify(type)}`);
  }
  const unknown = Object.keys(e).find((k) => !EVENT_KEYS[type]!.includes(k));
  if (unknown !== undefined) throw new EventError(`unknown field ${JSON.stringify(unknown)} in a ${type} event`);
  if (e['date'] === undefined) throw new EventError('date is missing');
  let day: number;
  try {
    day = dayNumber(e['date'] as string);
  } catch (err) {
    throw new EventError((err as Error).message);
  }
  if (type === 'trade') {
    // A trade's price is not part of the OTR; it is checked only so a typo does not pass silently.
    if (e['price'] !== undefined) rupeesToTicks('price', e['price'], tickPaise);
    if (e['ltp'] !== undefined) rupeesToTicks('ltp', e['ltp'], tickPaise);
    return { type, day, price: 0, ltp: 0 };
  }
  for (const k of ['price', 'ltp']) if (e[k] === undefined) throw new EventError(`${k} is missing`);
  const price = rupeesToTicks('price', e['price'], tickPaise);
  const ltp = rupeesToTicks('ltp', e['ltp'], tickPaise);
  if (price <= 0) throw new EventError('price must be > 0');
  if (ltp <= 0) throw new EventError('ltp must be > 0');
  return { type, day, price, ltp };
}

function apply(core: CoreExports, state: number, e: Event): number {
  switch (e.type) {
    case 'new': return core.otrOnNew(state, e.day, e.price, e.ltp);
    case 'modify': return core.otrOnModify(state, e.day, e.price, e.ltp);
    case 'cancel': return core.otrOnCancel(state, e.day, e.price, e.ltp);
    default: return core.otrOnTrade(state, e.day);
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv);
  let text: string;
  try {
    text = await readFile(args.file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }

  const { core, map } = await openStandaloneCore((sizes) => ({ states: [otrStatePlan(sizes, 'otr')] }));
  const state = map.states['otr']!.offset;
  initOtrLedger(core, state, {
    segment: args.segment, tickPaise: args.tickPaise, zeroTradeOtr: args.zeroTradeOtr, optionsEffectiveFrom: args.optionsFrom,
  });

  let events = 0;
  let days = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let event: Event;
    try {
      event = parseEvent(line, args.tickPaise);
    } catch (err) {
      throw new EventError(`${args.file}:${i + 1}: ${(err as Error).message}`);
    }
    const before = core.otrDay(state);
    const status = apply(core, state, event);
    if (status < 0) {
      const detail = status === -1 ? `date ${dateOfDay(event.day)} is before the ledger's day ${dateOfDay(before)}` : describeOtrStatus(status);
      throw new EventError(`${args.file}:${i + 1}: ${detail}`);
    }
    if (core.otrDay(state) !== before) days++;
    events++;
  }

  const ledger = readLedger(core, state, args.targetOtrMilli);
  process.stderr.write(`otr: ${events} events over ${days} day(s); ${ledger.date ?? 'no day'}: OTR ${ledger.otr}, penalty ${ledger.penalty_paise} paise\n`);
  process.stdout.write(`${JSON.stringify({ segment: args.segment, tick_paise: args.tickPaise, events, ...ledger })}\n`);
}

runCommand('otr', USAGE, () => main(process.argv.slice(2)));
