"""The ledger (台账): what was approved, supplied and disposed of, year by year, in a database (docs/ledger.md).

Takes run folders (``quota run``'s manifest.json, summary.json, allocations.csv, projects.csv) and a bureau's fact
tables (CSV or xlsx, read by ``quota.input``'s readers); gives a SQLite file or PostgreSQL database holding the runs,
their allocations and the facts, each write one transaction, and reads back what happened before a year
(``store.read_facts`` → ``facts.LedgerFacts``, the model's view of the past). ``schema`` holds the tables, the
transactions and the schema migrations; ``runs`` records and adopts run folders; ``tables`` and ``imports`` read,
check and record fact files; ``status`` compares plan and facts and records lapsed approvals; ``export`` writes every
table out; ``store`` holds the entry points. It imports nothing from the model or solve stages.
"""
