"""Issuing the ward's documents: the outgoing register that numbers them (register.py), the
delegations that let one person take another's step for a while (delegations.py), how a document is
signed (signatures.py), and their pages (routes.py)."""
