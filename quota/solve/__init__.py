"""Solve: from a ``QuotaModel`` to a ``Solution`` (the allocation, its objective, bound and gap).

Takes ``quota.model.quota_model.QuotaModel`` and ``SolveOptions``; gives ``quota.solve.solution.Solution``.
``solution.solve`` runs CBC through PuLP or HiGHS through ``highs`` (the one HiGHS adapter: ``arrays`` holds the
model's arrays, ``large`` the strategy for large models with ``greedy`` (its start), ``decompose``, ``lagrange``
and ``rounds`` (the rest of the time), ``cluster`` where the county problems run (Dask, local processes, this
process), ``deadline`` the child process that makes a time limit hold). ``evaluate`` turns a solution into tables. ``factor`` is the
factor-method (因素法) baseline and ``alternatives`` finds near-optimal alternatives.
"""
