"""The signed final PDF, read back with the real tools: pyHanko's validation, poppler (pdfsig, pdffonts,
pdftotext -bbox, pdfimages) and the "Kiểm tra chữ ký" pages.

One world per module: the Phù Liễn plan and accounts, Quý III/2025 opened, its consolidated report
drafted and recorded as issued (number and date written on the row: this module is about signing the
rendered document, not the acceptance steps), a DEMO certificate made by certificate.ensure_demo, the
report rendered once with render_located and signed once. No mocks."""
import functools
import io
import re
import subprocess
import unicodedata
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from PIL import Image
from asn1crypto import cms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from workflow.consolidated import services as consolidation
from workflow.documents import builders, certificate, final, signing
from workflow.documents.pdf import Box, render, render_located
from workflow.extensions import db, limiter
from workflow.items import states
from workflow.models import ConsolidatedReport
from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts

from .conftest import make_app
from .items_support import open_q3, ready, user

NUMBER = "245/BC-UBND"
ORGANISATION = "UBND phường Phù Liễn"
WHEN = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)
UPLOAD_MAX_MB = 1  # the limit the upload tests cross (the app's default is 20 MB)


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def world(tmp_path_factory, demo_hash):
    tmp = tmp_path_factory.mktemp("signing")
    app = make_app(tmp, UPLOAD_MAX_MB=UPLOAD_MAX_MB)
    with app.app_context():
        db.drop_all()
        db.create_all()
        limiter.reset()
        load_plan()
        seed_demo_accounts(password_hash=demo_hash)
        certificate.ensure_demo(app.instance_path, ORGANISATION)
        report = consolidation.prefill(user("thamdinh"), open_q3())
        states.perform(user("thamdinh"), ready(report), "submit", report.version)
        report.state, report.doc_number, report.doc_date = states.ACCEPTED, NUMBER, date(2025, 12, 5)
        db.session.commit()
        doc = builders.consolidated_document(report)
        unsigned, box = render_located(doc.template, doc.context, doc.annexes)
        config = signing.SigningConfig.from_app(app)
        signature = doc.context["signature"]
        signed = signing.sign(unsigned, signer_name=signature["name"], signer_title=signature["title"],
                              organisation=ORGANISATION, when=WHEN, box=box, config=config)
        # The stored final file, as final.py keeps it, for the report's own verify page.
        report.pdf_file, report.pdf_sha256 = "signed-test.pdf", signing.sha256(signed)
        with open(final.path_of(report), "wb") as fh:
            fh.write(signed)
        db.session.commit()
        out = SimpleNamespace(app=app, tmp=tmp, report_id=report.id, unsigned=unsigned, signed=signed, box=box,
                              config=config, title=signature["title"], name=signature["name"],
                              plain=render(doc.template, doc.context, doc.annexes))
        out.path = tmp / "signed.pdf"
        out.path.write_bytes(signed)
        db.session.remove()
    try:
        yield out
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def signed_in(app, username="chutich"):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code in (302, 303), response.text
    return client


def byte_range(data):
    return [int(v) for v in re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data).groups()]


def field_of(data):
    reader = PdfFileReader(io.BytesIO(data))
    fields = [f.get_object() for f in reader.root["/AcroForm"]["/Fields"]]
    return reader, next(f for f in fields if f["/T"] == signing.FIELD_NAME)


# --- what pyHanko and poppler say of the signed file ---------------------------------------------------

def test_render_located_keeps_render_unchanged_and_finds_the_space(world):
    assert world.unsigned.startswith(b"%PDF-")
    plain = world.tmp / "plain.pdf"
    plain.write_bytes(world.plain)
    unsigned = world.tmp / "unsigned.pdf"
    unsigned.write_bytes(world.unsigned)
    assert run("pdftotext", "-layout", str(unsigned), "-") == run("pdftotext", "-layout", str(plain), "-")
    box = world.box
    assert isinstance(box, Box) and box.page_index >= 0
    assert box.height == pytest.approx(24 * 72 / 25.4, abs=0.5)  # .signature .space { height: 24mm }
    assert 297 < box.x < 595 - 15 * 72 / 25.4 and box.width > 150  # the right-hand column of the closing


