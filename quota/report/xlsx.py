"""A small, fast .xlsx writer: the few features report.xlsx uses, written straight to SpreadsheetML.

openpyxl builds an object per cell and serialises it through an XML tree: about 10 µs a cell,
minutes for a national run's 10⁷ cells. Here a sheet is rows of plain values, each cell one
formatted string: text as inline strings (never a formula), numbers, booleans and dates (as
serial days), a style per cell from a small table (bold header with a fill, number formats,
wrapped text), column widths, a frozen pane, an auto-filter and the header row's height.
openpyxl, Excel and LibreOffice read the result.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # characters an XML 1.0 file cannot hold
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DEFAULT_DATE, DEFAULT_DATETIME = "yyyy-mm-dd", "yyyy-mm-dd h:mm:ss"  # what openpyxl gives a date or datetime cell
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}


@dataclass(frozen=True)
class Style:
    number_format: str = "General"
    bold: bool = False
    fill: str | None = None  # an ARGB colour of a solid fill
    wrap: bool = False
    vertical: str | None = None  # "top" | "center"


@dataclass
class Sheet:
    title: str
    rows: list[str] = field(default_factory=list)  # each a serialised <row>
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column → characters
    freeze: str | None = None  # the top-left cell of the scrolling part, e.g. "A2"
    auto_filter: str | None = None  # e.g. "A1:K200"


class Styles:
    """The workbook's cell formats: ``id(style)`` registers one and returns its index."""

    def __init__(self):
        self.styles: list[Style] = [Style()]
        self.index: dict[Style, int] = {Style(): 0}

    def id(self, style: Style) -> int:
        if style not in self.index:
            self.index[style] = len(self.styles)
            self.styles.append(style)
        return self.index[style]

    def xml(self) -> str:
        formats = {}
        for st in self.styles:
            if st.number_format not in BUILTIN_FORMATS and st.number_format not in formats:
                formats[st.number_format] = 164 + len(formats)
        fills = [None, "gray125"] + sorted({st.fill for st in self.styles if st.fill})
        num = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(f, {chr(34): "&quot;"})}"/>' for f, i in formats.items())
        fill_xml = ('<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
                    + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="{f}"/></patternFill></fill>' for f in fills[2:]))
        xfs = []
        for st in self.styles:
            fmt = BUILTIN_FORMATS.get(st.number_format, formats.get(st.number_format))
            attrs = (f'numFmtId="{fmt}" fontId="{int(st.bold)}" fillId="{fills.index(st.fill) if st.fill else 0}" '
                     'borderId="0" xfId="0"')
            attrs += ' applyNumberFormat="1"' * (fmt != 0) + ' applyFont="1"' * st.bold + ' applyFill="1"' * bool(st.fill)
            if st.wrap or st.vertical:
                align = ' wrapText="1"' * st.wrap + (f' vertical="{st.vertical}"' if st.vertical else "")
                xfs.append(f'<xf {attrs} applyAlignment="1"><alignment{align}/></xf>')
            else:
                xfs.append(f"<xf {attrs}/>")
        font = '<sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{NS}">'
                + (f'<numFmts count="{len(formats)}">{num}</numFmts>' if formats else "")
                + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
                f'<fills count="{len(fills)}">{fill_xml}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def column_letter(j: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def text_cell(ref: str, text: str, style: int = 0) -> str:
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise IllegalCharacterError(f"{text[:40]!r} cannot be used in worksheets.")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def number_cell(ref: str, value, style: int = 0) -> str:
    """Numbers to 16 significant digits (as openpyxl writes them); an infinite one as an empty value."""
    s = f' s="{style}"' if style else ""
    text = "" if math.isinf(value) or math.isnan(value) else "%.16g" % value
    return f'<c r="{ref}"{s} t="n"><v>{text}</v></c>'


def bool_cell(ref: str, value: bool, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'


def cell(ref: str, value, style: int = 0) -> str:
    """One cell of a plain value (None, bool, int, float, date, str), as ``cell_value`` in excel.py leaves it."""
    if value is None or value == "":  # an empty cell, kept only for its style (openpyxl reads both back as None)
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if isinstance(value, bool):
        return bool_cell(ref, value, style)
    if isinstance(value, (int, float)):
        return number_cell(ref, value, style)
    if isinstance(value, dt.date):
        return number_cell(ref, to_excel(value), style)
    return text_cell(ref, str(value), style)


def row_xml(r: int, cells: list[str], height: float | None = None) -> str:
    ht = f' ht="{height:g}" customHeight="1"' if height else ""
    return f'<row r="{r}"{ht}>{"".join(cells)}</row>'


def _sheet_xml(sheet: Sheet) -> str:
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" xmlns:r="{REL}">']
    view = ""
    if sheet.freeze and sheet.freeze != "A1":
        col, row = re.fullmatch(r"([A-Z]+)(\d+)", sheet.freeze).groups()
        x = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col))) - 1
        y = int(row) - 1
        pane = "bottomRight" if x and y else "bottomLeft" if y else "topRight"
        split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
        view = (f'<pane{split} topLeftCell="{sheet.freeze}" activePane="{pane}" state="frozen"/>'
                f'<selection pane="{pane}" activeCell="A1" sqref="A1"/>')
    parts.append(f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>')
    parts.append('<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
    if sheet.widths:
        parts.append("<cols>" + "".join(f'<col min="{j}" max="{j}" width="{w:g}" customWidth="1"/>'
                                        for j, w in sorted(sheet.widths.items())) + "</cols>")
    parts.append("<sheetData>")
    parts.extend(sheet.rows)
    parts.append("</sheetData>")
    if sheet.auto_filter:
        parts.append(f'<autoFilter ref="{sheet.auto_filter}"/>')
    parts.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')
    return "".join(parts)


def write_xlsx(sheets: list[Sheet], styles: Styles) -> bytes:
    """The workbook as the bytes of an .xlsx file, sheets in order."""
    ct = "application/vnd.openxmlformats-officedocument"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.spreadsheetml.worksheet+xml"/>'
                        for i in range(1, len(sheets) + 1))
    types = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             f'<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.spreadsheetml.sheet.main+xml"/>'
             f'<Override PartName="/xl/styles.xml" ContentType="{ct}.spreadsheetml.styles+xml"/>{overrides}</Types>')
    rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    names = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                    f"{escape(_quoted(s.title))}!{_absolute(s.auto_filter)}</definedName>"
                    for i, s in enumerate(sheets) if s.auto_filter)
    book = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS}" xmlns:r="{REL}">'
            '<bookViews><workbookView/></bookViews><sheets>'
            + "".join(f'<sheet name="{escape(s.title, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1))
            + "</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>")
    book_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                           for i in range(1, len(sheets) + 1))
                 + f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL}/styles" Target="styles.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        z.writestr("xl/styles.xml", styles.xml())
        for i, sheet in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheet))
    return buf.getvalue()


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))
