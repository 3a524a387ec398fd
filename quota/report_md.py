"""Moved: the report is ``quota.report`` (report.md, report.html, report.xlsx, figures). Kept for old imports."""
from .report import render_report, render_short_report  # noqa: F401
