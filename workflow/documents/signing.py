"""The ward's digital signature on a final PDF (PAdES baseline B-B, pyHanko) and its verification.

sign() puts one signature over the whole file, with the visible appearance of Decree 30/2020,
Appendix I: the signer's signature image (blue) centred in the space between the title and the name,
the organisation's seal (red) over its left third, and the signer, the organisation and the signing
time in 10 pt Liberation Serif. verify() reads any uploaded PDF back and says, in one Vietnamese
sentence, whether it is the signed file unchanged, who signed it and when, and whether the
certificate chains to the CA the ward trusts.

The certificate, its passphrase, the trusted CA and the images come from the app's configuration
(SigningConfig.from_app); certificate.ensure_demo makes DEMO ones for trying the app.
"""
import asyncio
import functools
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from asn1crypto import cms, pem, x509
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import ttProgram
from fontTools.ttLib.scaleUpem import scale_upem
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import KeyUsageConstraints, SignatureCoverageLevel, validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..formats import WARD_TIMEZONE
from . import certificate


FIELD_NAME = "ChuKyLanhDao"
WARD_TZ = ZoneInfo(WARD_TIMEZONE)
STAMP_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
TEXT_PT = 10
PX_PER_PT = 4  # resolution of the images composed into the appearance (288 dpi)

UNAVAILABLE = "Chưa ký số được văn bản: {reason} Văn bản chưa được ban hành; liên hệ quản trị hệ thống."
ALTERED = "Tệp đã bị thay đổi sau khi ký: chữ ký không còn hợp lệ."
UNREADABLE = "Tệp đã bị thay đổi hoặc bị hỏng: không đọc được nội dung PDF."
UNSIGNED = "Tệp không có chữ ký số."
# Raw markers of a signature dictionary: a file altered until pyHanko finds no signature field in it
# is still a signed file that was altered, not an unsigned one (no single byte hides them all).
SIGNATURE_MARKERS = (b"/ByteRange", b"/ETSI.CAdES.detached", b"/adbe.pkcs7", b"/Type /Sig", b"/Type/Sig")


class SigningUnavailable(RuntimeError):
    """The document cannot be signed (no certificate, wrong passphrase, missing image): the caller
    shows the message and issues nothing; an unsigned file is never stored as the final document."""


# --- configuration -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SigningConfig:
    p12: str              # the ward's certificate and key (PKCS#12)
    passphrase: str | None
    ca: str               # PEM of the CA (or CAs) whose certificates verify() trusts
    images: str           # folder with seal.png and signature-<username>.png / signature.png

    @classmethod
    def from_app(cls, app):
        folder = certificate.signing_dir(app.instance_path)
        return cls(p12=app.config.get("SIGNING_P12") or os.path.join(folder, "ward.p12"),
                   passphrase=certificate.passphrase(app),
                   ca=app.config.get("SIGNING_CA") or os.path.join(folder, "ca.pem"),
                   images=app.config.get("SIGNING_IMAGES") or folder)

    def signature_image(self, username=None):
        own = username and os.path.join(self.images, f"signature-{username}.png")
        return own if own and os.path.isfile(own) else os.path.join(self.images, "signature.png")

    def seal_image(self):
        return os.path.join(self.images, "seal.png")


def _unavailable(reason):
    return SigningUnavailable(UNAVAILABLE.format(reason=reason))


def load_signer(config):
    """The SimpleSigner of the ward's certificate. Only the signer's certificate and intermediate CAs
    go into the signature, never a root: a root copy in the file would be bytes nobody checks."""
    if not os.path.isfile(config.p12):
        raise _unavailable(f"không tìm thấy chứng thư số của cơ quan ({config.p12}).")
    if not config.passphrase:
        raise _unavailable("chưa cấu hình mật khẩu chứng thư số (biến môi trường SIGNING_PASSPHRASE).")
    with open(config.p12, "rb") as fh:
        data = fh.read()
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, (), passphrase=config.passphrase.encode())
    except ValueError:
        raise _unavailable("không mở được chứng thư số (sai mật khẩu hoặc tệp hỏng).") from None
    chain = SimpleCertificateStore()
    chain.register_multiple(c for c in signer.cert_registry if c.subject != c.issuer)
    return signers.SimpleSigner(signing_key=signer.signing_key, signing_cert=signer.signing_cert, cert_registry=chain)


