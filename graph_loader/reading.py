"""A plan file's bytes → its text: only regular files, at most 5 MiB, in the encodings plans come in.

The parser reads what these functions return; every refusal is a :class:`PlanParseError`
that says where (the file, the byte offset) and why.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from graph_loader.errors import PlanParseError

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""Largest plan file read (5 MiB): 25 times the longest plans of the genre, 4 times a generated 10,000-task plan.
Parsing holds about 130 bytes per character, so a 20 MB file would take 2-3 GB and half a minute; and a file that
keeps growing is refused after 5 MiB rather than read until memory runs out (devices and pipes are not read at all)."""
_TOO_LARGE = (
    f"the file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB ({MAX_INPUT_BYTES} bytes), the most a plan may"
    " have; give each plan its own file"
)


_WIDE_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32BE"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE"),
)


def decode(data: bytes, document: str = "<bytes>") -> str:
    """Text of a plan file: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, else GB18030/GBK.

    Windows Notepad saves "Unicode" as UTF-16LE with a BOM. The BOM is not part of the text, so
    spans index the decoded text whatever the encoding. Byte offsets in errors count from the file's start.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise PlanParseError(_TOO_LARGE, document=document)
    for bom, codec, name in _WIDE_BOMS:
        if data.startswith(bom):
            return _decode_wide(data, len(bom), codec, name, document)
    if not data.strip():
        raise PlanParseError("the file is empty", document=document)
    if b"\x00" in data:
        raise PlanParseError("not a text file (it contains NUL bytes)", document=document)
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_stop = skip + e.start
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        gb_stop = e.start
    # Report the reading that got further: a GBK file with one bad byte near its end fails UTF-8 at once.
    name, stop = ("GB18030", gb_stop) if gb_stop > utf8_stop else ("UTF-8", utf8_stop)
    raise PlanParseError(
        f"cannot decode as UTF-8 or GB18030/GBK: {name} stops at byte {stop}",
        document=document,
        line=data.count(b"\n", 0, stop) + 1,
        offset=stop,
    )


def _decode_wide(data: bytes, skip: int, codec: str, name: str, document: str) -> str:
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as e:
        raise PlanParseError(
            f"cannot decode as {name} (the file starts with its byte order mark): stops at byte {skip + e.start}",
            document=document,
            offset=skip + e.start,
        ) from None
    if not text.strip():
        raise PlanParseError("the file is empty", document=document)
    if "\x00" in text:
        raise PlanParseError("not a text file (it contains NUL characters)", document=document)
    return text


_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_unless_regular(mode: int, document: str) -> None:
    """Only regular files are read: a pipe or device could block the read or never end."""
    if stat.S_ISREG(mode):
        return
    what = next((f"is {name}, not" for test, name in _NOT_REGULAR if test(mode)), "is not")
    raise PlanParseError(f"{what} a regular file", document=document)


def read_plan_bytes(path: str | Path) -> bytes:
    """The bytes of a plan file, at most one more than MAX_INPUT_BYTES (enough for :func:`decode` to refuse).

    Raises :class:`PlanParseError` at once, without reading, for anything but a regular file. The
    type is checked before opening and again on the open file, which is opened without blocking, so a
    FIFO put in the file's place between the two cannot hang the read.
    """
    document = str(path)
    try:
        _refuse_unless_regular(os.stat(path).st_mode, document)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise PlanParseError(f"cannot read the file: {e.strerror or e}", document=document) from e
    with os.fdopen(fd, "rb") as handle:
        _refuse_unless_regular(os.fstat(fd).st_mode, document)
        try:
            return handle.read(MAX_INPUT_BYTES + 1)  # O_NONBLOCK changes nothing for a regular file
        except OSError as e:
            raise PlanParseError(f"cannot read the file: {e.strerror or e}", document=document) from e
