// The feed handler's callbacks. All optional; the hot-path ones receive primitives only. t0 is the
// clock at the socket read that brought the frame.

export interface FeedEvents {
  /** The connection is up (before any frame). */
  onConnect?(): void;
  /** The connection, or an attempt to open one, is gone; `reason` is a FeedDisconnect code. A
   *  reconnect follows unless closed. */
  onDisconnect?(reason: number): void;
  /** Every symbol defined on this connection has its Snapshot loaded (once per connection). */
  onSynced?(): void;
  /** A level changed in `symbol`'s book (an applied L2Delta, live or replayed after a snapshot). */
  onBookChange?(symbol: number, side: number, price: number, qty: number, seq: number, t0: number): void;
  /** `symbol`'s book was replaced by a Snapshot whose lastSeq is `seq`. */
  onBookReset?(symbol: number, seq: number, t0: number): void;
  /** A Trade (delivered on arrival, also while the symbol is SYNCING). */
  onTrade?(symbol: number, aggressorSide: number, price: number, qty: number, tradeId: number, seq: number, t0: number): void;
  /** `symbol` became stale (gap, waiting for its Snapshot) or live again. */
  onStale?(symbol: number, stale: boolean): void;
  /** One socket read's frames are about to be dispatched / have all been (a consumer may batch its output). */
  onReadStart?(): void;
  onReadEnd?(): void;
}

/** Why a connection ended (onDisconnect). */
export const FeedDisconnect = {
  /** The venue closed the connection (or connecting failed). */
  PEER_CLOSED: 1,
  /** A bad frame from the venue (framing, validation, route, directory). */
  BAD_FRAME: 2,
  /** Nothing received for idleTimeoutMs. */
  IDLE_TIMEOUT: 3,
  /** close() was called. */
  CLOSED: 4,
  /** A socket error. */
  SOCKET_ERROR: 5,
} as const;
