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

    python -m quota.commands.docs_model            # rewrite docs/model.md and docs/zh/model.md
    python -m quota.commands.docs_model --check    # exit 1 if either is out of date

``docs/zh/model.md`` gets the same parts with Chinese headings: the formulas are language-neutral, the
family names come from ``ROW_ZH`` (one entry per ``Table rows`` line; a row without its Chinese name
fails the render, so a new family cannot reach the English page alone).
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
ZH_PATH = Path("docs") / "zh" / "model.md"
REGENERATE = "python -m quota.commands.docs_model"
TABLE_BLOCK = "Table rows (docs/model.md)"
FORMULATION = "Mathematical formulation"
OBJECTIVE = "objective"
BEGIN = "<!-- begin generated: {name} (by `{cmd}` from the docstrings of quota/model/families/; do not edit) -->"
END = "<!-- end generated: {name} -->"


# the Chinese name of each row of the constraint table (the docstrings' ``Table rows`` family column)
ROW_ZH = {
    "fixed past": "固定已过年份", "plan choice": "方案选择", "phase order": "分期顺序", "commitment (`commit: all`)": "分期承诺(`commit: all`)",
    "supply split": "来源拆分", "city quota": "市级指标", "carry-over": "结转", "advance cap": "预支上限",
    "early batch": "早批次", "advance cap (within_year)": "预支上限(`within_year`)", "farmland": "耕地指标",
    "stock": "可用存量", "stock by year": "逐年可用存量(含收回土地)", "earned quota": "挣得指标(县级可用上限)", "restriction rate": "限批判定比率",
    "restriction by year": "逐年限批", "county cap": "县级额度", "province reserve": "省级预留指标",
    "ring-fence": "脱贫县戴帽指标", "dependency": "项目依赖", "lock in": "锁定纳入", "restriction": "限批",
}
HEAD = {"en": ("| family | rows | implements | module |", "It implements the {what}."),
        "zh": ("| 约束族 | 约束行 | 依据 | 模块 |", "它实现{what}。")}


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

    @property
    def implements_zh(self) -> str:
        """The same in Chinese: 条款 (a quotation of the action plan's clause 三(四), by its key) or 规则."""
        if self.seeds:
            return "条款 " + "、".join(f"`{k}`" for k in self.seeds)
        return f"规则 `{self.rule}`"


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


def render_parts(docs: list[FamilyDoc], lang: str = "en") -> dict[str, str]:
    """The text of each generated part of the page (``lang`` en: docs/model.md, zh: docs/zh/model.md), by marker name."""
    head, sentence = HEAD[lang]
    table = [head, "|---|---|---|---|"]
    for d in docs:
        for family, formula in d.rows:
            if lang == "zh" and family not in ROW_ZH:
                raise ValueError(f"the constraint-table row {family!r} of quota/model/families/{d.module}.py has no Chinese "
                                 "name: add it to ROW_ZH in quota/commands/docs_model.py")
            name, what = (ROW_ZH[family], d.implements_zh) if lang == "zh" else (family, d.implements)
            table.append(f"| {name} | {formula} | {what} | `{d.module}.py` |")
    objective = next(d for d in docs if d.module == OBJECTIVE)
    what = objective.implements_zh if lang == "zh" else objective.implements
    return {"constraints": "\n".join(table),
            "objective": "\n".join(["    " + objective.formulation[0], "", sentence.format(what=what)])}


def page_lang(path: Path) -> str:
    """zh for a page under docs/zh/, else en."""
    return "zh" if Path(path).parent.name == "zh" else "en"


def render(text: str, docs: list[FamilyDoc] | None = None, lang: str = "en") -> str:
    """``text`` (the page) with every generated part rewritten; ``ValueError`` when a marker is missing."""
    for name, body in render_parts(family_docs() if docs is None else docs, lang).items():
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
    code = 0
    for path in [Path(rest[0])] if rest else [DEFAULT_PATH, ZH_PATH]:
        if not path.is_file():
            print(f"{path} does not exist; run `{REGENERATE}` from the repository root, or give the page's path.", file=sys.stderr)
            code = 1
            continue
        current = path.read_text(encoding="utf-8")
        try:
            text = render(current, lang=page_lang(path))
        except ValueError as e:
            print(f"{path}: {e}", file=sys.stderr)
            code = 1
            continue
        code = max(code, check_or_write(path, text, check, REGENERATE))
    return code


if __name__ == "__main__":
    sys.exit(main())
