"""Official documents: PDFs in the Decree 30/2020 layout (pdf.py, builders.py), the stored final
copies (final.py) signed with the ward's certificate (signing.py, certificate.py), Word copies
(word.py), the "Văn bản" page with the downloads (routes.py, word_routes.py) and the signature check
(verify_routes.py)."""
from . import verify_routes, word_routes  # noqa: F401 - they add their routes to bp
from .routes import bp

__all__ = ["bp"]
