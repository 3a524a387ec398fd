"""Model: from a checked ``Scenario`` to the mixed-integer programme, one constraint family at a time.

Takes ``quota.input.scenario.Scenario``; gives ``quota.model.quota_model.QuotaModel`` (the PuLP problem with
its cells, rows and their documentation). ``build`` is the table of contents: eligibility (who may be
allocated, from ``quota.input.eligibility``), scores (the value weight ``w``), linkage (the county caps), then each family in ``families/``,
one module per rule of the seed. ``compat`` adapts PuLP's API across its versions.
"""
