"""Report: from a run's tidy tables and summary to report.md, report.html, report.xlsx and figures/*.png,
and the run folder itself (``write``: every file written safely, with its manifest).

Takes a ``RunResult`` with its output tables and summary; gives file name → content (``render.render_report``),
then the folder on disk (``write.write_run``). ``safety`` holds the output-safety rules (escaping, formula
injection, paths inside the folder), ``plot`` and ``fonts`` the shared chart helpers.

    tables (output_tables) + summary (eval_summary) ──build_document──▶ sections ──▶ report.md, report.html
                                                   ──render_charts───▶ figures/*.png (embedded in the HTML)
                                                   ──render_excel────▶ report.xlsx (one sheet per table)

The report only formats: every figure comes from a table of the run folder, and every section
says the rule behind it (``labels.RULES``), quoting the seed's clause 三(四) where the rule comes
from it. The language is the run's (``result.lang``: the scenario's ``lang`` or ``--lang``).
"""
