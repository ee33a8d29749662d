// The venue's configuration (config/venue.toml): ports, users, symbols with their bands and synthetic
// flow, latency injection per port, and an optional replay feed. Every key is validated here and a
// refusal is a ConfigError naming the key (`symbols[1].flow.min_lots`), so `npm run venue` exits 2
// with the key in the message. Unknown sections and keys are refused too: a typo never silently
// falls back to a default.
//
// Prices in this file are integer ticks of the symbol (the wire's unit); `tick_paise` gives the tick
// in paise, i.e. hundredths of the quote currency (1 for a $0.01 or 0.01 USDT tick).
import type { StpModeName } from './market/matching.js';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { readConfigFile } from '../config/config-file.js';
import {
  decimalTextOf, integerIn, isPrintableAscii, isTable, keyOf, nonEmptyString, numberIn, onlyKeys, oneOf, tableAt, type Table,
} from '../config/validate.js';
import { MAX_HEARTBEAT_MS, MIN_HEARTBEAT_MS, SYMBOL_NAME_BYTES, TOKEN_BYTES } from '../protocol/index.js';
import { MAX_CAPACITY, MAX_LEVELS } from './market/matching.js';

export interface VenueUser {
  readonly id: number;
  readonly token: string;
}

/** One-way delay of one direction of a port: fixed + uniform jitter, microseconds. */
export interface LatencySpec {
  readonly fixedUs: number;
  readonly jitterUs: number;
}

export interface PortLatency {
  /** Client → venue. */
  readonly inbound: LatencySpec;
  /** Venue → client. */
  readonly outbound: LatencySpec;
}

export interface FlowConfig {
  readonly seed: number;
  readonly eventsPerSecond: number;
  /** Standard deviation of the fair value's random walk, ticks per √second. */
  readonly sigmaTicks: number;
  readonly passiveFraction: number;
  readonly cancelFraction: number;
  readonly marketableFraction: number;
  /** Order size range in lots (qty = lots × lot size), inclusive. */
  readonly minLots: number;
  readonly maxLots: number;
  /** Passive orders rest 1..depth ticks away from the fair value. */
  readonly depthTicks: number;
  /** Events run at start, before the first client can connect, so the book is not empty. */
  readonly warmupEvents: number;
  /** Above this many resting synthetic orders a passive event becomes a cancel. */
  readonly maxResting: number;
}

export interface SymbolConfig {
  /** 1..N in file order: the wire's symbol id. */
  readonly id: number;
  readonly name: string;
  readonly tickPaise: number;
  readonly lotSize: number;
  /** Reference price in ticks; undefined only for the replay symbol, whose feed supplies it. */
  readonly refPrice: number | undefined;
  /** Explicit band in ticks, or undefined to take refPrice ± bandPct %. */
  readonly bandLow: number | undefined;
  readonly bandHigh: number | undefined;
  readonly bandPct: number;
  /** Resting orders the symbol's matching pool holds. */
  readonly capacity: number;
  readonly flow: FlowConfig | undefined;
}

export type ReplayKind = 'lobster' | 'binance';

export interface ReplayConfig {
  readonly kind: ReplayKind;
  /** Name of the [[symbols]] entry the feed publishes. */
  readonly symbol: string;
  /** Recorded time is divided by this; Infinity = as fast as possible ("max"). */
  readonly speed: number;
  /** 'first_client': the feed starts once the first MD client has its snapshot; 'immediate': at start. */
  readonly start: 'first_client' | 'immediate';
  /** Stop after this many input lines (0 = all). */
  readonly maxLines: number;
  // LOBSTER
  readonly messageFile: string | undefined;
  readonly orderbookFile: string | undefined;
  /** LOBSTER price units (USD × 10000) per tick. */
  readonly priceUnitsPerTick: number;
  // Binance
  readonly file: string | undefined;
  /** Decimal text of one tick and one lot in the feed's units ("0.01" USDT, "0.00001" BTC). */
  readonly tickSize: string;
  readonly lotSize: string;
}

