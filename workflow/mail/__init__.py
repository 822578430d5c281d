"""E-mail: the outbox (outbox.py), its sender over SMTP or to .eml files (sender.py), the messages'
texts (compose.py, templates/mail/) and the one-click stop link (routes.py)."""
