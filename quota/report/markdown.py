"""report.md: the document as Markdown, figures linked from figures/."""
from __future__ import annotations

from . import labels as L
from .document import Section, Table
from .escape import escape_md


def render_markdown(sections: list[Section], title: str, lang: str) -> str:
    T = L.TEXT[lang]
    out = [f"# {escape_md(title)}", ""]
    out += [f"**{T['contents']}**: " + " · ".join(f"[{s.title}](#{anchor(s)})" for s in sections), ""]
    for s in sections:
        out += [f'<a id="{anchor(s)}"></a>', "", f"## {s.title}", ""]
        for block in s.blocks:
            out += _block(block, lang) + [""]
    return "\n".join(out).rstrip() + "\n"


def anchor(s: Section) -> str:
    return f"sec-{s.key}"


def _block(block, lang: str) -> list[str]:
    T = L.TEXT[lang]
    kind = block[0]
    if kind == "p":
        return [block[1]]
    if kind == "h3":
        return [f"### {block[1]}"]
    if kind == "warn":
        return [f"> **⚠ {block[1]}**"]
    if kind == "note":
        return [f"> {block[1]}"]
    if kind == "kv":
        return [f"- **{k}**: {escape_md(v)}" for k, v in block[1]]
    if kind == "table":
        return _table(block[1])
    if kind == "figure":
        _, name, caption = block
        return [f"![{escape_md(caption)}](figures/{name})", "", f"*{T['figure']}: {caption}*"]
    if kind == "rules":
        _, texts, quotes = block
        lines = [f"**{T['rule']}**", ""] + [f"- {t}" for t in texts]
        for zh, en in quotes:
            lines += ["", f"> {L.SEED_CITE[lang]}:「{zh}」" + ("" if lang == "zh" else f"  \n> ({en})")]
        return lines
    if kind == "seed":
        _, source, clause = block
        return [f"**{T['seed']}**: {source}", "", f"> {clause}"]
    raise ValueError(f"unknown block {kind!r}")


def _table(t: Table) -> list[str]:
    lines = ["| " + " | ".join(escape_md(c) for c in t.columns) + " |",
             "|" + "|".join("---:" if n else "---" for n in t.numeric) + "|"]
    lines += ["| " + " | ".join(escape_md(v) for v in row) + " |" for row in t.rows]
    if t.note:
        lines += ["", t.note]
    return lines
