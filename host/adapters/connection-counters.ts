// What every connection to the venue counts, whichever side of the protocol it speaks. The feed's and
// the gateway's counters extend it with their own; the connection and the adapter bump the same object.
// Plain numbers (`counters.frames++` on the hot path), read at any time.

export class ConnectionCounters {
  // Connections established, and those after the first.
  connects = 0; reconnects = 0;
  // Connections that ended, and connection attempts that failed (also counted in disconnects).
  disconnects = 0; connectFailures = 0;
  // Frames handed out by the reader; socket writes (one per flush).
  frames = 0; writes = 0;
  heartbeatsSent = 0; heartbeatsReceived = 0;
  // Bad frames from the venue (framing, validation, route, sequence, directory); frames of an unknown type (skipped).
  badFrames = 0; unknownFrames = 0;
  // Connections given up because the venue sent nothing for too long.
  idleTimeouts = 0;
  // Exceptions thrown by the caller's event callbacks (logged, then the stream goes on).
  callbackErrors = 0;
}