export interface VenueConfig {
  readonly host: string;
  readonly oePort: number;
  readonly mdPort: number;
  readonly loginTimeoutMs: number;
  readonly heartbeatMinMs: number;
  readonly heartbeatMaxMs: number;
  readonly mdHeartbeatMs: number;
  /** Orders per sliding second (DEFAULT_ORDERS_PER_SECOND when the file leaves it out); 0 = unlimited. */
  readonly ordersPerSecond: number;
  /** Frames a session may have waiting in the inbound delay line before orders get THROTTLED. */
  readonly inboundQueueFrames: number;
  /** Bytes a connection may have unsent before the venue drops it as a slow consumer. */
  readonly sendBufferBytes: number;
  /** Slots of the matching event ring (power of two). */
  readonly eventRingSlots: number;
  /** Period of the synthetic flow timer. */
  readonly flowTickMs: number;
  /** Self-trade prevention between orders of one session (the synthetic flow is exempt). */
  readonly stp: StpModeName;
  readonly users: readonly VenueUser[];
  readonly latencySeed: number;
  readonly oeLatency: PortLatency;
  readonly mdLatency: PortLatency;
  readonly symbols: readonly SymbolConfig[];
  readonly replay: ReplayConfig | undefined;
  /** The order-arrival audit's file (host/venue/venue-audit.ts), absolute; undefined: no audit. */
  readonly auditFile: string | undefined;
  /** The audit also records every live market-data frame written. */
  readonly auditMd: boolean;
}

// ── readers of one key with its default ───────────────────────────────────────────────────────

function integer(t: Table, key: string, path: string, lo: number, hi: number, fallback?: number): number {
  const v = t[key];
  if (v === undefined && fallback !== undefined) return fallback;
  return integerIn(keyOf(path, key), v, lo, hi);
}

function optionalInteger(t: Table, key: string, path: string, lo: number, hi: number): number | undefined {
  return t[key] === undefined ? undefined : integer(t, key, path, lo, hi);
}

function real(t: Table, key: string, path: string, lo: number, hi: number, fallback?: number): number {
  const v = t[key];
  if (v === undefined && fallback !== undefined) return fallback;
  return numberIn(keyOf(path, key), v, lo, hi);
}

function text(t: Table, key: string, path: string, fallback?: string): string {
  const v = t[key];
  if (v === undefined && fallback !== undefined) return fallback;
  return nonEmptyString(keyOf(path, key), v);
}

/** A positive decimal written as a TOML string or number, as exact decimal text. */
function decimalText(t: Table, key: string, path: string, fallback: string): string {
  const v = t[key];
  if (v === undefined) return fallback;
  const s = decimalTextOf(v);
  if (s === undefined || !/^\d+(\.\d+)?$/.test(s) || !/[1-9]/.test(s)) {
    throw new ConfigError(keyOf(path, key), 'a positive decimal such as "0.01"', v);
  }
  return s;
}

// ── sections ───────────────────────────────────────────────────────────────────────────────────

const STP_MODES: readonly StpModeName[] = ['none', 'cancel-taker', 'cancel-maker', 'cancel-both'];

const VENUE_KEYS = [
  'host', 'oe_port', 'md_port', 'login_timeout_ms', 'heartbeat_min_ms', 'heartbeat_max_ms', 'md_heartbeat_ms',
  'orders_per_second', 'inbound_queue_frames', 'send_buffer_bytes', 'event_ring_slots', 'flow_tick_ms', 'stp',
  'audit_file', 'audit_md',
] as const;

const LATENCY_KEYS = ['inbound_fixed_us', 'inbound_jitter_us', 'outbound_fixed_us', 'outbound_jitter_us'] as const;
/** The largest injected one-way delay (config and runtime control alike), µs. */
export const MAX_LATENCY_US = 10_000_000;

function stpMode(t: Table): StpModeName {
  return oneOf('venue.stp', t['stp'] ?? 'none', STP_MODES);
}

