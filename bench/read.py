"""Read time of each file format next to the parse time of the text it gives, and a 50-page PDF.

    .venv/bin/python -m bench.read [--repeat N]

The seed plan is written in every format a plan arrives in (the files the tests build: a CMS
page, DOCX, the committed DOC and WPS, PDFs with three kinds of font, OFD, UTF-16 and GB18030
text), then each file is read (``read_bytes``) and the text it gave is parsed (``parse_text``),
interleaved, median of N. The figure that matters is read / parse, stable on a noisy machine
where absolute times are not. Aim: reading does not dominate, read / parse <= 1 for every format.
The 50-page PDF (the seed, repeated with its task numbers going on) is the long document.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2

from graph_loader import parse_text
from graph_loader.readers import read_bytes

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the tests' file builders: tests/ is a folder of the checkout, not installed

from tests.graph_loader.readers import build_files, build_pdf  # noqa: E402
from tests.graph_loader.readers.seed_files import SEED, SEED_FILES  # noqa: E402


def fifty_pages() -> bytes:
    """The seed's plan repeated, task numbers going on, until its PDF has at least 50 pages."""
    plan = SEED[SEED.index("数字青岛2025年行动方案\n") :]
    body = plan.split("\n", 1)[1]
    parts, copies = [plan], 1
    while True:
        data = build_pdf.pdf_from_text("\n".join(parts), font="ttf")
        if len(pypdfium2.PdfDocument(data)) >= 50:
            return data
        parts.append(_renumbered(body, 54 * copies))
        copies += 1


def _renumbered(body: str, offset: int) -> str:
    return re.sub(r"^(\d+)\.", lambda m: f"{int(m.group(1)) + offset}.", body, flags=re.M)


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(data: bytes, repeat: int) -> tuple[float, float, int]:
    """Median read and parse seconds of one file (interleaved), and the characters read."""
    text = read_bytes(data, "bench").text
    parse_text(text)  # the dictionary is loaded before anything is timed
    reads, parses = [], []
    for _ in range(repeat):
        reads.append(_seconds(lambda: read_bytes(data, "bench")))
        parses.append(_seconds(lambda: parse_text(text)))
    return statistics.median(reads), statistics.median(parses), len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"{'format':32} {'bytes':>9} {'chars':>7} {'read ms':>8} {'parse ms':>9} {'read/parse':>10}")
    cases = {name: build() for name, build in SEED_FILES.items()}
    cases["XLSX task table"] = build_files.xlsx_table(build_files.TASK_TABLE, build_files.TASK_TABLE_TITLE)
    cases["PDF, 50 pages (TrueType)"] = fifty_pages()
    worst = 0.0
    for name, data in cases.items():
        read, parse, characters = measure(data, args.repeat)
        worst = max(worst, read / parse)
        print(f"{name:32} {len(data):>9,} {characters:>7,} {read * 1000:>8.2f} {parse * 1000:>9.2f}"
              f" {read / parse:>10.2f}")
    print(f"largest read/parse: {worst:.2f} (aim <= 1: reading does not dominate)")


if __name__ == "__main__":
    main()