def test_pyhanko_says_intact_trusted_and_signed_by_the_demo_certificate(world):
    reader = PdfFileReader(io.BytesIO(world.signed))
    (embedded,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=signing.trusted_roots(world.config), allow_fetching=False)
    # pyHanko's own event loop, in a thread when one already runs here (after the browser tests)
    status = signing.outside_event_loop(
        functools.partial(validate_pdf_signature, embedded, context, key_usage_settings=signing.KEY_USAGE))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == certificate.signer_name(ORGANISATION)
    assert status.md_algorithm == "sha256"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert embedded.field_name == signing.FIELD_NAME

    verdict = signing.verify(world.signed, world.config)
    assert (verdict.signed, verdict.intact, verdict.trusted, verdict.count) == (True, True, True, 1)
    assert verdict.signer == "DEMO - UBND phường Phù Liễn"
    assert verdict.signed_at == WHEN
    assert verdict.message == (f"Văn bản còn nguyên vẹn, được ký bởi DEMO - UBND phường Phù Liễn "
                               f"lúc {signing.ward_time(WHEN)}.")


def test_the_signature_chains_to_no_root_it_carries(world):
    """Only the signer's certificate is in the file: a root there would be bytes nothing checks."""
    (embedded,) = PdfFileReader(io.BytesIO(world.signed)).embedded_signatures
    names = [c.chosen.subject.native["common_name"] for c in embedded.signed_data["certificates"]]
    assert names == [certificate.signer_name(ORGANISATION)]


def test_pdfsig_lists_exactly_one_valid_signature(world):
    out = run("pdfsig", str(world.path))
    assert out.count("Signature #") == 1
    assert f"Signature Field Name: {signing.FIELD_NAME}" in out
    assert "Signer Certificate Common Name: DEMO - UBND phường Phù Liễn" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    assert "Total document signed" in out and "Signature is Valid" in out


def test_the_visible_signature_lies_between_the_title_and_the_name(world):
    reader, field = field_of(world.signed)
    rect = [float(v) for v in field["/Rect"]]
    box = world.box
    assert rect == pytest.approx([box.x, box.y, box.x + box.width, box.y + box.height], abs=0.01)
    page = _pages(reader)[box.page_index].get_object()  # the widget sits on the page the space is on
    assert any(a.get_object().get("/T") == signing.FIELD_NAME for a in page.get("/Annots", []))

    xhtml = run("pdftotext", "-bbox", "-f", str(box.page_index + 1), "-l", str(box.page_index + 1), str(world.path), "-")
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', xhtml).group(1))
    words = [(w, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xhtml)]
    top, bottom = height - rect[3], height - rect[1]  # the rectangle, in pdftotext's top-left origin
    title_last = world.title.split()[-1]
    name_last = world.name.split()[-1]
    title = [w for w in words if w[0] == title_last and w[4] <= top + 0.5]
    name = [w for w in words if w[0] == name_last and w[2] >= bottom - 0.5]
    assert title and name, (title_last, name_last, words[-12:])
    title_word, name_word = max(title, key=lambda w: w[4]), min(name, key=lambda w: w[2])
    assert top - title_word[4] < 20 and name_word[2] - bottom < 20  # right under the title, right above the name
    for word in (title_word, name_word):  # and in the same column
        assert rect[0] - 1 <= word[1] and word[3] <= rect[2] + 1, word


def _pages(reader):
    def walk(node):
        for kid in node["/Kids"]:
            obj = kid.get_object()
            if obj["/Type"] == "/Pages":
                yield from walk(obj)
            else:
                yield kid
    return list(walk(reader.root["/Pages"]))