function portLatency(t: Table, path: string): PortLatency {
  onlyKeys(path, t, LATENCY_KEYS);
  return {
    inbound: {
      fixedUs: integer(t, 'inbound_fixed_us', path, 0, MAX_LATENCY_US, 0),
      jitterUs: integer(t, 'inbound_jitter_us', path, 0, MAX_LATENCY_US, 0),
    },
    outbound: {
      fixedUs: integer(t, 'outbound_fixed_us', path, 0, MAX_LATENCY_US, 0),
      jitterUs: integer(t, 'outbound_jitter_us', path, 0, MAX_LATENCY_US, 0),
    },
  };
}

const FLOW_KEYS = [
  'seed', 'events_per_second', 'sigma_ticks', 'passive_fraction', 'cancel_fraction', 'marketable_fraction',
  'min_lots', 'max_lots', 'depth_ticks', 'warmup_events', 'max_resting',
] as const;

function flow(t: Table, path: string): FlowConfig {
  onlyKeys(path, t, FLOW_KEYS);
  const passiveFraction = real(t, 'passive_fraction', path, 0, 1, 0.6);
  const cancelFraction = real(t, 'cancel_fraction', path, 0, 1, 0.3);
  const marketableFraction = real(t, 'marketable_fraction', path, 0, 1, 0.1);
  const sum = passiveFraction + cancelFraction + marketableFraction;
  if (Math.abs(sum - 1) > 1e-9) {
    throw new ConfigError(`${path}.marketable_fraction`, 'such that passive + cancel + marketable fractions = 1', sum);
  }
  const minLots = integer(t, 'min_lots', path, 1, 1_000_000, 1);
  const maxLots = integer(t, 'max_lots', path, 1, 1_000_000, 10);
  if (minLots > maxLots) throw new ConfigError(`${path}.min_lots`, `at most max_lots (${maxLots})`, minLots);
  return {
    seed: integer(t, 'seed', path, 0, 0xffffffff, 1),
    eventsPerSecond: real(t, 'events_per_second', path, 0, 1_000_000, 100),
    sigmaTicks: real(t, 'sigma_ticks', path, 0, 1_000_000, 2),
    passiveFraction,
    cancelFraction,
    marketableFraction,
    minLots,
    maxLots,
    depthTicks: integer(t, 'depth_ticks', path, 1, 100_000, 10),
    warmupEvents: integer(t, 'warmup_events', path, 0, 1_000_000, 200),
    maxResting: integer(t, 'max_resting', path, 1, MAX_CAPACITY, 2000),
  };
}

const SYMBOL_KEYS = [
  'name', 'tick_paise', 'lot_size', 'ref_price', 'band_low', 'band_high', 'band_pct', 'capacity', 'flow',
] as const;
/** Prices are i32 ticks on the wire (docs/protocol.md). */
const MAX_PRICE = 0x7fffffff;
/**
 * The highest price a band may reach. A matched symbol's book spans [band_low, band_low + levels) with up
 * to MAX_LEVELS levels, all of it i32 ticks; a derived band is clamped to this, so a reference price whose
 * band would reach past it would publish band_low above band_high.
 */
export const MAX_BAND_PRICE = MAX_PRICE - MAX_LEVELS;

/**
 * The order-rate limit of a config that does not set one: the shipped venue.toml's figure, well above
 * what a strategy under a broker's 10 orders/s needs, well below what a runaway loop sends.
 */
export const DEFAULT_ORDERS_PER_SECOND = 200;

/** Half the width of the band ref ± band_pct % (a matched band fits the matching book, centred). */
function bandHalfWidth(refPrice: number, bandPct: number, matched: boolean): number {
  const half = Math.max(1, Math.floor((refPrice * bandPct) / 100));
  return matched ? Math.min(half, (MAX_LEVELS >> 1) - 1) : half;
}

