"""The draft Quyết định khen thưởng of the ward's People's Committee (Decree 30/2020/NĐ-CP layout, as the
ward's other documents): its căn cứ lines, Điều 1–3, "Nơi nhận", the chairman's signature block, and the
approved collectives and individuals as its annex. A draft: marked DỰ THẢO, number and day left blank for
the register (the issuance of a QĐ by the register is not built yet)."""
from werkzeug.exceptions import Conflict, Forbidden

from ..documents import pdf
from ..documents.builders import ROMAN, blank_number, citation, slug, unbroken, ward_letterhead
from ..formats import decree_short_date
from ..wards import of_user
from . import services

NOTHING_APPROVED = "Chưa có tập thể, cá nhân nào được Chủ tịch phê duyệt khen thưởng trong kỳ {period}."
NOT_OVERSEER = "Chỉ Văn phòng, người thẩm định và lãnh đạo phường xem dự thảo quyết định khen thưởng."
TYPE = "QĐ"
BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Thi đua, khen thưởng;",
)


def context(user, period):
    ward, plan = of_user(user), period.plan
    drafter = ward.consolidating_unit
    number = blank_number(TYPE, "UBND")
    rows = services.commended([period.id])
    head = ward_letterhead(ward, number, None, period.due_date.year, True,
                           recipients=["Như Điều 3", "Chủ tịch, các Phó Chủ tịch UBND phường",
                                       "Trung tâm sự nghiệp công phường (để tuyên truyền)"])
    subject = unbroken(f"Về việc khen thưởng tập thể, cá nhân có thành tích trong công tác cải cách hành chính "
                       f"{period.name}", period.name)
    collectives = [r for r in rows if r.kind == "collective"]
    individuals = [r for r in rows if r.kind == "individual"]
    groups = [(title, found) for title, found in (("TẬP THỂ", collectives), ("CÁ NHÂN", individuals)) if found]
    return {
        **head, "period": period, "plan": plan, "subject": subject, "rows": rows,
        "whom": " và ".join(f"{len(found)} {title.lower()}" for title, found in groups),
        "groups": [(f"{ROMAN[i]}. {title}", found) for i, (title, found) in enumerate(groups)],
        "bases": [*BASES, f"Căn cứ Kế hoạch số {plan.number} ngày {decree_short_date(plan.issued_on)} của "
                          f"{plan.issuer} về cải cách hành chính gắn với công tác thi đua, khen thưởng;",
                  f"Căn cứ kết quả chấm điểm, xếp hạng cải cách hành chính {period.name} đã được phê duyệt;",
                  f"Theo đề nghị của {drafter.name if drafter else 'bộ phận làm công tác thi đua, khen thưởng'}."],
        "citation": citation("Quyết định", number, None, period.due_date.year, ward.committee),
        "signature": {"authority": ["TM. ỦY BAN NHÂN DÂN"], "title": plan.signer_title.upper(),
                      "name": plan.signer_name},
    }


def render(user, period):
    """(PDF bytes, file name); 403 for those who do not oversee, 409 while nobody is approved."""
    if not services.may_oversee(user):
        raise Forbidden(NOT_OVERSEER)
    data = context(user, period)
    if not data["rows"]:
        raise Conflict(NOTHING_APPROVED.format(period=period.name))
    body = pdf.render("pdf/commendation.html", data, annexes=("pdf/annex_commended.html",))
    return body, f"du-thao-quyet-dinh-khen-thuong-CCHC-{slug(period.name)}.pdf"
