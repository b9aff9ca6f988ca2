"""Small real documents for upload tests: a PDF that parses, images that decode."""

import io


def pdf_bytes(text: str = "Berita acara serah terima") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(kind: str = "PNG", size=(64, 48)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buffer, format=kind)
    return buffer.getvalue()