/** The largest reference price whose band ref ± band_pct % stays at or below MAX_BAND_PRICE. */
function maxRefPrice(bandPct: number, matched: boolean): number {
  let lo = 1;
  let hi = MAX_BAND_PRICE;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (mid + bandHalfWidth(mid, bandPct, matched) <= MAX_BAND_PRICE) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function symbol(t: Table, index: number, replaySymbol: string | undefined): SymbolConfig {
  const path = `symbols[${index}]`;
  onlyKeys(path, t, SYMBOL_KEYS);
  const name = text(t, 'name', path);
  if (name.length > SYMBOL_NAME_BYTES || !isPrintableAscii(name)) {
    throw new ConfigError(`${path}.name`, `printable ASCII of at most ${SYMBOL_NAME_BYTES} characters`, name);
  }
  const isReplay = name === replaySymbol;
  const refPrice = isReplay ? optionalInteger(t, 'ref_price', path, 1, MAX_PRICE) : integer(t, 'ref_price', path, 1, MAX_PRICE);
  const bandLow = optionalInteger(t, 'band_low', path, 1, MAX_PRICE);
  const bandHigh = t['band_high'] === undefined ? undefined
    : integerIn(`${path}.band_high`, t['band_high'], 1, isReplay ? MAX_PRICE : MAX_BAND_PRICE, isReplay ? '' : ' (the matching book above it must stay in i32 ticks)');
  const bandPct = real(t, 'band_pct', path, 0.01, 100, 10);
  if (refPrice !== undefined && bandLow === undefined && bandHigh === undefined) {
    const maxRef = maxRefPrice(bandPct, !isReplay);
    if (refPrice > maxRef) {
      throw new ConfigError(`${path}.ref_price`,
        `an integer in [1, ${maxRef}] (its band, ref_price ± band_pct ${bandPct} %, must stay at most ${MAX_BAND_PRICE} ticks)`, refPrice);
    }
  }
  if ((bandLow === undefined) !== (bandHigh === undefined)) {
    const missing = bandLow === undefined ? 'band_low' : 'band_high';
    throw new ConfigError(`${path}.${missing}`, 'set together with the other band limit', undefined);
  }
  if (bandLow !== undefined && bandHigh !== undefined) {
    if (bandLow > bandHigh) throw new ConfigError(`${path}.band_low`, `at most band_high (${bandHigh})`, bandLow);
    if (!isReplay && bandHigh - bandLow + 1 > MAX_LEVELS) {
      throw new ConfigError(`${path}.band_high`, `within ${MAX_LEVELS} ticks of band_low (the matching band)`, bandHigh);
    }
    if (refPrice !== undefined && (refPrice < bandLow || refPrice > bandHigh)) {
      throw new ConfigError(`${path}.ref_price`, `inside the band [${bandLow}, ${bandHigh}]`, refPrice);
    }
  }
  const flowTable = t['flow'];
  if (flowTable !== undefined && !isTable(flowTable)) throw new ConfigError(`${path}.flow`, 'a table', flowTable);
  if (flowTable !== undefined && isReplay) {
    throw new ConfigError(`${path}.flow`, 'absent on the replay symbol (its book comes from the recording)', name);
  }
  return {
    id: index + 1,
    name,
    tickPaise: integer(t, 'tick_paise', path, 1, 0xffffffff),
    lotSize: integer(t, 'lot_size', path, 1, 0x7fffffff, 1),
    refPrice,
    bandLow,
    bandHigh,
    bandPct,
    capacity: integer(t, 'capacity', path, 1, MAX_CAPACITY, 65536),
    flow: flowTable === undefined ? undefined : flow(flowTable, `${path}.flow`),
  };
}

const REPLAY_KEYS = [
  'kind', 'symbol', 'speed', 'start', 'max_lines', 'message_file', 'orderbook_file', 'price_units_per_tick',
  'file', 'tick_size', 'lot_size',
] as const;

function existingFile(t: Table, key: string, baseDir: string): string {
  const path = `replay.${key}`;
  const given = text(t, key, 'replay');
  const full = isAbsolute(given) ? given : resolve(baseDir, given);
  if (!existsSync(full)) throw new ConfigError(path, 'an existing file (relative paths are from the config file)', given);
  return full;
}

function replay(t: Table, baseDir: string): ReplayConfig {
  onlyKeys('replay', t, REPLAY_KEYS);
  const kind = oneOf<ReplayKind>('replay.kind', text(t, 'kind', 'replay'), ['lobster', 'binance']);
  const rawSpeed = t['speed'];
  let speed: number;
  if (rawSpeed === undefined) speed = 1;
  else if (rawSpeed === 'max') speed = Infinity;
  else if (typeof rawSpeed === 'number' && Number.isFinite(rawSpeed) && rawSpeed > 0 && rawSpeed <= 1e6) speed = rawSpeed;
  else throw new ConfigError('replay.speed', 'a number in (0, 1000000] or "max"', rawSpeed);
  const start = oneOf('replay.start', text(t, 'start', 'replay', 'first_client'), ['first_client', 'immediate'] as const);
  const lobster = kind === 'lobster';
  for (const k of lobster ? ['file', 'tick_size', 'lot_size'] : ['message_file', 'orderbook_file', 'price_units_per_tick']) {
    if (t[k] !== undefined) throw new ConfigError(`replay.${k}`, `absent for kind = "${kind}"`, t[k]);
  }
  return {
    kind,
    symbol: text(t, 'symbol', 'replay'),
    speed,
    start,
    maxLines: integer(t, 'max_lines', 'replay', 0, Number.MAX_SAFE_INTEGER, 0),
    messageFile: lobster ? existingFile(t, 'message_file', baseDir) : undefined,
    orderbookFile: lobster ? existingFile(t, 'orderbook_file', baseDir) : undefined,
    priceUnitsPerTick: lobster ? integer(t, 'price_units_per_tick', 'replay', 1, 1_000_000_000, 100) : 100,
    file: lobster ? undefined : existingFile(t, 'file', baseDir),
    tickSize: decimalText(t, 'tick_size', 'replay', '0.01'),
    lotSize: decimalText(t, 'lot_size', 'replay', '0.00001'),
  };
}

function users(v: unknown): VenueUser[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isTable)) throw new ConfigError('users', 'an array of tables ([[users]])', v);
  const seen = new Set<number>();
  return (v as Table[]).map((t, i) => {
    const path = `users[${i}]`;
    onlyKeys(path, t, ['id', 'token']);
    const id = integer(t, 'id', path, 1, 0xffffffff);
    if (seen.has(id)) throw new ConfigError(`${path}.id`, 'unique', id);
    seen.add(id);
    const token = text(t, 'token', path);
    if (token.length > TOKEN_BYTES || !isPrintableAscii(token)) {
      throw new ConfigError(`${path}.token`, `printable ASCII of at most ${TOKEN_BYTES} characters`, token);
    }
    return { id, token };
  });
}

