// Matching engine (L3, price-time priority) for the venue and the playground's simulated exchange.
