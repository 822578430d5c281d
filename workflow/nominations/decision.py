"""The Quyết định khen thưởng of the ward's People's Committee as a document (Decree 30/2020/NĐ-CP layout,
as the ward's other documents): its căn cứ lines, Điều 1–3, "Nơi nhận", the signature block, and the
decision's frozen list of collectives and individuals as its annex. A draft is marked DỰ THẢO with the
number and the day left blank; once signed it carries the register's number, the day and the block as
signed."""
from ..documents import builders
from ..documents.builders import (COMMITTEE, ROMAN, blank_number, citation, place_date, recipient_lines, slug,
                                  unbroken)
from ..formats import decree_short_date
from ..wards import of_user
from .services import Commended

TYPE = "QĐ"
BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Thi đua, khen thưởng;",
)
RECIPIENTS = ["Như Điều 3", "Chủ tịch, các Phó Chủ tịch UBND phường",
              "Trung tâm sự nghiệp công phường (để tuyên truyền)"]


def context(user, decision):
    ward, period = of_user(user), decision.period
    plan = period.plan
    drafter = ward.consolidating_unit
    issued = decision.is_accepted and decision.doc_number
    number = decision.doc_number if issued else blank_number(TYPE, "UBND")
    day = decision.doc_date if issued else None
    rows = [Commended(r["kind"], r["name"], r["title"], r["achievement"], r["unit_name"]) for r in decision.rows]
    groups = [(title, found) for title, found in (("TẬP THỂ", [r for r in rows if r.kind == "collective"]),
                                                  ("CÁ NHÂN", [r for r in rows if r.kind == "individual"])) if found]
    signature = decision.signed_as if issued and decision.signed_as else {
        "authority": ["TM. ỦY BAN NHÂN DÂN"], "title": plan.signer_title.upper(), "name": plan.signer_name}
    return {
        "ward": ward, "issuer_top": COMMITTEE, "issuer": ward.full_name.upper(), "number": number,
        "place_date": place_date(ward.place, day, period.due_date.year), "is_draft": not issued,
        "recipients": recipient_lines(RECIPIENTS, drafter.symbol if drafter else None),
        "period": period, "plan": plan, "subject": unbroken(decision.summary, period.name), "rows": rows,
        "groups": [(f"{ROMAN[i]}. {title}", found) for i, (title, found) in enumerate(groups)],
        "bases": [*BASES, f"Căn cứ Kế hoạch số {plan.number} ngày {decree_short_date(plan.issued_on)} của "
                          f"{plan.issuer} về cải cách hành chính gắn với công tác thi đua, khen thưởng;",
                  f"Căn cứ kết quả chấm điểm, xếp hạng cải cách hành chính {period.name} đã được phê duyệt;",
                  f"Theo đề nghị của {drafter.name if drafter else 'bộ phận làm công tác thi đua, khen thưởng'}."],
        "articles": articles(ward, period, groups),
        "citation": citation("Quyết định", number, day, period.due_date.year, ward.committee),
        "signature": signature,
    }


def articles(ward, period, groups):
    """Điều 1–3 as (label, text), said the same in the PDF and the Word copy."""
    whom = " và ".join(f"{len(found)} {title.lower()}" for title, found in groups)
    return [
        ("Điều 1.", f"Tặng Giấy khen của Ủy ban nhân dân {ward.full_name} cho {whom} đã có thành tích trong công "
                    f"tác cải cách hành chính {period.name} (có danh sách kèm theo)."),
        ("Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký. Kinh phí khen thưởng thực hiện theo quy định hiện hành."),
        ("Điều 3.", "Chánh Văn phòng HĐND và UBND phường, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, "
                    "cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."),
    ]


def document(user, decision):
    """The builders.Document both the PDF and the Word copy are made from."""
    issued = bool(decision.is_accepted and decision.doc_number)
    period = slug(decision.period.name)
    name = (f"{slug(decision.doc_number)}-quyet-dinh-khen-thuong-CCHC-{period}" if issued
            else f"du-thao-quyet-dinh-khen-thuong-CCHC-{period}")
    return builders.Document("pdf/commendation.html", context(user, decision), annexes=("pdf/annex_commended.html",),
                             filename=name, final=issued)


def render(user, decision):
    """(PDF bytes, file name): the draft, or the issued decision with its number."""
    doc = document(user, decision)
    return builders.pdf_bytes(doc), f"{doc.filename}.pdf"
