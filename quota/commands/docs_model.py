"""Write the formulation parts of ``docs/model.md`` from the constraint families' docstrings: ``python -m quota.commands.docs_model``.

Each module of ``quota/model/families/`` says in its docstring which seed clause (the quotations of
``quota.report.labels.SEED``, named ``labels.SEED['key']``) or which rule (``(MODEL.md, key)``) it
implements, and gives its formula under *Mathematical formulation*. A constraint family adds a
``Table rows (docs/model.md)`` block, one ``family | rows`` line per row of the page's constraint
table; the objective's formula is the first line of its formulation block. This module rewrites
the parts of ``docs/model.md`` between ``<!-- begin generated: NAME -->`` and ``<!-- end generated:
NAME -->`` from them, the families in the order ``quota.model.build`` first calls them (its table of
contents). ``tests/test_docs.py`` renders the page again and fails when the file differs. Run from
the repository root::

    python -m quota.commands.docs_model            # rewrite docs/model.md
    python -m quota.commands.docs_model --check    # exit 1 if docs/model.md is out of date
"""
from __future__ import annotations

import ast
import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..model import build, families
from .docs_cli import check_or_write

DEFAULT_PATH = Path("docs") / "model.md"
REGENERATE = "python -m quota.commands.docs_model"
TABLE_BLOCK = "Table rows (docs/model.md)"
FORMULATION = "Mathematical formulation"
OBJECTIVE = "objective"
BEGIN = "<!-- begin generated: {name} (by `{cmd}` from the docstrings of quota/model/families/; do not edit) -->"
END = "<!-- end generated: {name} -->"


@dataclass(frozen=True)
class FamilyDoc:
    """What one family module's docstring says: the seed keys or the rule it implements, its formula and table rows."""

    module: str
    seeds: tuple[str, ...]
    rule: str | None
    formulation: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]

    @property
    def implements(self) -> str:
        if self.seeds:
            return "seed " + ", ".join(f"`{k}`" for k in self.seeds)
        return f"rule `{self.rule}`"


def block(doc: str, header: str) -> list[str]:
    """The indented lines under the line that starts with ``header``, up to the next line that is not indented (blank lines kept inside)."""
    lines = doc.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(header)]
    if not starts:
        return []
    out: list[str] = []
    for line in lines[starts[0] + 1:]:
        if line and not line.startswith(" "):
            break
        out.append(line.strip())
    while out and not out[-1]:
        out.pop()
    return out


def parse(module: str, doc: str) -> FamilyDoc:
    """The structured parts of one family's docstring; ``ValueError`` names what is missing."""
    where = f"quota/model/families/{module}.py"
    head = doc.split(FORMULATION)[0]
    seeds = tuple(re.findall(r"labels\.SEED\['(\w+)'\]", head))
    rule = re.search(r"Rule \(not a clause of the seed\):.*?\((?:MODEL|RULES)\.md,\s*([\w.]+)\)", head, re.S)
    if not seeds and not rule:
        raise ValueError(f"{where}: before '{FORMULATION}', name the seed clause (``labels.SEED['key']``) "
                         "or the rule ('Rule (not a clause of the seed): ... (MODEL.md, key)', or '(RULES.md, key)') it implements")
    formulation = tuple(block(doc, FORMULATION))
    if not formulation:
        raise ValueError(f"{where}: the docstring has no '{FORMULATION}' block")
    rows = []
    for line in block(doc, TABLE_BLOCK):
        if line:
            family, sep, formula = line.partition(" | ")
            if not sep:
                raise ValueError(f"{where}: the '{TABLE_BLOCK}' line {line!r} is not 'family | rows'")
            rows.append((family.strip(), formula.strip()))
    if module != OBJECTIVE and not rows:
        raise ValueError(f"{where}: add a '{TABLE_BLOCK}' block with one 'family | rows' line per row of the constraint table")
    return FamilyDoc(module, seeds, rule.group(1) if rule and not seeds else None, formulation, tuple(rows))


def build_order() -> list[str]:
    """The family modules in the order ``quota/model/build.py`` first calls a function of each (its table of contents)."""
    tree = ast.parse(Path(build.__file__).read_text(encoding="utf-8"))
    owner = {alias.asname or alias.name: node.module.rsplit(".", 1)[1]
             for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("families.")
             for alias in node.names}
    calls = sorted((node.lineno, node.col_offset, owner[node.func.id]) for node in ast.walk(tree)
                   if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in owner)
    order: list[str] = []
    for _, _, module in calls:
        if module not in order:
            order.append(module)
    present = sorted(p.stem for p in Path(families.__file__).parent.glob("*.py") if p.stem != "__init__")
    missing = [m for m in present if m not in order]
    if missing:
        raise ValueError(f"quota/model/build.py calls nothing of the family module(s) {', '.join(missing)}: "
                         "call them from build_model, or move them out of quota/model/families/")
    return order


def family_docs() -> list[FamilyDoc]:
    """Every family module's docstring, parsed, in the order of ``build_model``."""
    return [parse(m, importlib.import_module(f"{families.__name__}.{m}").__doc__ or "") for m in build_order()]


def render_parts(docs: list[FamilyDoc]) -> dict[str, str]:
    """The text of each generated part of the page, by marker name."""
    table = ["| family | rows | implements | module |", "|---|---|---|---|"]
    for d in docs:
        table += [f"| {family} | {formula} | {d.implements} | `{d.module}.py` |" for family, formula in d.rows]
    objective = next(d for d in docs if d.module == OBJECTIVE)
    return {"constraints": "\n".join(table),
            "objective": "\n".join(["    " + objective.formulation[0], "", f"It implements the {objective.implements}."])}


def render(text: str, docs: list[FamilyDoc] | None = None) -> str:
    """``text`` (the page) with every generated part rewritten; ``ValueError`` when a marker is missing."""
    for name, body in render_parts(family_docs() if docs is None else docs).items():
        begin, end = BEGIN.format(name=name, cmd=REGENERATE), END.format(name=name)
        pattern = re.compile(r"<!-- begin generated: " + name + r"\b.*?-->\n.*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise ValueError(f"the page has no '{begin}' ... '{end}' markers around its {name} part")
        text = pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text, count=1)
    return text


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    path = Path(rest[0]) if rest else DEFAULT_PATH
    if not path.is_file():
        print(f"{path} does not exist; run `{REGENERATE}` from the repository root, or give the page's path.", file=sys.stderr)
        return 1
    current = path.read_text(encoding="utf-8")
    try:
        text = render(current)
    except ValueError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    return check_or_write(path, text, check, REGENERATE)


if __name__ == "__main__":
    sys.exit(main())
