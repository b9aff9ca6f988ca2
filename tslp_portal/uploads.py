"""Uploaded documents checked by their content, not their name or first bytes.

A file named ``.pdf`` must parse as a PDF, an image must decode completely with Pillow, and an Office file
must be a zip of a sane number of members that inflates to a sane size. A PDF or PNG header followed by
HTML, or a 50 MB zip bomb named ``.docx``, is refused.
"""

import zipfile
from pathlib import PurePosixPath

# An Office document with more parts, or inflating to more, is not a proposal or a report.
OFFICE_MAX_MEMBERS = 2000
OFFICE_MAX_INFLATED = 40 * 1024 * 1024
OFFICE_MAX_RATIO = 200  # a member inflating 200-fold is built to exhaust memory
IMAGE_MAX_PIXELS = 60_000_000  # a 60-megapixel photo; more is a decompression bomb
FOLDERS = {".xlsx": "xl/", ".docx": "word/"}


def _pdf_ok(upload) -> bool:
    from pypdf import PdfReader

    head = upload.read(8)
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    upload.seek(0)
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        return False
    try:
        reader = PdfReader(upload, strict=False)
        return len(reader.pages) >= 1
    except Exception:  # pypdf raises many kinds on a damaged file; any of them is a refusal
        return False


def _image_ok(upload, extension: str) -> bool:
    from PIL import Image

    expected = "PNG" if extension == ".png" else "JPEG"
    try:
        with Image.open(upload) as image:
            if image.format != expected or image.width * image.height > IMAGE_MAX_PIXELS:
                return False
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # decode every pixel: trailing HTML or a truncated stream fails here
        return True
    except Exception:  # Pillow raises OSError, SyntaxError, DecompressionBombError …
        return False


def _office_ok(upload, extension: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > OFFICE_MAX_MEMBERS:
                return False
            total = 0
            for member in members:
                path = PurePosixPath(member.filename)
                if path.is_absolute() or ".." in path.parts:
                    return False
                if member.flag_bits & 0x1:  # encrypted
                    return False
                total += member.file_size
                if member.compress_size and member.file_size / member.compress_size > OFFICE_MAX_RATIO:
                    return False
            if total > OFFICE_MAX_INFLATED:
                return False
            names = {member.filename for member in members}
            return "[Content_Types].xml" in names and any(n.startswith(FOLDERS[extension]) for n in names)
    except (zipfile.BadZipFile, OSError):
        return False


def upload_content_ok(upload, extension: str) -> bool:
    """Does the content of ``upload`` really hold a file of ``extension``?"""
    upload.seek(0)
    try:
        if extension == ".pdf":
            return _pdf_ok(upload)
        if extension in {".png", ".jpg", ".jpeg"}:
            return _image_ok(upload, extension)
        if extension in FOLDERS:
            return _office_ok(upload, extension)
        return False
    finally:
        upload.seek(0)


def filename_shorten(name: str, max_length: int = 200) -> str:
    """A file name cut to ``max_length`` characters that keeps its extension."""
    name = PurePosixPath(str(name).replace("\\", "/")).name
    if len(name) <= max_length:
        return name
    suffix = PurePosixPath(name).suffix
    if len(suffix) > 16:
        suffix = ""
    return name[: max_length - len(suffix)] + suffix
