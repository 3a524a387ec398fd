"""Line wrapping for Chinese help text: a Chinese character is two columns wide, and a line may break between two
characters, but not before a closing mark (,。、:;)...) nor after an opening one ((《...).

click measures text in characters and breaks lines only at spaces, so a Chinese paragraph would come out as one
line twice the terminal's width. ``WideFormatter`` is click's ``HelpFormatter`` with its three wrapping methods
redone on ``wrap`` (the same layout: paragraphs, ``\\b`` blocks kept as written, a definition list's second column);
``quota.commands.bilingual`` uses it for Chinese only, so English help stays click's own.
"""
from __future__ import annotations

import unicodedata

import click

NO_START = set(",.:;!?)]}、。,:;!?)】》」』…%")  # marks that never begin a line
NO_END = set("([{(【《「『")  # marks that never end one


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for a wide (Chinese) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, limit: int) -> str:
    """``text``, cut to at most ``limit`` columns with ``…`` when longer."""
    if width(text) <= limit:
        return text
    out = ""
    for c in text:
        if width(out + c) > limit - 1:
            break
        out += c
    return out.rstrip(",、:; ") + "…"


def _tokens(text: str) -> list[tuple[str, bool]]:
    """``text`` as (token, space before it): each wide character alone, each run of other non-space characters
    together, and a ``[...]`` (click's ``[默认值:0.1; 0<=x<=1]``) whole."""
    out: list[tuple[str, bool]] = []
    word, word_gap, gap = "", False, False
    bracket = 0
    for c in text:
        bracket += (c == "[") - (c == "]") if word or c == "[" else 0
        if bracket > 0 or (c == "]" and word.startswith("[")):
            if not word:
                word_gap, gap = gap, False
            word += c
            continue
        if c.isspace() or (width(c) == 2 and word):
            if word:
                out.append((word, word_gap))
                word = ""
            if c.isspace():
                gap = True
                continue
        if width(c) == 2:
            out.append((c, gap))
        else:
            if not word:
                word_gap = gap
            word += c
        gap = False
    if word:
        out.append((word, word_gap))
    return out


def _join(tokens: list[tuple[str, bool]]) -> str:
    return "".join((" " if gap and i else "") + t for i, (t, gap) in enumerate(tokens))


def _may_break(before: tuple[str, bool], after: tuple[str, bool]) -> bool:
    return after[0][0] not in NO_START and before[0][-1] not in NO_END


def wrap(text: str, columns: int, initial: str = "", subsequent: str = "") -> str:
    """One paragraph filled to ``columns`` (a word longer than a line stands alone on its line)."""
    lines: list[str] = []
    line: list[tuple[str, bool]] = []
    indent = initial
    for token in _tokens(text):
        candidate = line + [token]
        if not line or width(indent + _join(candidate)) <= columns:
            line = candidate
            continue
        k = len(candidate) - 1
        while k > 0 and not _may_break(candidate[k - 1], candidate[k]):
            k -= 1
        if k == 0:
            line = candidate
            continue
        lines.append(indent + _join(candidate[:k]))
        indent = subsequent
        line = [(candidate[k][0], False)] + candidate[k + 1:]
    if line:
        lines.append(indent + _join(line))
    return "\n".join(lines)


def _paragraphs(text: str) -> list[tuple[int, bool, list[str]]]:
    """click's paragraphs: (indent of the first line, kept as written (``\\b``), lines)."""
    out, lines, indent = [], [], None
    for line in text.expandtabs().splitlines() + [""]:
        if line:
            if indent is None:
                indent = len(line) - len(line.lstrip())
                line = line.lstrip()
            lines.append(line)
        elif lines:
            raw = lines[0].strip() == "\b"
            out.append((indent or 0, raw, lines[1:] if raw else lines))
            lines, indent = [], None
        else:
            indent = None
    return out


def wrap_paragraphs(text: str, columns: int, initial: str = "", subsequent: str = "") -> str:
    """As click's ``wrap_text(..., preserve_paragraphs=True)``, measuring in columns."""
    out = []
    for indent, raw, lines in _paragraphs(text):
        first, rest = initial + " " * indent, subsequent + " " * indent
        if raw:
            out.append("\n".join((first if i == 0 else rest) + line for i, line in enumerate(lines)))
        else:
            joined = lines[0]
            for line in lines[1:]:  # no space between two Chinese characters on either side of a line end
                joined += ("" if width(joined[-1:]) == 2 or width(line[:1]) == 2 else " ") + line
            out.append(wrap(joined, columns, first, rest))
    return "\n\n".join(out)


class WideFormatter(click.HelpFormatter):
    """click's help formatter, measuring Chinese text in terminal columns."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = f"{prefix or 'Usage: ':>{self.current_indent}}{prog} "
        self.write(wrap(args, self.width - self.current_indent, prefix, " " * width(prefix)) if args else prefix.rstrip())
        self.write("\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap_paragraphs(text, self.width, indent, indent) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max(width(first) for first, _ in rows), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_paragraphs(second, max(self.width - first_col - 2, 10)).splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n" if line else "\n")
