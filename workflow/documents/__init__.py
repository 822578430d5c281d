"""Official documents: PDFs in the Decree 30/2020 layout (pdf.py, builders.py), the stored final
copies (final.py), and the "Văn bản" page with the downloads (routes.py)."""
from .routes import bp

__all__ = ["bp"]
