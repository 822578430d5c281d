"""PDF files joined into one, and page numbers put on the pages of a pieced annex (with pikepdf/qpdf:
it copies pages with their fonts as they are, in milliseconds)."""
import io

import pikepdf


def join(segments):
    """One PDF of the pages of each PDF in `segments`, in order; the first one's metadata (title)."""
    with pikepdf.open(io.BytesIO(segments[0])) as out:
        sources = [pikepdf.open(io.BytesIO(data)) for data in segments[1:]]
        try:
            for source in sources:
                out.pages.extend(source.pages)
            return _saved(out)
        finally:
            for source in sources:
                source.close()


def numbered(pieces, skip, numbers):
    """The pieces joined, the pages after the first `skip` overlaid in turn by the pages of `numbers`
    (a PDF of blank pages of the same size that carry only their numbers)."""
    with pikepdf.open(io.BytesIO(join(pieces))) as out, pikepdf.open(io.BytesIO(numbers)) as marks:
        for page, mark in zip(out.pages[skip:], marks.pages):
            page.add_overlay(mark)
        return _saved(out)


def _saved(pdf):
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()