def test_the_stamp_text_is_liberation_serif_embedded_no_dejavu(world):
    rows = [line.split() for line in run("pdffonts", str(world.path)).splitlines()[2:]]
    names = [row[0] for row in rows]
    assert any(re.fullmatch(r"[A-Z]{6}\+LiberationSerif(-Identity-H)?", n) for n in names), names
    assert not any("DejaVu" in n for n in names), names
    assert all(row[-5] == "yes" for row in rows), rows  # every font embedded
    # Widths in thousandths of an em, as PDF reads them (a 2,048-unit font written raw doubled the spacing).
    _, field = field_of(world.signed)
    font = _appearance_font(field)
    widths = [w for entry in font["/DescendantFonts"][0].get_object()["/W"] if isinstance(entry, list) for w in entry]
    assert widths and max(widths) <= 1000, widths


def _appearance_font(field):
    appearance = field["/AP"]["/N"]
    fonts = appearance["/Resources"].get("/Font") or {}
    for form in appearance["/Resources"].get("/XObject", {}).values():
        fonts = fonts or form.get_object().get("/Resources", {}).get("/Font", {})
    (font,) = [f.get_object() for f in fonts.values()]
    return font


def test_the_stamp_says_who_which_body_and_when_in_vietnamese(world):
    """pdftotext reads the appearance's text back through the embedded font's Unicode map."""
    page = str(world.box.page_index + 1)
    text = unicodedata.normalize("NFC", run("pdftotext", "-f", page, "-l", page, str(world.path), "-"))
    lines = [line.strip() for line in text.splitlines()]
    stamp = [world.name, ORGANISATION, signing.ward_time(WHEN)]
    start = lines.index(stamp[0])
    assert lines[start:start + 3] == stamp, lines
    assert lines.count(world.name) == 2  # in the stamp, and the name under it
    assert signing.ward_time(WHEN).endswith("+07:00")


def test_the_appearance_carries_the_seal_and_signature_images(world):
    listing = run("pdfimages", "-list", "-f", str(world.box.page_index + 1), "-l", str(world.box.page_index + 1),
                  str(world.path)).splitlines()[2:]
    kinds = [line.split()[2] for line in listing]
    assert "image" in kinds and "smask" in kinds  # transparent: drawn with a soft mask over the page


