"""A plan file's bytes → the text the parser reads, whatever the file is: text, HTML, PDF, Word, OFD, XLSX.

The format is chosen by the content (magic bytes, zip members), never by the file's name. Each
reader returns a :class:`ReadDocument`: the text, the kind detected, and the place of each part
of the text in the original file. Anything that cannot give a plan's text is refused with one
:class:`PlanParseError` that names the detected type and what to do.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from graph_loader.errors import PlanParseError
from graph_loader.readers.document import FORMATS, DocumentBuilder, Place, ReadDocument
from graph_loader.readers.text import MAX_INPUT_BYTES, decode, read_plan_bytes

__all__ = [
    "MAX_INPUT_BYTES",
    "DocumentBuilder",
    "Place",
    "ReadDocument",
    "decode",
    "plan_files",
    "read_bytes",
    "read_document",
    "read_plan_bytes",
]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
_OTHER_BINARIES = (
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"\x7fELF", "a program (ELF), not a document"),
    (b"{\\rtf", "an RTF document; save it as DOCX"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml version", b"<head", b"<body", b"<meta", b"<div", b"<!--")


def plan_files(directory: str | Path) -> list[Path]:
    """The plans of a corpus folder: every entry in it but folders, hidden ones (``.name``) and notes
    (README…), whatever its format, in file-name order. Formats are told by content, so extensions do not
    choose; a FIFO or device is listed so that reading it refuses it by name rather than skipping it."""
    return sorted(
        p for p in Path(directory).iterdir()
        if not p.is_dir() and not p.name.startswith(".") and not p.name.upper().startswith(("README", "LICENSE"))
    )


def read_document(path: str | Path) -> ReadDocument:
    """Read one plan file (a regular file of at most 5 MiB) as whatever its content is."""
    path = Path(path)
    return read_bytes(read_plan_bytes(path), str(path))


def read_bytes(data: bytes, document: str = "<bytes>") -> ReadDocument:
    """The text of a file's bytes, by the format its content shows."""
    if len(data) > MAX_INPUT_BYTES:
        decode(data, document)  # refuses with the size message shared with text files
    head = data[:1024]
    if b"%PDF-" in head:
        from graph_loader.readers.pdf import read_pdf

        return read_pdf(data, document)
    if data.startswith(_OLE):
        from graph_loader.readers.word97 import read_word97

        return read_word97(data, document)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_zip(data, document)
    for magic, name in _IMAGES:
        if data.startswith(magic):
            raise PlanParseError(f"an image ({name}), not a text: OCR it into text first", document=document)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise PlanParseError("an image (WebP), not a text: OCR it into text first", document=document)
    for magic, what in _OTHER_BINARIES:
        if data.startswith(magic):
            raise PlanParseError(f"{what} (give a plan as {FORMATS})", document=document)
    if _looks_like_html(head):
        from graph_loader.readers.html import read_html

        return read_html(data, document)
    return ReadDocument(decode(data, document), "text")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml"):
        return b"<html" in head.lower()
    return start.startswith(_HTML_STARTS) or (start.startswith(b"<") and b"<html" in head.lower())


def _read_zip(data: bytes, document: str) -> ReadDocument:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError) as e:
        raise PlanParseError(
            f"a zip file (DOCX, XLSX and OFD are zips) that is corrupt or truncated ({e}); get the file again",
            document=document,
        ) from None
    with archive:
        if "word/document.xml" in names:
            from graph_loader.readers.docx import read_docx

            return read_docx(data, document)
        if "xl/workbook.xml" in names:
            from graph_loader.readers.xlsx import read_xlsx

            return read_xlsx(data, document)
        if "OFD.xml" in names:
            from graph_loader.readers.ofd import read_ofd

            return read_ofd(archive, document)
    raise PlanParseError(
        f"a zip archive that is not a DOCX, XLSX or OFD document (it holds {len(names)} files); unpack it and give"
        f" the plan itself ({FORMATS})",
        document=document,
    )
