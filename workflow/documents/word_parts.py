"""The Decree 30/2020 layout in Word (python-docx): page set-up, fonts, the two-column header, the
closing, data tables. Built from the same values as the PDF (templates/pdf/_layout.html, _parts.html);
word.py lays out each kind of document with these parts.

Every run names Times New Roman for all four scripts (w:ascii, w:hAnsi, w:eastAsia, w:cs): Word picks the
East-Asian or complex-script slot for some Vietnamese characters, and the theme font would otherwise win
there. Word substitutes a metric twin where Times New Roman is absent, as LibreOffice does."""
import re
from dataclasses import dataclass
from io import BytesIO

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
LANG = "vi-VN"
A4 = (210, 297)  # mm
PORTRAIT_MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}   # as the PDF body
LANDSCAPE_MARGINS = {"top": 20, "bottom": 20, "left": 25, "right": 20}  # as the PDF annexes
BODY_PT = 14
HEADER_PT = 13
LINE_SPACING = 1.15
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
DRAFT = "DỰ THẢO"


def text_width(section):
    """The width between the margins, in mm."""
    return round((section.page_width - section.left_margin - section.right_margin) / 36000, 1)


# --- fonts and paragraphs ----------------------------------------------------------------------------

def _fonts(rpr):
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.get_or_add_rFonts() if hasattr(rpr, "get_or_add_rFonts") else OxmlElement("w:rFonts")
        if fonts.getparent() is None:
            rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font outranks the named one
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)


def _lang(rpr):
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)


def style_font(run, size=BODY_PT, bold=False, italic=False):
    """Times New Roman for every script, the size for Latin and complex script alike."""
    run.font.bold, run.font.italic = bold or None, italic or None
    run.font.size = Pt(size)
    rpr = run._element.get_or_add_rPr()
    _fonts(rpr)
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        rpr.find(qn("w:sz")).addnext(size_cs)
    size_cs.set(qn("w:val"), str(int(size * 2)))


def setup_document():
    """An empty document whose defaults and styles name Times New Roman 14 pt in Vietnamese."""
    document = docx.Document()
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    _lang(rpr)
    for fonts in styles.iter(qn("w:rFonts")):  # headings and the like: no theme font anywhere
        _fonts(fonts.getparent())
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr())
    document.core_properties.language = LANG
    return document


def paragraph(container, text="", size=BODY_PT, bold=False, italic=False, align=JUSTIFY, indent=False,
              before=0, after=6, keep_next=False, reuse=False):
    """A paragraph of one style; lines of `text` (single newlines) kept as line breaks. `reuse` fills the
    empty paragraph a new table cell already holds."""
    par = container.paragraphs[0] if reuse and container.paragraphs and not container.paragraphs[0].text \
        else container.add_paragraph()
    fmt = par.paragraph_format
    fmt.alignment, fmt.space_before, fmt.space_after = align, Pt(before), Pt(after)
    fmt.line_spacing = LINE_SPACING
    fmt.first_line_indent = Mm(10) if indent else Mm(0)
    fmt.keep_with_next = keep_next or None
    lines = (text or "").split("\n")
    for i, line in enumerate(lines):
        run = par.add_run(line)
        style_font(run, size, bold, italic)
        if i < len(lines) - 1:
            run.add_break()
    if not text:  # the empty paragraph's mark takes the size too (spacing lines, rules)
        mark = par._element.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size * 2)))
        rpr.append(sz)
        mark.append(rpr)
    return par


def blocks(text):
    """The paragraphs of a text as the PDF's `paragraphs` filter splits them: blank lines part them."""
    return [b.strip() for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if b.strip()]


def prose(container, text, empty="", size=BODY_PT, indent=True, align=JUSTIFY, after=6, reuse=False):
    """Justified paragraphs with the first-line indent; `empty` stands in when there is no text."""
    parts = blocks(text) or ([empty] if empty else [])
    for i, block in enumerate(parts):
        paragraph(container, block, size=size, align=align, indent=indent, after=after, reuse=reuse and i == 0)


def heading(container, text, italic=False, before=8):
    """A part's heading ("I. …", bold) or an item's ("1. …", bold italic): kept with what follows."""
    return paragraph(container, text, bold=True, italic=italic, align=JUSTIFY, before=before, after=3, keep_next=True)


# What follows these elements in their parents (the schema's order, which Word insists on).
P_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                  "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                  "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
TBL_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                     "w:tblPrChange")


