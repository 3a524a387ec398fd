"""The ledger (台账)."""
