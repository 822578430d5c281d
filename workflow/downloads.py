"""File responses, one way for all: generated documents (PDF, .xlsx) and stored files (evidence).

Every download is an attachment under a readable name (Werkzeug writes the RFC 6266 header, with
an ASCII fallback for Vietnamese names) and is kept out of shared caches: a unit's drafts and an
unpublished ranking are private. What the public page serves may change when a report is reopened,
so it is revalidated (`no-cache`) rather than stored."""
from io import BytesIO

from flask import send_file

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRIVATE = "private, no-store"
PUBLIC = "no-cache"


def attachment(data, mimetype, filename, cache=PRIVATE):
    """Bytes made for this request (a PDF, a workbook) as a download."""
    response = send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = cache
    return response


def send_stored(path, mimetype, filename):
    """A stored file (evidence) as a download; revalidated, never kept by a shared cache."""
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
    response.cache_control.private = True
    return response
