"""Photos are checked by content: a non-image named .jpg, an oversized file, too many pixels and a decompression bomb
are refused and nothing is stored; an accepted photo is re-encoded without EXIF and gets a thumbnail."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from lienket.core.audit import AuditEntry
from lienket.core.errors import PermissionDenied, ValidationFailed
from lienket.products import services
from lienket.products.models import ProductPhoto

from .factories import make_product, products_world

pytestmark = pytest.mark.django_db


def _jpeg(size=(800, 600), *, exif: bool = False) -> bytes:
    im = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        ex = Image.Exif()
        ex[0x010F] = "CameraMaker"  # Make
        ex[0x0131] = "SecretSoftware"
        ex[0x8825] = {2: (21.0, 1.0, 0.0)}  # GPSInfo
        im.save(out, format="JPEG", exif=ex.tobytes())
    else:
        im.save(out, format="JPEG")
    return out.getvalue()


def _png_bomb(side: int = 30_000) -> bytes:
    """A valid PNG header of side × side grey pixels whose data is a few kilobytes of zeros (never decoded here)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = zlib.compress(b"\0" * (side + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _stored() -> list[str]:
    try:
        dirs, _files = default_storage.listdir("products")
    except FileNotFoundError:
        return []
    names = []
    for d in dirs:
        names += default_storage.listdir(f"products/{d}")[1]
    return names


@pytest.fixture
def setup(clock):
    w = products_world()
    return w, make_product(w.phutho)


def test_officer_adds_a_photo_reencoded_without_exif_and_with_a_thumbnail(setup):
    w, product = setup
    photo = services.product_photo_add(actor=w.users["phutho_officer"], product_id=product.pk, data=_jpeg(exif=True),
                                       filename="IMG_0001.JPG", alt_text="Bưởi")
    stored = default_storage.open(photo.image).read()
    thumb = default_storage.open(photo.thumbnail).read()
    assert b"SecretSoftware" not in stored
    assert b"CameraMaker" not in stored
    with Image.open(io.BytesIO(stored)) as im:
        assert im.format == "JPEG"
        assert im.size == (800, 600)
        assert not im.getexif()
    with Image.open(io.BytesIO(thumb)) as im:
        assert max(im.size) == 480
    assert (photo.width, photo.height) == (800, 600)
    assert AuditEntry.objects.filter(action="product_photo.add", object_id=str(photo.pk)).exists()


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"%PDF-1.7\n1 0 obj<<>>endobj\n" * 20, "anh-san-pham.jpg", "image_not_an_image"),
    (b"#!/bin/sh\necho pwned\n", "photo.png", "image_not_an_image"),
    (_jpeg()[:400], "cut.jpg", "image_not_an_image"),
    (b"", "empty.jpg", "image_empty"),
    (_png_bomb(), "bomb.png", "image_decompression_bomb"),
])
def test_bad_uploads_are_refused_and_nothing_is_stored(setup, data, name, code):
    w, product = setup
    with pytest.raises(ValidationFailed) as exc:
        services.product_photo_add(actor=w.users["phutho_officer"], product_id=product.pk, data=data, filename=name)
    assert exc.value.code == code
    assert name in exc.value.message or code == "image_decompression_bomb"
    assert ProductPhoto.objects.count() == 0
    assert _stored() == []
    assert not AuditEntry.objects.filter(action="product_photo.add").exists()


def test_a_huge_image_is_refused_by_its_pixels(setup, settings):
    # Given a real (not bomb-like) image above the pixel limit
    settings.PRODUCT_PHOTO_MAX_PIXELS = 1_000_000
    w, product = setup
    noisy = Image.effect_noise((1500, 1000), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="JPEG", quality=95)
    # Then it is refused naming its size, and nothing is stored
    with pytest.raises(ValidationFailed) as exc:
        services.product_photo_add(actor=w.users["phutho_officer"], product_id=product.pk, data=out.getvalue(), filename="big.jpg")
    assert exc.value.code == "image_too_many_pixels"
    assert "1500 × 1000" in exc.value.message
    assert ProductPhoto.objects.count() == 0
    assert _stored() == []


def test_a_file_over_the_byte_limit_is_refused(setup, settings):
    settings.PRODUCT_PHOTO_MAX_BYTES = 10_000
    w, product = setup
    with pytest.raises(ValidationFailed) as exc:
        services.product_photo_add(actor=w.users["phutho_officer"], product_id=product.pk,
                                   data=Image.effect_noise((400, 400), 90).tobytes() + _jpeg(), filename="x.jpg")
    assert exc.value.code == "image_too_large"
    assert ProductPhoto.objects.count() == 0
    assert _stored() == []


def test_a_gif_is_refused_as_unsupported(setup):
    w, product = setup
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationFailed) as exc:
        services.product_photo_add(actor=w.users["phutho_officer"], product_id=product.pk, data=out.getvalue(), filename="a.gif")
    assert exc.value.code == "image_unsupported_format"


def test_officer_of_another_province_cannot_add_a_photo(setup):
    w, product = setup
    with pytest.raises(PermissionDenied):
        services.product_photo_add(actor=w.users["hanoi_officer"], product_id=product.pk, data=_jpeg(), filename="a.jpg")
    assert ProductPhoto.objects.count() == 0
    assert _stored() == []


def test_photo_page_serves_the_thumbnail_of_a_published_product(setup, client):
    w, product = setup
    photo = services.product_photo_add(actor=w.users["phutho_officer"], product_id=product.pk, data=_jpeg(), filename="a.jpg")
    response = client.get(f"/san-pham/anh/{photo.pk}/thumb/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_photo_upload_page_refuses_a_non_image_with_a_message(setup, client):
    w, product = setup
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(w.users["phutho_officer"])
    response = client.post(f"/san-pham/{product.pk}/anh/", {"photo": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")},
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "is not a photo LienKet can read" in response.content.decode()
    assert ProductPhoto.objects.count() == 0
    assert _stored() == []
