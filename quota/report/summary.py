"""``format_summary``: a run's ``summary.json`` as the lines ``quota run`` prints on the screen.

Takes the summary (``quota.pipeline.eval_summary``, or ``RunResult.summary``) and the run folder; gives plain
text: the status, objective, bound and gap, each year's quota use, the projects by status and the verification.
"""
from __future__ import annotations

from pathlib import Path


def format_summary(summary: dict, out: str | Path | None) -> str:
    """The screen summary of a run; ``out`` is the run folder named on its last line."""
    gap = "—" if summary["gap"] is None else f"{summary['gap']:.2e}"
    bound = "—" if summary["bound"] is None else f"{summary['bound']:,.3f}"
    lines = [f"scenario:  {summary['scenario']}",
             f"status:    {summary['status']} — {summary['message']}",
             f"objective: {summary['objective']:,.3f}   bound: {bound}   gap: {gap}   solver: {summary['solver']}"]
    if summary.get("method", "optimise") != "optimise":
        lines.insert(1, "method:    factor method (因素法) baseline, not the optimiser")
    elif not summary["proven_optimal"]:
        lines.append("WARNING:   not proven optimal")
    u = summary["unit"]
    for y in summary["years"]:
        util = "—" if y["utilisation"] is None else f"{y['utilisation']:.1%}"
        lines.append(f"{y['year']}: quota {y['quota']:,.2f} {u}, used {y['charged']:,.2f} (new {y['new_used']:,.2f}, advance repaid "
                     f"{y['advance_repaid']:,.2f}), advance drawn {y['advance_drawn']:,.2f}, stock {y['stock_used']:,.2f}, utilisation {util}")
    counts = ", ".join(f"{k} {v}" for k, v in summary["projects"].items())
    lines.append(f"projects:  {counts}")
    cf = summary.get("counterfactuals")
    if cf:
        lines.append(f"counterfactuals: {cf['computed']} ({cf['mode']}, {cf['seconds']:.1f} s), {cf['exact']} exact, "
                     f"{cf['within_tolerance']} within max(1, 10%), widest interval {cf['widest']:,.3f}")
    lines.append(f"verified:  {summary['verification']['checks']} checks, {summary['verification']['violations']} violations")
    lines.append(f"written:   {out}")
    return "\n".join(lines)
