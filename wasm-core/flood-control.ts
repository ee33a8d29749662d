// Flood controller: token bucket at the broker orders-per-second limit, combined with the OTR budget.