def _border_box(tag, sides, val="single", size=5):
    """w:pBdr / w:tblBorders with these sides: lines `size` eighths of a point thick."""
    box = OxmlElement(tag)
    for side in sides:
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), val)
        line.set(qn("w:sz"), str(size))
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        box.append(line)
    return box


def rule(container, length_mm, width_mm, after=4):
    """A centred solid line `length_mm` long within `width_mm`: an empty paragraph ruled underneath."""
    par = paragraph(container, "", size=2, align=CENTER, before=2, after=after)
    side = max(0.0, (width_mm - length_mm) / 2)
    par.paragraph_format.left_indent = par.paragraph_format.right_indent = Mm(side)
    ppr = par._element.get_or_add_pPr()
    ppr.insert_element_before(_border_box("w:pBdr", ["bottom"], size=6), *P_AFTER_BORDER)
    return par


def boxed(par, text, size=12):
    """A run with a box around it: the DỰ THẢO mark."""
    run = par.add_run(text)
    style_font(run, size, bold=True)
    bdr = OxmlElement("w:bdr")
    for name, value in (("w:val", "single"), ("w:sz", "10"), ("w:space", "1"), ("w:color", "000000")):
        bdr.set(qn(name), value)
    run._element.get_or_add_rPr().append(bdr)
    return run


# --- pages -------------------------------------------------------------------------------------------

def _page_number(header):
    """"1" centred, 13 pt, from a PAGE field."""
    par = header.paragraphs[0]
    par.paragraph_format.alignment = CENTER
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        run = par.add_run()
        style_font(run, HEADER_PT)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._element.append(instr)
        else:
            run.text = text


def _restart_numbering(section):
    sect = section._sectPr
    num = sect.find(qn("w:pgNumType"))
    if num is None:
        num = OxmlElement("w:pgNumType")
        sect.insert_element_before(num, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                   "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings")
    num.set(qn("w:start"), "1")


def page_setup(section, landscape=False):
    """A4, the Decree's margins; page numbers centred in the top margin, none on the section's first page,
    counted from 1 in each section (each annex numbers its own pages)."""
    width, height = (A4[1], A4[0]) if landscape else A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    _restart_numbering(section)
    return section


def first_section(document, landscape=False):
    section = page_setup(document.sections[0], landscape)
    section.header.is_linked_to_previous = False
    _page_number(section.header)
    return section


def new_section(document, landscape):
    """A section on a new page (headers and footers carried over from the one before)."""
    return page_setup(document.add_section(WD_SECTION.NEW_PAGE), landscape)


def mark_every_page(document, text):
    """A line at the foot of every page (first pages too): the copy mark of a final document's Word copy."""
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        par.paragraph_format.alignment = CENTER
        style_font(par.add_run(text), 10, bold=True, italic=True)


def save(document):
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- tables ------------------------------------------------------------------------------------------

@dataclass
class Cell:
    """What a data table's cell holds and how: its text (paragraphs parted by blank lines when `prose`),
    bold, aligned, spanning columns (`span`) or rows (`rows`, header rows only)."""
    text: str = ""
    bold: bool = False
    align: object = LEFT
    span: int = 1
    rows: int = 1
    prose: bool = False


def _layout_fixed(table, widths_mm):
    table.autofit = False  # w:tblLayout fixed
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths_mm) * 56.6929)))
    for col, w in zip(table.columns, widths_mm):
        col.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)


def _borders(table, val):
    box = _border_box("w:tblBorders", ["top", "left", "bottom", "right", "insideH", "insideV"], val=val,
                      size=5 if val == "single" else 0)
    table._tbl.tblPr.insert_element_before(box, *TBL_AFTER_BORDERS)


def layout_table(container, widths_mm):
    """A borderless table of one row: the header's and the closing's two columns."""
    table = container.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table, "nil")
    _layout_fixed(table, widths_mm)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # the closing stays on one page
    return table.rows[0].cells


def _fill(cell, spec, size, keep_next=False):
    spec = spec if isinstance(spec, Cell) else Cell("" if spec is None else str(spec))
    if spec.prose:
        prose(cell, spec.text, size=size, indent=False, align=LEFT, after=2, reuse=True)
    else:
        paragraph(cell, spec.text, size=size, bold=spec.bold, align=spec.align, after=0, reuse=True,
                  keep_next=keep_next)
    return spec


def _repeat_as_header(row):
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    trpr.append(OxmlElement("w:tblHeader"))


