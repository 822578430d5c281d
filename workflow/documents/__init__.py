"""Official documents: PDFs in the Decree 30/2020 layout (pdf.py, builders.py), the stored final
copies (final.py) signed with the ward's certificate (signing.py, certificate.py), Word copies
(word.py), the "Văn bản" page with the downloads (routes.py, word_routes.py) and the signature check
(verify_routes.py).

Nothing is imported here: the PDF worker processes import pool.py, and through this package they
should load WeasyPrint alone, not the routes with pyHanko and the rest of the app (3.0 s and 154 MB
against 1.6 s and 101 MB per forkserver)."""
