"""report.html: one self-contained file — CSS inline, figures as base64 data URIs, no external resource.

Every piece of scenario text (names, reasons, ids) is escaped. A Content-Security-Policy allows
only inline styles, data: images and the one script below (by its hash), so even an unescaped
name could neither run a script nor load anything. The script marks ``<body data-images>`` "ok"
once every image has decoded, for the headless-browser test.
"""
from __future__ import annotations

import base64
import hashlib
import re

from . import labels as L
from .document import Section, Table
from .escape import escape_html as esc
from .markdown import anchor

CSS = """
:root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --head:#f6f8fa; --warn:#fff4e5; --warnline:#d55e00; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.55;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei",
  -apple-system, "Segoe UI", Arial, sans-serif; font-size: 14px; }
header { background: #0b3d62; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .sub { opacity: .85; font-size: 13px; }
nav { padding: 10px 32px; border-bottom: 1px solid var(--line); background: var(--head); font-size: 13px; }
nav a { margin-right: 14px; color: #0969da; text-decoration: none; white-space: nowrap; }
main { padding: 8px 32px 48px; max-width: 1500px; }
h2 { border-bottom: 2px solid #0b3d62; padding-bottom: 4px; margin-top: 36px; font-size: 19px; }
h3 { font-size: 16px; margin-top: 24px; }
.warn { background: var(--warn); border-left: 4px solid var(--warnline); padding: 8px 12px; margin: 10px 0; font-weight: 600; }
.note { background: #eef6ff; border-left: 4px solid #0072b2; padding: 8px 12px; margin: 10px 0; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 12px 0; }
dl.kv dt { font-weight: 600; color: var(--muted); }
dl.kv dd { margin: 0; }
.scroll { overflow-x: auto; max-height: 720px; overflow-y: auto; border: 1px solid var(--line); margin: 8px 0; }
table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); position: sticky; top: 0; z-index: 1; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.long { min-width: 340px; } td.mid { min-width: 150px; } td.txt { white-space: nowrap; }
tr.st-approved td { background: #f1faf4; } tr.st-deferred td { background: #fffbea; }
tr.st-partial td { background: #fff6e0; } tr.st-higher_level td { background: #eef6ff; }
tr.st-rejected td { background: #fdf1ef; } tr.st-excluded td { background: #f2f2f2; color: #555; }
tr.restricted td { background: #fdecea; }
.tnote { color: var(--muted); font-size: 12px; margin: 2px 0 12px; }
figure { margin: 14px 0; }
figure img { max-width: min(100%, 1100px); height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 12.5px; }
.rules { background: #fafbfc; border: 1px solid var(--line); padding: 8px 14px; margin: 12px 0; font-size: 13px; }
.rules h4 { margin: 2px 0 4px; font-size: 13px; }
.rules ul { margin: 4px 0; padding-left: 20px; }
blockquote { margin: 8px 0; padding: 4px 12px; border-left: 4px solid #8c959f; color: #333; background: #fff; }
blockquote .tr { color: var(--muted); display: block; }
code { background: #eff1f3; padding: 0 4px; border-radius: 3px; }
@media print { nav { display: none; } .scroll { max-height: none; overflow: visible; } th { position: static; } }
"""

SCRIPT = ("window.addEventListener('load',function(){var im=document.images,ok=0;"
          "for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0){ok++;}}"
          "document.body.setAttribute('data-images-loaded',ok+'/'+im.length);"
          "document.body.setAttribute('data-images',ok===im.length?'ok':'failed');});")


def csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    return f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def render_html(sections: list[Section], title: str, subtitle: str, lang: str, images: dict[str, bytes]) -> str:
    T = L.TEXT[lang]
    nav = "".join(f'<a href="#{anchor(s)}">{esc(s.title)}</a>' for s in sections)
    body = "".join(_section(s, lang, images) for s in sections)
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp()}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{esc(title)}</title>\n'
            f"<style>{CSS}</style>\n</head>\n"
            f'<body data-images="pending">\n<header><h1>{esc(title)}</h1><div class="sub">{esc(subtitle)}</div></header>\n'
            f'<nav aria-label="{esc(T["contents"])}">{nav}</nav>\n<main>\n{body}</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n')


def _section(s: Section, lang: str, images: dict[str, bytes]) -> str:
    parts = [f'<section id="{anchor(s)}">\n<h2>{esc(s.title)}</h2>\n']
    parts += [_block(b, lang, images) for b in s.blocks]
    parts.append("</section>\n")
    return "".join(parts)


def _own(text: str) -> str:
    """The report's own wording: escaped, with `code` and **bold** marked up."""
    t = esc(text)
    t = re.sub(r"`([^`]+)`", r"<code>\1</code>", t)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", t)


def _block(block, lang: str, images: dict[str, bytes]) -> str:
    T = L.TEXT[lang]
    kind = block[0]
    if kind == "p":
        return f"<p>{_own(block[1])}</p>\n"
    if kind == "h3":
        return f"<h3>{esc(block[1])}</h3>\n"
    if kind == "warn":
        return f'<div class="warn" role="alert">⚠ {_own(block[1])}</div>\n'
    if kind == "note":
        return f'<div class="note">{_own(block[1])}</div>\n'
    if kind == "kv":
        return '<dl class="kv">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in block[1]) + "</dl>\n"
    if kind == "table":
        return _table(block[1])
    if kind == "figure":
        _, name, caption = block
        data = base64.b64encode(images[name]).decode("ascii")
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{esc(caption)}" loading="eager">'
                f"<figcaption>{T['figure']}: {esc(caption)}</figcaption></figure>\n")
    if kind == "rules":
        _, texts, quotes = block
        items = "".join(f"<li>{_own(t)}</li>" for t in texts)
        q = "".join(f"<blockquote>{esc(L.SEED_CITE[lang])}:「{esc(zh)}」"
                    + ("" if lang == "zh" else f'<span class="tr">{esc(en)}</span>') + "</blockquote>" for zh, en in quotes)
        return f'<div class="rules"><h4>{esc(T["rule"])}</h4><ul>{items}</ul>{q}</div>\n'
    if kind == "seed":
        _, source, clause = block
        return f"<p><strong>{esc(T['seed'])}</strong>: {esc(source)}</p><blockquote>{esc(clause)}</blockquote>\n"
    raise ValueError(f"unknown block {kind!r}")


def _table(t: Table) -> str:
    widest = [max((len(r[i]) for r in t.rows), default=0) for i in range(len(t.columns))]
    klass_of = ["num" if n else "long" if w > 60 else "mid" if w > 16 else "txt" for n, w in zip(t.numeric, widest)]
    head = "".join(f'<th{" class=num" if n else ""} scope="col">{esc(c)}</th>' for c, n in zip(t.columns, t.numeric))
    rows = []
    for i, row in enumerate(t.rows):
        klass = t.row_class[i] if i < len(t.row_class) and t.row_class[i] else ""
        cells = "".join(f"<td class={k}>{esc(v)}</td>" for v, k in zip(row, klass_of))
        rows.append(f'<tr class="{esc(klass)}">{cells}</tr>' if klass else f"<tr>{cells}</tr>")
    note = f'<p class="tnote">{esc(t.note)}</p>' if t.note else ""
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{note}\n'