def trusted_roots(config):
    """The CA certificates of the PEM file; none when it is missing (nothing is then trusted)."""
    if not os.path.isfile(config.ca):
        return []
    with open(config.ca, "rb") as fh:
        data = fh.read()
    if not pem.detect(data):
        return [x509.Certificate.load(data)]
    return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]


# --- signing -------------------------------------------------------------------------------------------

def ward_time(when):
    """dd/mm/yyyy hh:mm:ss +07:00 (naive times are UTC, as the app stores them)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    local = when.astimezone(WARD_TZ)
    offset = local.strftime("%z")
    return local.strftime("%d/%m/%Y %H:%M:%S ") + f"{offset[:3]}:{offset[3:]}"


def _open_image(path, what):
    try:
        with Image.open(path) as img:
            return img.convert("RGBA")
    except (OSError, ValueError):
        raise _unavailable(f"không đọc được hình ảnh {what} ({path}).") from None


def _fit(img, width, height):
    scale = min(width / img.width, height / img.height)
    return img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.LANCZOS)


def compose_images(signature, seal, width_pt, height_pt):
    """One transparent picture of the space: the signature centred (at most 60 % of the width), the
    seal as high as the space lets it be, its centre over the first sixth of the signature so that
    it covers about the left third (Decree 30, Appendix I)."""
    w, h = round(width_pt * PX_PER_PT), round(height_pt * PX_PER_PT)
    canvas = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    sig = _fit(signature, w * 0.6, h * 0.9)
    sig_x, sig_y = (w - sig.width) // 2, (h - sig.height) // 2
    canvas.alpha_composite(sig, (sig_x, sig_y))
    stamp = _fit(seal, h, h)
    seal_x = max(0, round(sig_x + sig.width / 6 - stamp.width / 2))
    canvas.alpha_composite(stamp, (seal_x, (h - stamp.height) // 2))
    return canvas


def stamp_font(source=STAMP_FONT):
    """The stamp's font as pyHanko can write it: pyHanko 0.38 puts a TrueType font's widths into the
    PDF in the font's own units, which PDF reads as thousandths of an em, so Liberation Serif (2,048
    units an em) came out with every letter twice as far apart. A copy scaled to 1,000 units an em
    is drawn exactly as the original; it is made once and kept in the temporary folder."""
    with open(source, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()[:16]
    target = os.path.join(tempfile.gettempdir(), f"cchc-stamp-{digest}-upem1000.ttf")
    if os.path.isfile(target):
        return target
    font = TTFont(source)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    for table in ("FFTM", "fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX"):  # hints and caches of the old grid
        if table in font:
            del font[table]
    if "glyf" in font:
        for name in font.getGlyphOrder():
            glyph = font["glyf"][name]
            if hasattr(glyph, "program"):
                glyph.program = ttProgram.Program()
                glyph.program.fromBytecode(b"")
    part = f"{target}.{os.getpid()}.part"
    font.save(part)
    os.replace(part, target)  # several workers may make it at once: each replaces it whole
    return target


def stamp_style(config, username, box):
    picture = compose_images(_open_image(config.signature_image(username), "chữ ký"),
                             _open_image(config.seal_image(), "con dấu"), box.width, box.height)
    text = TextBoxStyle(font=GlyphAccumulatorFactory(stamp_font(), font_size=TEXT_PT), font_size=TEXT_PT,
                        leading=TEXT_PT + 2, box_layout_rule=layout.SimpleBoxLayoutRule(
                            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN,
                            margins=layout.Margins.uniform(0)))
    return TextStampStyle(
        stamp_text="%(signer)s\n%(organisation)s\n%(time)s", text_box_style=text, border_width=0,
        background=PdfImage(picture, box=layout.BoxConstraints(box.width, box.height)), background_opacity=1,
        background_layout=layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                                     y_align=layout.AxisAlignment.ALIGN_MID,
                                                     margins=layout.Margins.uniform(0)),
        # The text at the bottom right, over the tail of the signature, clear of the seal.
        inner_content_layout=layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MAX,
                                                        y_align=layout.AxisAlignment.ALIGN_MIN,
                                                        margins=layout.Margins(0, 2, 1, 0)))


class _SignerAt(signers.PdfSigner):
    """pyHanko takes the signing time from the clock; the document says `when`, so does the signature."""

    def __init__(self, *args, at, **kwargs):
        super().__init__(*args, **kwargs)
        self._at = at

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._at
        return session


def _nfc(text):
    return unicodedata.normalize("NFC", text or "")


def sign(pdf_bytes, *, signer_name, signer_title, organisation, when, box, config, username=None):
    """The PDF signed with the ward's certificate, its appearance in `box` (pdf.Box, points from the
    bottom left of page box.page_index). Raises SigningUnavailable when it cannot be signed."""
    if box is None:
        raise _unavailable("không tìm thấy vị trí chữ ký trên văn bản.")
    signer = load_signer(config)
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        name=_nfc(signer_name), location=_nfc(organisation), reason=_nfc(f"{signer_title} ký ban hành văn bản"))
    field = fields.SigFieldSpec(FIELD_NAME, on_page=box.page_index,
                                box=(box.x, box.y, box.x + box.width, box.y + box.height))
    pdf_signer = _SignerAt(meta, signer, at=when, stamp_style=stamp_style(config, username, box), new_field_spec=field)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    out = outside_event_loop(functools.partial(pdf_signer.sign_pdf, writer, appearance_text_params={
        "signer": _nfc(signer_name), "organisation": _nfc(organisation), "time": ward_time(when)}))
    return out.getvalue()


def outside_event_loop(call):
    """pyHanko's synchronous API runs its own event loop (asyncio.run): from a thread that already runs
    one (a caller driving Playwright, an async server) the call goes to a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


