// From the core's state to the segment: the cool worker reads the execution core's sub-states (positions,
// pre-trade risk, broker windows, OTR ledger: the addresses execution exposes) through the core's exports and
// publishes the PositionBlocks, the totals, the risk utilisation, the broker windows and the OTR block. It
// reads the same shared memory the hot worker writes, a few times a second; a figure may be one tick older
// than its neighbour, never torn inside one i64 (wasm loads are single instructions).
import type { CoreExports } from '../core/core.js';
import { BrokerWindow } from '../../build/core-constants.js';
import { NO_MARK } from '../modules/positions.js';
import { MAX_SYMBOLS } from './segment-layout.js';
import type {
  BrokerWindowFigures, OtrFigures, PositionFigures, RiskFigures, TelemetryPublisher,
} from './telemetry-publisher.js';

/** Where the sub-states live (execPositionsAddress(state) and its siblings). */
export interface CoreStateAddresses {
  readonly positions: number;
  readonly risk: number;
  readonly brokerWindows: number;
  readonly otr: number;
}

export interface CoreTelemetryOptions {
  /** The venue's symbol id of each core symbol index (index i → symbolIds[i]), read at each publication (the
   *  engine learns the ids from the feed after start). */
  readonly symbolIds: ArrayLike<number>;
  /** OTR target (× 1000) the budget is counted against; negative: no OTR budget (budgetLeft published as
   *  2^31 − 1, unlimited). */
  readonly targetOtrMilli: number;
}

type Exports = Pick<CoreExports,
  | 'positionsSymbolCount' | 'positionsPosition' | 'positionsAvgPricePaise' | 'positionsMarkTicks' | 'positionsTickPaise'
  | 'positionsRealizedPaise' | 'positionsChargesPaise' | 'positionsUnrealizedPaise' | 'positionsGrossExposurePaise'
  | 'positionsTotalDayPnlPaise'
  | 'riskMaxPosition' | 'riskMaxOpenOrders' | 'riskMaxGrossExposurePaise' | 'riskDailyLossPaise'
  | 'brokerWindowsUsed' | 'brokerWindowsCap'
  | 'otrRatio' | 'otrSlab' | 'otrCounted' | 'otrTrades' | 'otrPenaltyPaise' | 'otrBudget'>;


export class CoreTelemetry {
  private readonly position: PositionFigures = {
    symbolId: 0, position: 0, openOrders: 0, avgPricePaise: 0, markPaise: 0, realizedPaise: 0, unrealizedPaise: 0, chargesPaise: 0,
  };
  private readonly risk: RiskFigures = {
    positionUsed: 0, positionLimit: 0, openOrdersUsed: 0, openOrdersLimit: 0, orderRateUsed: 0, orderRateLimit: 0,
    dailyLossUsedPaise: 0, dailyLossLimitPaise: 0, exposureUsedPaise: 0, exposureLimitPaise: 0,
  };
  private readonly windows: BrokerWindowFigures = { second: 0, secondCap: 0, minute: 0, minuteCap: 0, day: 0, dayCap: 0 };
  private readonly otr: OtrFigures = { ratioMilli: 0, slab: 0, countedMessages: 0, trades: 0, budgetLeft: 0, projectedPenaltyPaise: 0 };

  constructor(
    private readonly core: Exports,
    private readonly at: CoreStateAddresses,
    private readonly options: CoreTelemetryOptions,
  ) {
    if (options.symbolIds.length > MAX_SYMBOLS) throw new RangeError(`core telemetry: ${options.symbolIds.length} symbols, the segment has ${MAX_SYMBOLS} slots`);
  }

  /** Publish positions (with each symbol's working-order count from `openOrders`, index = core symbol), totals,
   *  risk utilisation, broker windows and OTR as of `nowNs`. */
  publish(pub: TelemetryPublisher, nowNs: number, openOrders: ArrayLike<number>): void {
    const c = this.core;
    const ps = this.at.positions;
    const n = Math.min(c.positionsSymbolCount(ps), this.options.symbolIds.length);
    const p = this.position;
    const r = this.risk;
    r.positionUsed = 0;
    r.positionLimit = 0;
    let worst = -1;
    let open = 0;
    for (let i = 0; i < n; i++) {
      const pos = Number(c.positionsPosition(ps, i));
      const mark = c.positionsMarkTicks(ps, i);
      p.symbolId = this.options.symbolIds[i]!;
      p.position = pos;
      p.openOrders = openOrders[i] ?? 0;
      p.avgPricePaise = Number(c.positionsAvgPricePaise(ps, i));
      p.markPaise = mark === NO_MARK ? 0 : mark * c.positionsTickPaise(ps, i);
      p.realizedPaise = Number(c.positionsRealizedPaise(ps, i));
      p.unrealizedPaise = Number(c.positionsUnrealizedPaise(ps, i));
      p.chargesPaise = Number(c.positionsChargesPaise(ps, i));
      pub.publishPosition(i, p);
      open += p.openOrders;
      // The symbol closest to its position limit stands for the position bar.
      const limit = Number(c.riskMaxPosition(this.at.risk, i));
      const share = limit > 0 ? Math.abs(pos) / limit : 0;
      if (share > worst) {
        worst = share;
        r.positionUsed = Math.abs(pos);
        r.positionLimit = limit;
      }
    }
    pub.publishTotals(nowNs);

    const now = BigInt(nowNs);
    const bw = this.at.brokerWindows;
    const w = this.windows;
    w.second = Number(c.brokerWindowsUsed(bw, BrokerWindow.SECOND, now));
    w.secondCap = Number(c.brokerWindowsCap(bw, BrokerWindow.SECOND));
    w.minute = Number(c.brokerWindowsUsed(bw, BrokerWindow.MINUTE, now));
    w.minuteCap = Number(c.brokerWindowsCap(bw, BrokerWindow.MINUTE));
    w.day = Number(c.brokerWindowsUsed(bw, BrokerWindow.DAY, now));
    w.dayCap = Number(c.brokerWindowsCap(bw, BrokerWindow.DAY));
    pub.publishBrokerWindows(w);

    const rs = this.at.risk;
    const dayPnl = Number(c.positionsTotalDayPnlPaise(ps));
    r.openOrdersUsed = open;
    r.openOrdersLimit = c.riskMaxOpenOrders(rs);
    r.orderRateUsed = w.second;
    r.orderRateLimit = w.secondCap;
    r.dailyLossUsedPaise = dayPnl < 0 ? -dayPnl : 0;
    r.dailyLossLimitPaise = Number(c.riskDailyLossPaise(rs));
    r.exposureUsedPaise = Number(c.positionsGrossExposurePaise(ps));
    r.exposureLimitPaise = Number(c.riskMaxGrossExposurePaise(rs));
    pub.publishRisk(r);

    const os = this.at.otr;
    const o = this.otr;
    o.ratioMilli = Math.round(c.otrRatio(os) * 1000);
    o.slab = c.otrSlab(os);
    o.countedMessages = c.otrCounted(os);
    o.trades = c.otrTrades(os);
    o.budgetLeft = this.options.targetOtrMilli < 0 ? 0x7fffffff : c.otrBudget(os, this.options.targetOtrMilli);
    o.projectedPenaltyPaise = Number(c.otrPenaltyPaise(os));
    pub.publishOtr(o, nowNs);
  }
}
