"""HTML → PDF in the layout of Decree 30/2020/NĐ-CP, Appendix I, with Liberation Serif embedded.

A document is a portrait body plus optional landscape annexes; each part is rendered on its own
(so an annex has its own page numbering) and the pages are joined into one PDF. A long task annex is
laid out in pieces by worker processes (chunks.py, pool.py) and numbered after (pages.py)."""
import os
from dataclasses import dataclass

from flask import current_app, render_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from . import chunks, pages, pool

FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}


class FontMissing(RuntimeError):
    """No silent fallback to another font: the official format needs Times-metric Liberation Serif."""


def font_css(font_dir):
    missing = [name for name in FONT_FILES.values() if not os.path.isfile(os.path.join(font_dir, name))]
    if missing:
        raise FontMissing(
            f"Không tìm thấy phông Liberation Serif ({', '.join(missing)}) trong {font_dir}. "
            "Cài gói fonts-liberation2 (apt-get install fonts-liberation2) hoặc đặt PDF_FONT_DIR.")
    rules = [f'@font-face {{ font-family: "CCHC Serif"; font-weight: {weight}; font-style: {style}; '
             f'src: url("file://{os.path.join(font_dir, name)}"); }}'
             for (weight, style), name in FONT_FILES.items()]
    return "\n".join(rules)


def _render_part(template, context, fonts, font_rules):
    html = render_template(template, **context)
    return HTML(string=html, base_url=current_app.root_path).render(
        stylesheets=[CSS(string=font_rules, font_config=fonts)], font_config=fonts)


def _compose(template, context, annexes, long_annex):
    """(PDF bytes, the body's WeasyPrint document). The body's pages come first, then each annex's.
    `long_annex`, if given, is the annex that may be laid out in pieces by worker processes."""
    fonts = FontConfiguration()
    font_rules = font_css(current_app.config["PDF_FONT_DIR"])
    split = chunks.pieces(context, current_app.config["PDF_CHUNK_ROWS"], current_app.config["PDF_WORKERS"]) \
        if long_annex in annexes else []
    if not split:
        parts = [_render_part(t, context, fonts, font_rules) for t in (template, *annexes)]
        joined = parts[0].copy([page for part in parts for page in part.pages])
        return joined.write_pdf(), parts[0]
    # The pieces go to the workers first; this process lays out the body and the other annexes meanwhile.
    pending = pool.Pending([(render_template(long_annex, **c), current_app.root_path, font_rules) for c in split],
                           current_app.config["PDF_WORKERS"])
    body = _render_part(template, context, fonts, font_rules)
    body_pdf = body.write_pdf()
    done = {t: _render_part(t, context, fonts, font_rules).write_pdf() for t in annexes if t != long_annex}
    results = pending.results()
    numbered = results[0][1]  # the first piece numbers its own pages
    numbers = _render_part("pdf/page_numbers.html", {"first": numbered + 1, "pages": sum(n for _, n in results[1:])},
                           fonts, font_rules)
    done[long_annex] = pages.numbered([data for data, _ in results], numbered, numbers.write_pdf())
    return pages.join([body_pdf] + [done[t] for t in annexes]), body


def render(template, context, annexes=(), long_annex=None):
    """PDF bytes of `template` followed by each annex template (rendered with the same context)."""
    return _compose(template, context, annexes, long_annex)[0]


PX = 0.75  # CSS px are 1/96 in, PDF points 1/72 in


@dataclass(frozen=True)
class Box:
    """A rectangle on a page of the PDF: page index from 0, in points, origin at the bottom left."""
    page_index: int
    x: float
    y: float
    width: float
    height: float


def render_located(template, context, annexes=(), long_annex=None, element_id="signature-space"):
    """(PDF bytes, Box of the element with that id in the body, or None): the place the signature is
    stamped on is read from the same layout that is written, so it can never drift from what is
    printed. The body's pages are the document's first, so its page indexes hold."""
    data, body = _compose(template, context, annexes, long_annex)
    return data, locate(body, element_id)


def locate(document, element_id):
    """The border box of the first layout box whose element has `element_id` (WeasyPrint's layout
    tree; the first fragment when the element is split over pages)."""
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == element_id and hasattr(box, "border_box_x"):
                width, height = box.border_width() * PX, box.border_height() * PX
                top = box.border_box_y() * PX
                return Box(index, round(box.border_box_x() * PX, 2), round(page.height * PX - top - height, 2),
                           round(width, 2), round(height, 2))
    return None