# --- verification --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    signed: bool
    intact: bool
    trusted: bool
    signer: str | None
    signed_at: datetime | None
    count: int
    message: str

    @property
    def signed_at_text(self):
        return ward_time(self.signed_at) if self.signed_at else ""


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def verify(pdf_bytes, config):
    """What a PDF's signatures say, never an exception: any file that cannot be read or checked is
    reported as altered (when it bears signs of a signature) or unreadable."""
    looks_signed = any(marker in pdf_bytes for marker in SIGNATURE_MARKERS)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001  (a damaged file: any parser error means the same thing)
        return Verdict(looks_signed, False, False, None, None, 0, ALTERED if looks_signed else UNREADABLE)
    if not embedded:
        if looks_signed:
            return Verdict(True, False, False, None, None, 0, ALTERED)
        return Verdict(False, False, False, None, None, 0, UNSIGNED)
    try:
        return _judge(pdf_bytes, embedded, config)
    except Exception:  # noqa: BLE001
        return Verdict(True, False, False, None, None, len(embedded), ALTERED)


def _validation_context(config):
    # No fetching: the ward's servers reach no OCSP or CRL server; a B-B signature carries none.
    return ValidationContext(trust_roots=trusted_roots(config), allow_fetching=False, revocation_mode="soft-fail")


KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)


def _validate(sig, config):
    return outside_event_loop(functools.partial(
        validate_pdf_signature, sig, _validation_context(config), key_usage_settings=KEY_USAGE))


def _judge(pdf_bytes, embedded, config):
    statuses = [_validate(sig, config) for sig in embedded]
    status = statuses[-1]  # the latest signature speaks for the file
    signer = status.signing_cert.subject.native.get("common_name")
    signed_at = status.signer_reported_dt
    count = len(embedded)
    sound = all(s.intact and s.valid for s in statuses) and all(_contents_untouched(pdf_bytes, e) for e in embedded)
    if not sound:
        return Verdict(True, False, False, signer, signed_at, count, ALTERED)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Verdict(True, False, status.trusted, signer, signed_at, count,
                       "Tệp đã có thay đổi sau khi ký (có nội dung được thêm vào sau chữ ký"
                       f"{' của ' + signer if signer else ''}): đây không còn là bản đã ký nguyên vẹn.")
    trusted = all(s.trusted and not s.revoked for s in statuses)
    when = f" lúc {ward_time(signed_at)}" if signed_at else ""
    if trusted:
        message = f"Văn bản còn nguyên vẹn, được ký bởi {signer}{when}."
    else:
        message = (f"Văn bản còn nguyên vẹn, được ký bởi {signer}{when}, nhưng chứng thư số không thuộc "
                   "cơ quan chứng thực mà hệ thống tin cậy.")
    return Verdict(True, True, trusted, signer, signed_at, count, message)