def data_table(container, head, rows, widths_mm, size=12, head_size=None):
    """A ruled table: `head` rows of Cell (spans and row spans allowed; bold, centred, repeated on each
    page), then the body `rows` (str or Cell, spans allowed)."""
    cols = len(widths_mm)
    table = container.add_table(rows=len(head) + len(rows), cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table, "single")
    _layout_fixed(table, widths_mm)
    taken = set()
    for r, specs in enumerate(head):
        row = table.rows[r]
        _repeat_as_header(row)
        c = 0
        for spec in specs:
            while (r, c) in taken:
                c += 1
            first, last = row.cells[c], table.cell(r + spec.rows - 1, c + spec.span - 1)
            cell = first.merge(last) if (spec.rows, spec.span) != (1, 1) else first
            for dr in range(spec.rows):
                for dc in range(spec.span):
                    taken.add((r + dr, c + dc))
            _fill(cell, Cell(spec.text, bold=True, align=CENTER), head_size or size)
            cell.vertical_alignment = 1  # centred
            c += spec.span
    for r, specs in enumerate(rows, len(head)):
        row = table.rows[r]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        c = 0
        for spec in specs:
            span = spec.span if isinstance(spec, Cell) else 1
            cell = row.cells[c] if span == 1 else row.cells[c].merge(row.cells[c + span - 1])
            _fill(cell, spec, size, keep_next=span == cols and len(rows) > 1)  # a group's title stays with it
            c += span
    return table


# --- the parts every document shares (templates/pdf/_parts.html) -----------------------------------

def header(document, c, width):
    """Issuer left, Quốc hiệu and tiêu ngữ right; "Số: …" left and the italic place-date right."""
    left, right = layout_table(document, [width * 0.38, width * 0.62])
    size = HEADER_PT
    paragraph(left, (c.get("issuer_top") or "").upper(), size=size, align=CENTER, after=0, reuse=True)
    paragraph(left, (c.get("issuer") or "").upper(), size=size, bold=True, align=CENTER, after=0)
    rule(left, width * 0.38 * 0.35, width * 0.38)
    if c.get("number"):
        paragraph(left, f"Số: {c['number']}", size=size, align=CENTER, before=4, after=0)
    paragraph(right, QUOC_HIEU, size=size, bold=True, align=CENTER, after=0, reuse=True)
    paragraph(right, TIEU_NGU, size=size + 1, bold=True, align=CENTER, after=0)
    rule(right, width * 0.62 * 0.62, width * 0.62)
    paragraph(right, c.get("place_date") or "", size=size + 1, italic=True, align=CENTER, before=4, after=0)
    if c.get("is_draft"):
        boxed(paragraph(right, "", size=12, align=CENTER, before=4, after=0), DRAFT)
    paragraph(document, "", size=8, after=0)


def title(document, kind, summary, width, note=None):
    """BÁO CÁO / KẾ HOẠCH and the trích yếu, bold and centred, a short rule under them."""
    paragraph(document, kind, bold=True, align=CENTER, before=12, after=0, keep_next=True)
    paragraph(document, summary, bold=True, align=CENTER, after=0, keep_next=True)
    if note:
        paragraph(document, note, italic=True, align=CENTER, after=0, keep_next=True)
    rule(document, width * 0.35, width, after=10)


def closing(document, recipients, signature, width):
    """Nơi nhận (left) and the signature block (right), a borderless two-column table."""
    paragraph(document, "", size=8, after=0)
    left, right = layout_table(document, [width / 2, width / 2])
    paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, after=0, reuse=True)
    for r in recipients or []:
        paragraph(left, f"- {r}", size=11, align=LEFT, after=0, indent=False)
    signature = signature or {}
    lines = [*signature.get("authority", []), signature.get("title") or ""]
    for i, line in enumerate(lines):
        paragraph(right, line, bold=True, align=CENTER, after=0, reuse=i == 0)
    for _ in range(4):  # room for the signature and the seal
        paragraph(right, "", align=CENTER, after=0)
    paragraph(right, signature.get("name") or "", bold=True, align=CENTER, after=0)


def annex_titles(document, number, lines, sub=None):
    """"Phụ lục …" and its title lines bold and centred; the italic "(Kèm theo …)" under them."""
    paragraph(document, number, bold=True, align=CENTER, after=0, keep_next=True)
    for line in lines:
        paragraph(document, line, bold=True, align=CENTER, after=0, keep_next=True)
    if sub:
        paragraph(document, f"({sub.strip().strip('()')})", italic=True, align=CENTER, after=8, keep_next=True)
    else:
        paragraph(document, "", size=6, after=0)
