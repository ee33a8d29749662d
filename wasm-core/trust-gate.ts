// Zero-trust gate: opens only when every named check passes; exposes the failing checks as a bitmask.
