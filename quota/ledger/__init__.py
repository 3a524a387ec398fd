"""The ledger (台账): what was approved, supplied and disposed, year by year, and the facts a re-plan starts from."""
