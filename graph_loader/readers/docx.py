"""Word (.docx) → text with python-docx (MIT): paragraphs and tables in the order the document has them.

A merged cell is given by python-docx once per grid column and row it covers, which is what
:meth:`DocumentBuilder.add_table` expects: a horizontal merge is written once, a vertical one fills
each row it spans (each task row keeps its owners).
"""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from graph_loader.errors import PlanParseError
from graph_loader.readers.document import DocumentBuilder, ReadDocument

_PARAGRAPH = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_TABLE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl"


def read_docx(data: bytes, document: str) -> ReadDocument:
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises KeyError, lxml errors, zipfile errors … for a broken part
        raise PlanParseError(f"a DOCX document that is corrupt ({type(e).__name__}: {e}); get the file again",
                             document=document) from None
    builder = DocumentBuilder("DOCX", document)
    paragraphs = tables = 0
    for element in word.element.body.iterchildren():
        if element.tag == _PARAGRAPH:
            paragraphs += 1
            builder.add_line(Paragraph(element, word).text, f"paragraph {paragraphs}")
        elif element.tag == _TABLE:
            tables += 1
            table = Table(element, word)
            builder.add_table([[cell.text for cell in row.cells] for row in table.rows], f"table {tables}")
    return builder.build()
