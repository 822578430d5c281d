"""HTML → PDF in the layout of Decree 30/2020/NĐ-CP, Appendix I, with Liberation Serif embedded.

A document is a portrait body plus optional landscape annexes; each part is rendered on its own
(so an annex has its own page numbering) and the pages are joined into one PDF."""
import os
from dataclasses import dataclass

from flask import current_app, render_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

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


def _render_document(template, context, annexes):
    """The joined WeasyPrint document: the body's pages first, then each annex's."""
    fonts = FontConfiguration()
    font_rules = font_css(current_app.config["PDF_FONT_DIR"])
    parts = [_render_part(template, context, fonts, font_rules)]
    parts += [_render_part(annex, context, fonts, font_rules) for annex in annexes]
    pages = [page for part in parts for page in part.pages]
    return parts[0].copy(pages)


def render(template, context, annexes=()):
    """PDF bytes of `template` followed by each annex template (rendered with the same context)."""
    return _render_document(template, context, annexes).write_pdf()


PX = 0.75  # CSS px are 1/96 in, PDF points 1/72 in


@dataclass(frozen=True)
class Box:
    """A rectangle on a page of the PDF: page index from 0, in points, origin at the bottom left."""
    page_index: int
    x: float
    y: float
    width: float
    height: float


def render_located(template, context, annexes=(), element_id="signature-space"):
    """(PDF bytes, Box of the element with that id, or None): the place the signature is stamped on
    is read from the same layout that is written, so it can never drift from what is printed."""
    document = _render_document(template, context, annexes)
    return document.write_pdf(), locate(document, element_id)


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
