"""OFD (GB/T 33190, China's standard for fixed-layout documents) → text: a zip of XML, read with the stdlib.

OFD.xml names the document root; its Document.xml lists the pages; each page's Content.xml holds
TextObject elements (a Boundary box, a font size) with TextCode runs at X/Y inside that box. The runs
are laid out like a PDF's, so :mod:`graph_loader.readers.layout` orders them and joins wrapped lines.
"""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree import ElementTree

from graph_loader.errors import PlanParseError
from graph_loader.readers.document import DocumentBuilder, ReadDocument
from graph_loader.readers.layout import TextRun, add_pages

_NS = {"ofd": "http://www.ofdspec.org/2016"}


def read_ofd(archive: zipfile.ZipFile, document: str) -> ReadDocument:
    try:
        root = _xml(archive, "OFD.xml")
        doc_root = _text(root, ".//ofd:DocBody/ofd:DocRoot")
        doc_xml = _xml(archive, doc_root)
        base = posixpath.dirname(doc_root)
        pages: list[list[TextRun]] = []
        heights: list[float] = []
        default_box = _box(doc_xml.findtext(".//ofd:CommonData/ofd:PageArea/ofd:PhysicalBox", "0 0 210 297", _NS))
        for page in doc_xml.findall(".//ofd:Pages/ofd:Page", _NS):
            content = _xml(archive, posixpath.normpath(posixpath.join(base, page.get("BaseLoc", ""))))
            box = content.findtext(".//ofd:Area/ofd:PhysicalBox", None, _NS)
            heights.append((_box(box) if box else default_box)[3])
            pages.append(list(_runs(content)))
    except (KeyError, ElementTree.ParseError, ValueError, zipfile.BadZipFile) as e:
        raise PlanParseError(f"an OFD document that is corrupt or incomplete ({e}); get the file again",
                             document=document) from None
    if not any(pages):
        raise PlanParseError("an OFD document with no text objects (a scan?): OCR it first", document=document)
    builder = DocumentBuilder("OFD", document)
    add_pages(builder, pages, page_height=heights)
    return builder.build()


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(archive.read(name.lstrip("/")))


def _text(element: ElementTree.Element, path: str) -> str:
    found = element.findtext(path, None, _NS)
    if not found:
        raise ValueError(f"no {path.rsplit(':', 1)[-1]}")
    return found.strip()


def _box(text: str) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in text.split())
    return x, y, w, h


def _runs(content: ElementTree.Element) -> list[TextRun]:
    runs = []
    for obj in content.iter(f"{{{_NS['ofd']}}}TextObject"):
        bx, by, _, _ = _box(obj.get("Boundary", "0 0 0 0"))
        size = float(obj.get("Size", "3.5"))
        x = y = 0.0
        for code in obj.findall("ofd:TextCode", _NS):
            x = float(code.get("X", x))
            y = float(code.get("Y", y))
            text = code.text or ""
            if text.strip():
                width = _advance(code.get("DeltaX"), len(text), size)
                runs.append(TextRun(text, bx + x, by + y - size, bx + x + width, by + y))
    return runs


def _advance(delta_x: str | None, characters: int, size: float) -> float:
    """The run's width: the sum of its DeltaX steps (plus the last glyph), else one em a character."""
    if not delta_x:
        return characters * size
    steps: list[float] = []
    tokens = delta_x.split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):  # "g 3 4.2": three steps of 4.2
            steps.extend([float(tokens[i + 2])] * int(tokens[i + 1]))
            i += 3
        else:
            steps.append(float(tokens[i]))
            i += 1
    return sum(steps) + (steps[-1] if steps else size)