def test_compose_centres_the_signature_and_lays_the_seal_over_its_left_third():
    signature = Image.new("RGBA", (300, 100), (20, 50, 170, 255))
    seal = Image.new("RGBA", (100, 100), (218, 37, 29, 255))
    nothing = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    alone = signing.compose_images(signature, nothing, 234, 68).getchannel("A").getbbox()
    both = signing.compose_images(signature, seal, 234, 68)
    width = both.width
    sig_left, _, sig_right, _ = alone
    assert abs((sig_left + sig_right) / 2 - width / 2) <= 1  # the signature centred in the space
    reds = [x for x in range(width) if both.getpixel((x, both.height // 2))[:3] == (218, 37, 29)]
    assert min(reds) < sig_left < max(reds) < sig_right  # the seal over the signature's left part
    covered = (max(reds) + 1 - sig_left) / (sig_right - sig_left)
    assert 0.25 <= covered <= 0.45, covered  # about a third


# --- what verify() says of altered, re-saved and unsigned files ---------------------------------------

def flipped(data, position, mask=0xFF):
    out = bytearray(data)
    out[position] ^= mask
    return bytes(out)


def positions(data):
    """Places in the file, by what is there. In the /Contents hex string (from `first`, the "<"), the
    character at first + 1 + 2k + 1 is the low digit of the container's byte k."""
    start, first, second, length = byte_range(data)
    der_end = data.index(b"0" * 64, first)
    der = bytes.fromhex(data[first + 1:der_end].decode())
    cert = cms.ContentInfo.load(der)["content"]["certificates"][0].chosen.dump()
    signer_info = der.index(cert) + len(cert) + 8  # after the SET and SEQUENCE headers (4 bytes each)
    return {
        "container length": first + 1 + 2 * 2 + 1,  # 30 82 [06] a0: the outer length, into the padding
        "signed data version": first + 1 + 2 * 25 + 1,  # 02 01 [01]
        "signer info version tag": first + 1 + 2 * signer_info + 1,  # [02] 01 01
        "signer info version": first + 1 + 2 * (signer_info + 2) + 1,  # 02 01 [01]

        "header": 0, "first page": len(data) // 5, "middle": len(data) // 2,
        "byte range numbers": data.index(b"/ByteRange") + 12,
        "signature value (DER)": (first + der_end) // 2, "digest algorithm OID": first + 80,
        "contents padding": der_end + 50, "contents last digit": second - 2,
        "after the signature": second + 10, "trailer": len(data) - 20, "last byte": len(data) - 1,
    }


@pytest.mark.parametrize("where", ["header", "first page", "middle", "byte range numbers", "signature value (DER)",
                                   "container length", "signed data version", "signer info version tag",
                                   "signer info version", "digest algorithm OID", "contents padding",
                                   "contents last digit", "after the signature", "trailer", "last byte"])
@pytest.mark.parametrize("mask", [0x01, 0xFF])
def test_one_flipped_byte_anywhere_says_altered(world, where, mask):
    data = flipped(world.signed, positions(world.signed)[where], mask)
    verdict = signing.verify(data, world.config)
    assert verdict.signed and not verdict.intact
    assert verdict.message == signing.ALTERED


def test_a_hex_letter_of_the_contents_in_the_other_case_says_altered(world):
    """'a' and 'A' read as the same byte: pyHanko sees the same signature, but the file is not the one signed."""
    _, first, second, _ = byte_range(world.signed)
    position = next(i for i in range(first + 1, second) if world.signed[i:i + 1].isalpha())
    verdict = signing.verify(flipped(world.signed, position, 0x20), world.config)
    assert not verdict.intact and verdict.message == signing.ALTERED


def test_the_signers_issuer_name_in_another_case_says_altered(world):
    """Certificate names compare case-insensitively, so 'DEMO CA' → 'dEMO CA' where the signature names
    its certificate (outside what is signed) still finds it; the file is still not the one signed."""
    _, first, _, _ = byte_range(world.signed)
    der_end = world.signed.index(b"0" * 64, first)
    der = bytes.fromhex(world.signed[first + 1:der_end].decode())
    cert = cms.ContentInfo.load(der)["content"]["certificates"][0].chosen.dump()
    name = der.index(b"DEMO CA", der.index(cert) + len(cert))  # in the signer info's issuerAndSerialNumber
    position = first + 1 + 2 * name  # the high hex digit of "D" (0x44): "4" → "6" makes it "d" (0x64)
    assert world.signed[position:position + 2] == b"44"
    verdict = signing.verify(flipped(world.signed, position, 0x02), world.config)
    assert not verdict.intact and verdict.message == signing.ALTERED


@pytest.mark.parametrize("damage", ["cut in half", "cut before the signature", "zeroed middle", "no end"])
def test_a_damaged_file_says_altered_never_raises(world, damage):
    data = world.signed
    _, first, _, _ = byte_range(data)
    damaged = {"cut in half": data[:len(data) // 2], "cut before the signature": data[:first - 200],
               "zeroed middle": data[:1000] + bytes(len(data) - 2000) + data[-1000:],
               "no end": data[:-400]}[damage]
    verdict = signing.verify(damaged, world.config)
    assert not verdict.intact and "đã bị thay đổi" in verdict.message


def test_an_update_saved_after_signing_is_not_the_signed_file(world):
    writer = IncrementalPdfFileWriter(io.BytesIO(world.signed))
    page_ref, _ = writer.find_page_for_modification(0)
    note = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (100, 700, 120, 720)]),
        generic.NameObject("/Contents"): generic.TextStringObject("Sửa sau khi ký"),
    }))
    writer.register_annotation(page_ref, note)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert data.startswith(world.signed) and len(data) > len(world.signed)

    verdict = signing.verify(data, world.config)
    assert verdict.signed and not verdict.intact and verdict.count == 1
    assert "đã có thay đổi sau khi ký" in verdict.message
    assert verdict.signer == certificate.signer_name(ORGANISATION)
    path = world.tmp / "updated.pdf"
    path.write_bytes(data)
    assert "Total document signed" not in run("pdfsig", str(path))


