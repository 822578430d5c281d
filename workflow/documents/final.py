"""The final PDF of an accepted consolidated report: rendered once, stored, served as that file."""
import hashlib
import os
import secrets

from flask import current_app

from ..extensions import db
from . import builders


def _directory():
    path = os.path.join(current_app.instance_path, "documents")
    os.makedirs(path, exist_ok=True)
    return path


def path_of(report):
    return os.path.join(_directory(), report.pdf_file)


def store(report):
    """Render the accepted report and keep the bytes; every later download is this file."""
    data = builders.consolidated(report)
    name = f"{secrets.token_hex(16)}.pdf"
    tmp = os.path.join(_directory(), name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, os.path.join(_directory(), name))  # never a half-written final document
    report.pdf_file, report.pdf_sha256 = name, hashlib.sha256(data).hexdigest()
    db.session.commit()
    return data


def forget(report):
    """A reopened report is no longer final; its old PDF stays on disk but is no longer served."""
    report.pdf_file = report.pdf_sha256 = None
    db.session.commit()


def final_bytes(report):
    """The stored file (rendered now if an earlier attempt failed after acceptance)."""
    if report.pdf_file and os.path.isfile(path_of(report)):
        with open(path_of(report), "rb") as fh:
            return fh.read()
    return store(report)
