"""The seed plan in every format a plan arrives in, built by the tests' own builders (and the committed DOC
and WPS): what the same-graph test checks and what ``bench/read.py`` times."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import build_files, build_pdf

ROOT = Path(__file__).resolve().parents[3]
SEED = (ROOT / "source_text" / "digital-qingdao-2025.txt").read_text(encoding="utf-8")
WORD97 = Path(__file__).resolve().parent / "files"

SEED_FILES: dict[str, Callable[[], bytes]] = {
    "text, UTF-8": lambda: SEED.encode("utf-8"),
    "text, GB18030": lambda: SEED.encode("gb18030"),
    "text, UTF-16LE (BOM)": lambda: SEED.encode("utf-16"),
    "HTML, CMS container": lambda: build_files.cms_page(SEED),
    "HTML, trafilatura": lambda: build_files.article_page_without_container(SEED),
    "DOCX": lambda: build_files.docx_from_text(SEED),
    "DOC (Word 97)": lambda: (WORD97 / "seed.doc").read_bytes(),
    "WPS": lambda: (WORD97 / "seed.wps").read_bytes(),
    "PDF, embedded TrueType": lambda: build_pdf.pdf_from_text(SEED, font="ttf"),
    "PDF, embedded CFF": lambda: build_pdf.pdf_from_text(SEED, font="cff"),
    "PDF, Adobe CID (not embedded)": lambda: build_pdf.pdf_from_text(SEED, font="cid"),
    "OFD": lambda: build_files.ofd_from_text(SEED),
}
"""Each format's file of the seed, by a name for people."""
