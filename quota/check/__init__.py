"""Check: independent verification of an allocation, and the audit of a written run folder.

Takes the scenario and the allocation tables (``verify``), or a run folder on disk (``audit``); gives one row
per check with its left-hand side, right-hand side and verdict. It imports nothing from the model or solve
stages, so that a bug there cannot hide from it. The audit's entry point is ``audit`` (``audit_run``); its
sections are ``provenance`` (hashes, files, inputs), ``recompute`` (counties, idle parcels, every rule, the
objective) and ``status`` (statuses and reasons), on the record of checks in ``findings``.
"""
