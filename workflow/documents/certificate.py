"""A DEMO certificate chain and signature images, so the signing of final documents can be tried and
tested without the ward's real certificate.

Everything made here says DEMO in its name and must never stand in for the ward's certificate: a real
deployment puts the certificate issued by a licensed CA (PKCS#12), the CA's certificate and the scanned
seal and signature images in instance/signing/ instead (signing.SigningConfig names the files).
"""
import math
import os
import random
import secrets
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image, ImageDraw, ImageFont

CA_NAME = "DEMO CA - CCHC Workflow (KHÔNG DÙNG THẬT)"
PASSPHRASE_ENV = "SIGNING_PASSPHRASE"
PASSPHRASE_FILE = "DEMO-passphrase.txt"
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
SEAL_RED = (218, 37, 29, 255)
INK_BLUE = (20, 50, 170, 255)


def signing_dir(instance_path):
    return os.path.join(instance_path, "signing")


def signer_name(organisation):
    """The DEMO certificate's name: "DEMO - UBND phường …" (the ward's short name, from its data)."""
    return f"DEMO - {organisation}"


def ensure_demo(instance_path, organisation):
    """Create what is missing of instance/signing/ (ward.p12, ca.pem, seal.png, signature.png); files
    already there are kept, so a real certificate put there is never overwritten. Returns the folder."""
    folder = signing_dir(instance_path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    p12, ca_pem = os.path.join(folder, "ward.p12"), os.path.join(folder, "ca.pem")
    if not os.path.exists(p12) and not os.path.exists(ca_pem):
        _write_chain(folder, _demo_passphrase(folder), organisation)
    if not os.path.exists(os.path.join(folder, "seal.png")):
        demo_seal(organisation).save(os.path.join(folder, "seal.png"))
    if not os.path.exists(os.path.join(folder, "signature.png")):
        demo_signature().save(os.path.join(folder, "signature.png"))
    return folder


def passphrase(app):
    """The PKCS#12 passphrase: the environment's; the DEMO file's only in demo mode (a production app
    never reads a passphrase from disk). None when there is none."""
    value = os.environ.get(PASSPHRASE_ENV) or app.config.get("SIGNING_PASSPHRASE")
    if value:
        return value
    if app.config.get("DEMO_MODE"):
        path = os.path.join(signing_dir(app.instance_path), PASSPHRASE_FILE)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                return fh.read().strip()
    return None


def _demo_passphrase(folder):
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    value = secrets.token_urlsafe(18)
    _write_private(os.path.join(folder, PASSPHRASE_FILE), value.encode() + b"\n")
    return value


def _write_private(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _name(common_name, organisation):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, issuer_key, days, extensions):
    now = datetime.now(timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=days))
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def _key_usage(**wanted):
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: wanted.get(n, False) for n in names})


def make_chain(organisation, days=3650):
    """(CA key, CA certificate, signer key, signer certificate) of the DEMO chain."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name(CA_NAME, "CCHC Workflow DEMO")
    ca = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, days, [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (_key_usage(key_cert_sign=True, crl_sign=True), True)])
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # Non-repudiation (content commitment) is what a document signature asks of the key (pyHanko's
    # default check, and the usage Vietnamese CAs put in an organisation's signing certificate).
    cert = _certificate(_name(signer_name(organisation), organisation), ca_name, key.public_key(), ca_key, min(days, 1825), [
        (x509.BasicConstraints(ca=False, path_length=None), True),
        (_key_usage(digital_signature=True, content_commitment=True), True)])
    return ca_key, ca, key, cert


def _write_chain(folder, passphrase_value, organisation):
    _ca_key, ca, key, cert = make_chain(organisation)
    data = pkcs12.serialize_key_and_certificates(
        signer_name(organisation).encode(), key, cert, [ca],
        serialization.BestAvailableEncryption(passphrase_value.encode()))
    _write_private(os.path.join(folder, "ward.p12"), data)
    with open(os.path.join(folder, "ca.pem"), "wb") as fh:
        fh.write(ca.public_bytes(serialization.Encoding.PEM))


# --- images: transparent PNGs, drawn large and scaled down when stamped --------------------------------

def demo_seal(organisation, size=400):
    """A red round seal: two rings, a star, "DEMO" and the organisation's name around the edge."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c, r = size / 2, size / 2 - 4
    draw.ellipse((c - r, c - r, c + r, c + r), outline=SEAL_RED, width=int(size * 0.03))
    inner = r * 0.72
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=SEAL_RED, width=int(size * 0.015))
    draw.polygon(_star(c, c - inner * 0.45, inner * 0.22), fill=SEAL_RED)
    draw.text((c, c + inner * 0.2), "DEMO", font=_font(int(size * 0.16)), fill=SEAL_RED, anchor="mm")
    _text_on_circle(img, organisation.upper() + " ★ " + "KHÔNG DÙNG THẬT ★ ", (r + inner) / 2, int(size * 0.07))
    return img


def _star(cx, cy, radius):
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        rr = radius if i % 2 == 0 else radius * 0.4
        points.append((cx + rr * math.cos(angle), cy - rr * math.sin(angle)))
    return points


def _font(size):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # the seal is a demo picture: a plainer font is fine
        return ImageFont.load_default(size)


def _text_on_circle(img, text, radius, size):
    """Each letter drawn upright on its own tile, rotated to its place around the centre."""
    font, c = _font(size), img.width / 2
    step = 2 * math.pi / len(text)
    for i, letter in enumerate(text):
        angle = math.pi / 2 - i * step  # clockwise from the top
        tile = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((size, size), letter, font=font, fill=SEAL_RED, anchor="mm")
        tile = tile.rotate(math.degrees(angle - math.pi / 2), resample=Image.BICUBIC)
        x, y = c + radius * math.cos(angle), c - radius * math.sin(angle)
        img.alpha_composite(tile, (int(x - size), int(y - size)))


def demo_signature(width=600, height=260, seed=30):
    """A blue scribble: a few looping strokes, the same every time (seeded)."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    rnd = random.Random(seed)
    points = []
    for i in range(160):
        t = i / 159
        x = width * (0.08 + 0.84 * t)
        y = height * (0.5 + 0.28 * math.sin(t * 5 * math.pi) * (1 - 0.5 * t)) + rnd.uniform(-2, 2)
        points.append((x, y))
    draw.line(points, fill=INK_BLUE, width=7, joint="curve")
    draw.line([(width * 0.12, height * 0.82), (width * 0.9, height * 0.7)], fill=INK_BLUE, width=5)
    return img
