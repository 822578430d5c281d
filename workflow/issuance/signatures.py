"""How a document is signed (Decree 30, Appendix I): "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" when the
chairman signs for the committee; "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" when a
vice-chairman signs in his place (by a delegation of the signer's role)."""
COLLECTIVE = "TM. ỦY BAN NHÂN DÂN"
HEAD_TITLE = "Chủ tịch"
DEPUTY_TITLE = "Phó Chủ tịch"


def block(signer, delegation=None):
    """The signature block as stored on the issued document and printed on it."""
    if delegation is None:
        return {"authority": [COLLECTIVE], "title": (signer.title or HEAD_TITLE).upper(), "name": signer.full_name}
    head = delegation.delegator
    return {"authority": [COLLECTIVE, f"KT. {(head.title or HEAD_TITLE).upper()}"],
            "title": (signer.title or DEPUTY_TITLE).upper(), "name": signer.full_name,
            "delegation": {"id": delegation.id, "from": head.full_name, "from_title": head.title or HEAD_TITLE,
                           "until": delegation.ends_on.isoformat()}}


def title_line(signed_as):
    """"KT. CHỦ TỊCH – PHÓ CHỦ TỊCH" for the register and lists: the authority after TM., and the title."""
    parts = [line for line in signed_as.get("authority", []) if line != COLLECTIVE] + [signed_as.get("title", "")]
    return " – ".join(p for p in parts if p)
