"""The final PDF of an issued consolidated report: rendered once, signed with the ward's certificate
(PAdES, signing.py) where the signature block leaves its space, stored, served as that file."""
import os
import secrets

from flask import current_app

from ..extensions import db
from ..models import User
from . import builders, signing
from .pdf import render_located


def _directory():
    path = os.path.join(current_app.instance_path, "documents")
    os.makedirs(path, exist_ok=True)
    return path


def path_of(report):
    return os.path.join(_directory(), report.pdf_file)


def config():
    return signing.SigningConfig.from_app(current_app)


def ready_to_sign():
    """Why the ward cannot sign now (no certificate, passphrase or image), else None: the signing step
    is refused with it rather than issuing a document with no signed file."""
    try:
        signing.load_signer(config())
    except signing.SigningUnavailable as err:
        return str(err)
    return None


def signed_pdf(report):
    """The issued report rendered and signed as its signer signed it (SigningUnavailable if it cannot be)."""
    doc = builders.consolidated_document(report)
    unsigned, box = render_located(doc.template, doc.context, doc.annexes, doc.long_annex)
    signer = db.session.get(User, report.signer_id) if report.signer_id else None
    block = doc.context["signature"]  # as signed (builders.ward_signature)
    return signing.sign(unsigned, signer_name=block["name"], signer_title=block["title"].capitalize(),
                        organisation=doc.context["ward"].short_committee, when=report.signed_at or report.updated_at, box=box,
                        config=config(), username=signer.username if signer else None)


def store(report):
    """Render and sign the issued report and keep the bytes; every later download is this file."""
    data = signed_pdf(report)
    name = f"{secrets.token_hex(16)}.pdf"
    tmp = os.path.join(_directory(), name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, os.path.join(_directory(), name))  # never a half-written final document
    report.pdf_file, report.pdf_sha256 = name, signing.sha256(data)
    db.session.commit()
    return data


def forget(report):
    """A reopened report is no longer final; its old PDF stays on disk but is no longer served."""
    report.pdf_file = report.pdf_sha256 = None
    db.session.commit()


def final_bytes(report):
    """The stored file (rendered and signed now if an earlier attempt failed after signing)."""
    if report.pdf_file and os.path.isfile(path_of(report)):
        with open(path_of(report), "rb") as fh:
            return fh.read()
    return store(report)
