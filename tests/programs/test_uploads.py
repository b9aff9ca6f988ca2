"""Uploaded documents: checked beyond their first bytes, stored owner-only, names kept with extension."""

import io
import os
import stat
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.forms.fields import validate_attachment
from programs.services import program as program_services
from tests.documents import image_bytes, pdf_bytes
from tests.programs.factories import ProgramFactory

HTML = b"<html><script>alert(document.cookie)</script></html>"


def office(folder="word/", members=None, big=0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
        for n in range(members or 0):
            archive.writestr(f"{folder}media/part{n}.xml", "<x/>")
        if big:
            with archive.open(f"{folder}media/big.bin", "w", force_zip64=True) as part:
                for _ in range(big):
                    part.write(b" " * (1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("proposal.pdf", b"%PDF-1.7\n" + HTML),
        ("proposal.pdf", b"%PDF-1.7\n" + HTML + b"\n%%EOF"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + HTML),
        ("foto.png", image_bytes("JPEG")),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + HTML),
        ("foto.jpg", image_bytes("JPEG")[:200]),
        ("rab.docx", office(big=50)),
        ("rab.docx", office(members=2500)),
        ("rab.xlsx", office(folder="word/")),
    ],
)
def test_disguised_or_oversized_documents_are_refused(name, content):
    with pytest.raises(ValidationError, match="tidak sesuai dengan jenisnya"):
        validate_attachment(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("proposal.pdf", pdf_bytes()),
        ("foto.png", image_bytes("PNG")),
        ("foto.jpg", image_bytes("JPEG")),
        ("rab.docx", office(members=20)),
        ("rab.xlsx", office(folder="xl/")),
    ],
)
def test_real_documents_are_accepted(name, content):
    validate_attachment(SimpleUploadedFile(name, content))


def test_attachments_are_stored_owner_only_and_long_names_keep_their_extension(
    company, owner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    program = ProgramFactory(company=company)
    name = "proposal-" + "panjang-" * 40 + ".pdf"
    attachment = program_services.program_attach(
        program=program, actor=owner, upload=SimpleUploadedFile(name, pdf_bytes())
    )
    assert len(attachment.original_name) == 200
    assert attachment.original_name.endswith(".pdf")
    mode = stat.S_IMODE(os.stat(attachment.file.path).st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(attachment.file.path)).st_mode) == 0o700