def test_an_unsigned_pdf_has_no_digital_signature(world):
    verdict = signing.verify(world.unsigned, world.config)
    assert (verdict.signed, verdict.intact, verdict.trusted, verdict.count) == (False, False, False, 0)
    assert verdict.message == "Tệp không có chữ ký số."


def test_a_certificate_from_another_ca_is_intact_but_not_trusted(world, tmp_path):
    other = certificate.ensure_demo(str(tmp_path), ORGANISATION)  # a second DEMO chain: another CA
    config = signing.SigningConfig(p12="", passphrase=None, ca=f"{other}/ca.pem", images="")
    verdict = signing.verify(world.signed, config)
    assert verdict.intact and not verdict.trusted
    assert "còn nguyên vẹn" in verdict.message and "không thuộc cơ quan chứng thực" in verdict.message


# --- signing refuses rather than issue an unsigned final file -----------------------------------------

def _sign(world, config):
    return signing.sign(world.unsigned, signer_name=world.name, signer_title=world.title, organisation=ORGANISATION,
                        when=WHEN, box=world.box, config=config)


def test_no_certificate_means_no_signing_with_a_vietnamese_reason(world, tmp_path):
    config = signing.SigningConfig(p12=str(tmp_path / "ward.p12"), passphrase="x", ca="", images=world.config.images)
    with pytest.raises(signing.SigningUnavailable, match="không tìm thấy chứng thư số"):
        _sign(world, config)


def test_a_wrong_passphrase_or_none_means_no_signing(world):
    wrong = signing.SigningConfig(p12=world.config.p12, passphrase="sai-mat-khau", ca="", images=world.config.images)
    with pytest.raises(signing.SigningUnavailable, match="sai mật khẩu"):
        _sign(world, wrong)
    missing = signing.SigningConfig(p12=world.config.p12, passphrase=None, ca="", images=world.config.images)
    with pytest.raises(signing.SigningUnavailable, match="SIGNING_PASSPHRASE"):
        _sign(world, missing)


def test_no_place_for_the_signature_means_no_signing(world):
    with pytest.raises(signing.SigningUnavailable, match="vị trí chữ ký"):
        signing.sign(world.unsigned, signer_name=world.name, signer_title=world.title, organisation=ORGANISATION,
                     when=WHEN, box=None, config=world.config)


def test_the_demo_passphrase_is_read_only_in_demo_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("SIGNING_PASSPHRASE", raising=False)
    certificate.ensure_demo(str(tmp_path), ORGANISATION)
    written = (tmp_path / "signing" / certificate.PASSPHRASE_FILE).read_text().strip()
    app = SimpleNamespace(config={"DEMO_MODE": True}, instance_path=str(tmp_path))  # what passphrase() reads
    assert written and certificate.passphrase(app) == written
    app.config["DEMO_MODE"] = False
    assert certificate.passphrase(app) is None  # production never reads a passphrase from disk
    monkeypatch.setenv("SIGNING_PASSPHRASE", "tu-moi-truong")
    assert certificate.passphrase(app) == "tu-moi-truong"


def test_ensure_demo_keeps_what_is_there(tmp_path):
    folder = certificate.ensure_demo(str(tmp_path), ORGANISATION)
    before = {name: (tmp_path / "signing" / name).read_bytes() for name in ("ward.p12", "ca.pem", "seal.png")}
    certificate.ensure_demo(str(tmp_path), ORGANISATION)
    assert {name: (tmp_path / "signing" / name).read_bytes() for name in before} == before
    assert folder.endswith("signing")
    ca = (tmp_path / "signing" / "ca.pem").read_bytes()
    assert b"BEGIN CERTIFICATE" in ca


def test_ward_time_is_vietnam_time_with_its_offset():
    assert signing.ward_time(datetime(2025, 12, 5, 2, 30, 5)) == "05/12/2025 09:30:05 +07:00"  # naive = UTC
    assert signing.ward_time(datetime(2025, 12, 5, 23, 0, tzinfo=timezone.utc)) == "06/12/2025 06:00:00 +07:00"