HEX = re.compile(rb"<([0-9a-fA-F]*)>\Z")


def _contents_untouched(pdf_bytes, sig):
    """The /Contents hex string, which the signature cannot cover, as a signer writes it: canonical DER
    of the signature container, then zeros only, all in one letter case. pyHanko reads past a changed
    padding byte, a letter whose case was flipped, a longer outer length, a wrong tag or number in a
    version field, a changed digest list or the case of a letter in the signer's issuer name; a file
    with any of them is not the file that was signed."""
    _, end_first, start_second, _ = (int(v) for v in sig.byte_range)
    match = HEX.match(pdf_bytes[end_first:start_second])
    if not match:
        return False
    digits = match.group(1)
    if digits != digits.lower() and digits != digits.upper():
        return False
    content = bytes.fromhex(digits.decode())
    if content != sig.pkcs7_content:
        return False
    used = len(cms.ContentInfo.load(content).dump())
    if any(content[used:]):
        return False
    if not _der(content[:used]):
        return False
    signed_data = cms.ContentInfo.load(content[:used], strict=True)["content"]
    return _versions_as_prescribed(signed_data) and _digests_declared(signed_data) and _signers_named_exactly(signed_data)


def _signers_named_exactly(signed_data):
    """Each signer names its certificate (issuer and serial number) outside what is signed, and
    certificate names match case-insensitively (RFC 5280): the issuer must be the certificate's own bytes."""
    certs = {(c.chosen.issuer.dump(), c.chosen.serial_number) for c in signed_data["certificates"]
             if c.name == "certificate"}
    for info in signed_data["signer_infos"]:
        sid = info["sid"]
        if sid.name == "issuer_and_serial_number" and (
                sid.chosen["issuer"].dump(), sid.chosen["serial_number"].native) not in certs:
            return False
    return True


def _der(data, start=0, end=None, depth=0):
    """Each element's children fill it exactly, with shortest-form lengths and no end-of-contents
    marker (DER). asn1crypto re-encoding would check the same, at a thousand times the cost."""
    end = len(data) if end is None else end
    pos = start
    while pos < end:
        tag = data[pos]
        if tag == 0 or tag & 0x1F == 0x1F or pos + 1 >= end or depth > 32:
            return False
        size, pos = data[pos + 1], pos + 2
        if size & 0x80:
            count = size & 0x7F
            if not 0 < count <= 4 or data[pos] == 0:
                return False
            size, pos = int.from_bytes(data[pos:pos + count], "big"), pos + count
            if size < 0x80:
                return False
        if pos + size > end or (tag & 0x20 and not _der(data, pos, pos + size, depth + 1)):
            return False
        pos += size
    return pos == end


def _versions_as_prescribed(signed_data):
    """RFC 5652, 5.1 and 5.3: the version numbers follow from what the container holds."""
    infos = list(signed_data["signer_infos"])
    for info in infos:
        if info["version"].native != ("v3" if info["sid"].name == "subject_key_identifier" else "v1"):
            return False
    certs = [c.name for c in signed_data["certificates"]] if signed_data["certificates"].native else []
    crls = [c.name for c in signed_data["crls"]] if signed_data["crls"].native else []
    if "other" in certs or "other" in crls:
        expected = "v5"
    elif "v2_attr_cert" in certs:
        expected = "v4"
    elif ("v1_attr_cert" in certs or any(i["version"].native == "v3" for i in infos)
          or signed_data["encap_content_info"]["content_type"].native != "data"):
        expected = "v3"
    else:
        expected = "v1"
    return signed_data["version"].native == expected


def _digests_declared(signed_data):
    """SignedData lists the digest algorithms its signers use (RFC 5652, 5.1) outside what is signed:
    a changed byte there (SHA-256 turned into SHA-384) leaves the signature valid, the file not."""
    def algorithms(items):
        return {(a["algorithm"].dotted, a["parameters"].dump()) for a in items}
    return algorithms(signed_data["digest_algorithms"]) == algorithms(
        info["digest_algorithm"] for info in signed_data["signer_infos"])
