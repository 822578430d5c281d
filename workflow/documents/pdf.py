"""HTML → PDF in the layout of Decree 30/2020/NĐ-CP, Appendix I, with Liberation Serif embedded.

A document is a portrait body plus optional landscape annexes; each part is rendered on its own
(so an annex has its own page numbering) and the pages are joined into one PDF."""
import os

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


def render(template, context, annexes=()):
    """PDF bytes of `template` followed by each annex template (rendered with the same context)."""
    fonts = FontConfiguration()
    font_rules = font_css(current_app.config["PDF_FONT_DIR"])
    parts = [_render_part(template, context, fonts, font_rules)]
    parts += [_render_part(annex, context, fonts, font_rules) for annex in annexes]
    pages = [page for part in parts for page in part.pages]
    return parts[0].copy(pages).write_pdf()
