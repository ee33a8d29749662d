// Oracle: depth-decayed WOBI, imbalance %, weighted mid, per-level imbalance and the combined signal, per symbol.
