"""What a community pin's sender typed, made safe to keep: notes with phone numbers and Thai
ID numbers masked, photos re-encoded.

Pure (no store). A note is kept twice: masked, for everyone who may see it, and as typed, for
the moderator only (a number may be a hotline, not a person's). Notes are stored as text and
every page shows them as text (HTML and Markdown in them are never interpreted).

A photo is decoded by Pillow only after its header says it is small enough to decode: a
50-megapixel "PNG bomb" of a few kilobytes is refused from its header, in milliseconds. It is
then turned upright, shrunk to ``PHOTO_EDGE`` pixels, and saved as a fresh JPEG without its
EXIF block (GPS position, phone model, time) under ``PHOTO_MAX_BYTES``.
"""

from __future__ import annotations

import io
import re
import warnings

from codi_geo.errors import CodiGeoError

NOTE_MAX_CHARS = 1000
PHOTO_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 50_000_000  # a 48-megapixel phone camera's photo, no more
# Other formats decode at full size (a JPEG at an eighth of it, ``draft``): 16 megapixels
# are 48 MB decoded; fifty people sending at once must not take the server's memory.
PHOTO_MAX_PIXELS_FULL_DECODE = 16_000_000
PHOTO_EDGE = 1280
PHOTO_MAX_BYTES = 400 * 1024
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
PHONE_MASK = "[ซ่อนเบอร์โทร]"
ID_MASK = "[ซ่อนเลขบัตร]"

# A run of Arabic or Thai digits, single spaces, hyphens or dots between them, maybe a leading
# +: how people write phone and ID numbers (081-234-5678, 0 2123 4567, +66 81 234 5678,
# 1-2345-67890-12-3, ๐๘๑๒๓๔๕๖๗๘).
_NUMBER_RUN = re.compile(r"\+?[0-9๐-๙](?:[ \-.]?[0-9๐-๙])+")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class PinInputError(CodiGeoError, ValueError):
    """Something sent with a pin that cannot be kept (says what, in Thai and English)."""


def _kind_of_number(digits: str) -> str | None:
    """``phone``, ``id`` or None for a run of digits (Arabic)."""
    if len(digits) == 13:
        return "id"  # a Thai ID number (or anything as long: masked all the same)
    if digits.startswith("66") and len(digits) in (10, 11):
        return "phone"  # +66 then the number without its 0
    if digits.startswith("0") and len(digits) in (9, 10):
        return "phone"  # landline (02 …, 9 digits) or mobile (06/08/09 …, 10 digits)
    return None


def mask_note(text: str) -> str:
    """``text`` with phone numbers and Thai ID numbers replaced by a marker."""

    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0).translate(_THAI_DIGITS))
        kind = _kind_of_number(digits)
        if kind is None:
            return match.group(0)
        return ID_MASK if kind == "id" else PHONE_MASK

    return _NUMBER_RUN.sub(replace, text)


def clean_note(text: object) -> str:
    """A note as it is kept: control and direction characters removed, trimmed, at most
    ``NOTE_MAX_CHARS`` (a longer one is refused, never cut silently)."""
    value = _CONTROL.sub("", str(text or "")).strip()
    if len(value) > NOTE_MAX_CHARS:
        raise PinInputError(
            f"บันทึกยาวเกิน {NOTE_MAX_CHARS:,} ตัวอักษร ({len(value):,}) กรุณาย่อ",
            f"the note is longer than {NOTE_MAX_CHARS:,} characters ({len(value):,}): "
            f"please shorten it",
        )
    return value


def _photo_error(th: str, en: str) -> PinInputError:
    return PinInputError(
        f"รูปภาพใช้ไม่ได้: {th} ส่งหมุดโดยไม่มีรูปหรือเลือกรูปอื่น",
        f"the photo cannot be used: {en}; send the pin without it or choose another photo",
    )


def reencode_photo(data: bytes) -> bytes:
    """``data`` (JPEG, PNG, WebP or GIF) as a new upright JPEG of at most ``PHOTO_EDGE``
    pixels a side and ``PHOTO_MAX_BYTES``, without EXIF. ``PinInputError`` for a file too
    big, not an image, or claiming more than ``PHOTO_MAX_PIXELS``."""
    from PIL import Image, ImageOps  # when used: most pins come without a photo

    if len(data) > PHOTO_UPLOAD_MAX_BYTES:
        raise _photo_error(
            f"ไฟล์ใหญ่เกิน {PHOTO_UPLOAD_MAX_BYTES // 1024 // 1024} MB",
            f"the file is over {PHOTO_UPLOAD_MAX_BYTES // 1024 // 1024} MB",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=PHOTO_FORMATS)
            width, height = opened.size
            limit = PHOTO_MAX_PIXELS if opened.format == "JPEG" else PHOTO_MAX_PIXELS_FULL_DECODE
            if width * height > limit:
                raise _photo_error(
                    f"ภาพมีขนาด {width:,}×{height:,} พิกเซล เกินที่รับได้",
                    f"it claims {width:,}×{height:,} pixels, more than accepted",
                )
            opened.draft("RGB", (PHOTO_EDGE, PHOTO_EDGE))  # JPEG: decode at a smaller scale
            opened.load()
            image = ImageOps.exif_transpose(opened).convert("RGB")
            image.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
            for quality in (80, 65, 50, 35):
                out = io.BytesIO()
                image.save(out, "JPEG", quality=quality, optimize=True)
                if out.tell() <= PHOTO_MAX_BYTES:
                    return out.getvalue()
            image.thumbnail((PHOTO_EDGE // 2, PHOTO_EDGE // 2))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=50)
            return out.getvalue()
    except PinInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _photo_error(
            "ภาพมีจำนวนพิกเซลมากเกินกว่าจะเปิดได้อย่างปลอดภัย", "it has too many pixels to open safely"
        ) from None
    except (OSError, ValueError, SyntaxError, Image.UnidentifiedImageError, EOFError):
        raise _photo_error(
            "ไม่ใช่ไฟล์ภาพ JPEG, PNG, WebP หรือ GIF ที่อ่านได้",
            "it is not a readable JPEG, PNG, WebP or GIF image",
        ) from None


class PinRefusedError(CodiGeoError):
    """A pin, decision or campaign refused; ``status`` is the HTTP status a route answers."""

    def __init__(self, th: str, en: str, status: int = 400) -> None:
        super().__init__(th, en)
        self.status = status
