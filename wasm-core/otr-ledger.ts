// Order-to-Trade Ratio ledger (NSE/BSE rules): daily counts, exemptions, penalty slabs, budget.
