"""What a pin's sender typed, made safe: phone and Thai ID numbers masked in notes, photos
re-encoded (upright, shrunk, without EXIF), hostile images refused quickly."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image

from codi_geo.access.pin_input import (
    ID_MASK,
    PHONE_MASK,
    PHOTO_EDGE,
    PHOTO_MAX_BYTES,
    PinInputError,
    clean_note,
    mask_note,
    reencode_photo,
)


@pytest.mark.parametrize(
    "text",
    [
        "โทร 081-234-5678 ด่วน",
        "โทร 0812345678",
        "tel +66 81 234 5678",
        "บ้าน 02 123 4567",
        "โทร ๐๘๑๒๓๔๕๖๗๘",
        "0-2123-4567",
        "+66812345678",
    ],
)
def test_phone_numbers_are_masked(text: str) -> None:
    masked = mask_note(text)
    assert PHONE_MASK in masked
    assert not any(run in masked for run in ("234", "123", "๒๓๔"))


@pytest.mark.parametrize(
    "text", ["บัตร 1-1037-02071-81-1", "ID 1103702071811", "เลข 1 1037 02071 81 1"]
)
def test_thai_id_numbers_are_masked(text: str) -> None:
    masked = mask_note(text)
    assert ID_MASK in masked and "02071" not in masked and "1103702071811" not in masked


@pytest.mark.parametrize(
    "text",
    ["ครัวเรือน 25 หลัง คน 100", "ปี 2569 วันที่ 15/11/2568", "บ้านเลขที่ 12/3 หมู่ 4", "ระดับน้ำ 1.50 เมตร"],
)
def test_figures_dates_and_addresses_are_left_alone(text: str) -> None:
    assert mask_note(text) == text


def test_notes_lose_control_characters_and_long_ones_are_refused() -> None:
    assert clean_note("  ab\u202ecd\x00 ") == "abcd"
    with pytest.raises(PinInputError) as refused:
        clean_note("x" * 1001)
    assert "1,000" in refused.value.en and "1,000" in refused.value.th


def _photo(size=(4000, 3000), exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    info = Image.Exif()
    info[0x0112] = 6  # orientation: rotated
    info[0x010F] = "PhoneMaker"
    image.save(out, "JPEG", quality=95, exif=info.tobytes() if exif else b"")
    return out.getvalue()


def test_a_photo_is_turned_upright_shrunk_and_stripped_of_exif() -> None:
    data = reencode_photo(_photo())
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert max(image.size) == PHOTO_EDGE and image.size[1] > image.size[0]  # rotated upright
    assert len(image.getexif()) == 0 and b"PhoneMaker" not in data
    assert len(data) <= PHOTO_MAX_BYTES


def _png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_a_png_bomb_is_refused_from_its_header_quickly() -> None:
    # 30,000 x 30,000 pixels (2.7 GB decoded) in a few kilobytes.
    bomb = _png(30_000, 30_000, zlib.compress(b"\0" * 3_000_000, 9))
    assert len(bomb) < 20_000
    started = time.perf_counter()
    with pytest.raises(PinInputError) as refused:
        reencode_photo(bomb)
    assert time.perf_counter() - started < 1
    assert "pixels" in refused.value.en and refused.value.th


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a" + b"\0" * 10, b"<svg onload=alert(1)>", _png(10, 10, b"not zlib")]
)
def test_what_is_not_a_readable_image_is_refused(data: bytes) -> None:
    with pytest.raises(PinInputError) as refused:
        reencode_photo(data)
    assert "not a readable" in refused.value.en


def test_a_fifty_megabyte_photo_is_refused_before_it_is_read() -> None:
    with pytest.raises(PinInputError, match="over 10 MB"):
        reencode_photo(b"\xff\xd8" + b"\0" * (50 * 1024 * 1024))