const SECTIONS = ['venue', 'users', 'latency', 'symbols', 'replay'] as const;

/**
 * Parses and validates a venue config. `file` names the file in errors and anchors relative paths
 * (replay files). Throws ConfigError naming the key.
 */
export function loadVenueConfig(source: string, file = 'venue.toml'): VenueConfig {
  const doc = readConfigFile(source, file);
  onlyKeys('', doc, SECTIONS);
  const baseDir = dirname(resolve(file));

  const v = tableAt(doc, 'venue');
  onlyKeys('venue', v, VENUE_KEYS);
  const heartbeatMinMs = integer(v, 'heartbeat_min_ms', 'venue', MIN_HEARTBEAT_MS, MAX_HEARTBEAT_MS, MIN_HEARTBEAT_MS);
  const heartbeatMaxMs = integer(v, 'heartbeat_max_ms', 'venue', MIN_HEARTBEAT_MS, MAX_HEARTBEAT_MS, MAX_HEARTBEAT_MS);
  if (heartbeatMinMs > heartbeatMaxMs) {
    throw new ConfigError('venue.heartbeat_min_ms', `at most heartbeat_max_ms (${heartbeatMaxMs})`, heartbeatMinMs);
  }
  const eventRingSlots = integer(v, 'event_ring_slots', 'venue', 2, 1 << 20, 4096);
  if ((eventRingSlots & (eventRingSlots - 1)) !== 0) {
    throw new ConfigError('venue.event_ring_slots', 'a power of two in [2, 1048576]', eventRingSlots);
  }
  const host = text(v, 'host', 'venue', '127.0.0.1');
  const oePort = integer(v, 'oe_port', 'venue', 0, 65535, 0);
  const mdPort = integer(v, 'md_port', 'venue', 0, 65535, 0);
  if (oePort !== 0 && oePort === mdPort) throw new ConfigError('venue.md_port', `different from oe_port (${oePort})`, mdPort);

  const lat = tableAt(doc, 'latency');
  onlyKeys('latency', lat, ['seed', 'oe', 'md']);

  const rep = doc['replay'] === undefined ? undefined : replay(tableAt(doc, 'replay'), baseDir);

  const rawSymbols = doc['symbols'];
  if (!Array.isArray(rawSymbols) || rawSymbols.length === 0 || !rawSymbols.every(isTable)) {
    throw new ConfigError('symbols', 'a non-empty array of tables ([[symbols]])', rawSymbols);
  }
  if (rawSymbols.length > 0xffff) throw new ConfigError('symbols', 'at most 65535 symbols', rawSymbols.length);
  const symbols = (rawSymbols as Table[]).map((t, i) => symbol(t, i, rep?.symbol));
  const names = new Set<string>();
  symbols.forEach((s, i) => {
    if (names.has(s.name)) throw new ConfigError(`symbols[${i}].name`, 'unique', s.name);
    names.add(s.name);
  });
  if (rep && !names.has(rep.symbol)) {
    throw new ConfigError('replay.symbol', `the name of a [[symbols]] entry (${[...names].join(', ')})`, rep.symbol);
  }

  return {
    host,
    oePort,
    mdPort,
    loginTimeoutMs: integer(v, 'login_timeout_ms', 'venue', 1, 3_600_000, 5000),
    heartbeatMinMs,
    heartbeatMaxMs,
    mdHeartbeatMs: integer(v, 'md_heartbeat_ms', 'venue', 10, 3_600_000, 1000),
    ordersPerSecond: v['orders_per_second'] === undefined ? DEFAULT_ORDERS_PER_SECOND
      : integerIn('venue.orders_per_second', v['orders_per_second'], 0, 1_000_000, ` (${DEFAULT_ORDERS_PER_SECOND} when left out; 0 = no limit)`),
    inboundQueueFrames: integer(v, 'inbound_queue_frames', 'venue', 1, 1 << 24, 4096),
    sendBufferBytes: integer(v, 'send_buffer_bytes', 'venue', 65536, 1 << 30, 8 << 20),
    eventRingSlots,
    flowTickMs: integer(v, 'flow_tick_ms', 'venue', 1, 10_000, 5),
    stp: stpMode(v),
    users: users(doc['users']),
    latencySeed: integer(lat, 'seed', 'latency', 0, 0xffffffff, 1),
    oeLatency: portLatency(tableAt(lat, 'oe', 'latency.oe'), 'latency.oe'),
    mdLatency: portLatency(tableAt(lat, 'md', 'latency.md'), 'latency.md'),
    symbols,
    replay: rep,
    auditFile: v['audit_file'] === undefined ? undefined : resolve(baseDir, text(v, 'audit_file', 'venue')),
    auditMd: auditMd(v),
  };
}

function auditMd(v: Table): boolean {
  const md = v['audit_md'] ?? false;
  if (typeof md !== 'boolean') throw new ConfigError('venue.audit_md', 'true or false', md);
  if (md && v['audit_file'] === undefined) throw new ConfigError('venue.audit_md', 'set only with audit_file', md);
  return md;
}

/**
 * The band a symbol trades in, once its reference price is known (config or replay data). A matched
 * symbol's band must fit the matching engine (at most MAX_LEVELS ticks, kept centred on the
 * reference); a replay symbol's band only filters the recording.
 */
export function resolveBand(s: SymbolConfig, refPrice: number, matched: boolean): { bandLow: number; bandHigh: number } {
  if (s.bandLow !== undefined && s.bandHigh !== undefined) return { bandLow: s.bandLow, bandHigh: s.bandHigh };
  const half = bandHalfWidth(refPrice, s.bandPct, matched);
  const bandLow = Math.max(1, refPrice - half);
  const bandHigh = Math.min(MAX_BAND_PRICE, refPrice + half);
  return { bandLow, bandHigh };
}