# --- the "Kiểm tra chữ ký" pages -----------------------------------------------------------------------

def upload(client, data, name="van-ban.pdf"):
    return client.post("/documents/verify", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_verify_page_asks_for_a_pdf(world):
    client = signed_in(world.app, "kthtdt")
    response = client.get("/documents/verify")
    assert response.status_code == 200
    assert "Kiểm tra chữ ký số" in response.text and 'type="file"' in response.text
    anonymous = world.app.test_client().get("/documents/verify")
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["Location"]


def test_uploading_the_signed_file_says_intact_who_and_when(world):
    response = upload(signed_in(world.app, "kthtdt"), world.signed)
    assert response.status_code == 200
    text = response.text
    assert "Văn bản còn nguyên vẹn, được ký bởi DEMO - UBND phường Phù Liễn" in text
    assert signing.ward_time(WHEN) in text
    assert signing.sha256(world.signed) in text
    assert "Còn nguyên vẹn như khi ký" in text


def test_uploading_an_altered_file_says_so(world):
    data = flipped(world.signed, len(world.signed) // 2)
    response = upload(signed_in(world.app, "kthtdt"), data)
    assert response.status_code == 200
    assert "Tệp đã bị thay đổi sau khi ký: chữ ký không còn hợp lệ." in response.text
    assert signing.sha256(data) in response.text


def test_uploading_an_unsigned_pdf_says_it_has_no_signature(world):
    response = upload(signed_in(world.app, "kthtdt"), world.unsigned)
    assert response.status_code == 200 and "Tệp không có chữ ký số." in response.text


@pytest.mark.parametrize("data, name, status, message", [
    (b"Xin chao, day khong phai PDF", "ghi-chu.pdf", 422, "Tệp không phải là tệp PDF"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "anh.png", 422, "Tệp không phải là tệp PDF"),
    (b"%PDF-1.7\n" + bytes(UPLOAD_MAX_MB * 1024 * 1024), "lon.pdf", 413, f"tối đa {UPLOAD_MAX_MB} MB"),
    (b"%PDF-1.7\n" + bytes((UPLOAD_MAX_MB + 2) * 1024 * 1024), "rat-lon.pdf", 413, f"tối đa {UPLOAD_MAX_MB} MB"),
], ids=["text", "png", "over the limit", "over the request limit"])
def test_refused_uploads_say_why_beside_the_field(world, data, name, status, message):
    response = upload(signed_in(world.app, "kthtdt"), data, name)
    assert response.status_code == status
    errors = re.search(r'<ul class="errors" id="verify-file-errors">(.*?)</ul>', response.text, re.S)
    assert errors and message in errors.group(1), response.text[-2000:]


def test_a_post_without_a_file_asks_for_one(world):
    response = signed_in(world.app, "kthtdt").post("/documents/verify", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Vui lòng chọn tệp PDF cần kiểm tra." in response.text


def test_the_stored_final_file_of_the_report_is_checked(world):
    client = signed_in(world.app, "chutich")
    response = client.get(f"/documents/consolidated/{world.report_id}/verify")
    assert response.status_code == 200
    text = response.text
    assert "Văn bản còn nguyên vẹn, được ký bởi DEMO - UBND phường Phù Liễn" in text
    assert NUMBER in text and "(khớp)" in text and signing.sha256(world.signed) in text
    assert client.get("/documents/consolidated/999999/verify").status_code == 404


def test_a_report_not_issued_has_no_final_file_to_check(world):
    with world.app.app_context():
        report = db.session.get(ConsolidatedReport, world.report_id)
        report.state = states.SUBMITTED
        db.session.commit()
    try:
        response = signed_in(world.app, "chutich").get(f"/documents/consolidated/{world.report_id}/verify")
        assert response.status_code == 404
    finally:
        with world.app.app_context():
            report = db.session.get(ConsolidatedReport, world.report_id)
            report.state = states.ACCEPTED
            db.session.commit()
            db.session.remove()
