"""A text file's bytes → its text: only regular files, at most 5 MiB, in the encodings plans come in.

The parser reads what these functions return; every refusal is a :class:`PlanParseError`
that says where (the file, the byte offset) and why.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from graph_loader.errors import PlanParseError
from graph_loader.readers.document import FORMATS

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
    """Text of a plan file, in the encodings plans come in.

    In order: a BOM (UTF-8, UTF-16, UTF-32: Windows Notepad saves "Unicode" as UTF-16LE with a
    BOM); strict UTF-8; UTF-16 without a BOM (NUL bytes in every other place); then GB18030 (which
    reads GBK and GB2312), Big5 or UTF-16, whichever gives more common Han characters; and a detector
    (charset-normalizer) last, because short texts fool detectors. The BOM is not part of the text,
    so spans index the decoded text whatever the encoding. Byte offsets in errors count from the
    file's start.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise PlanParseError(_TOO_LARGE, document=document)
    for bom, codec, name in _WIDE_BOMS:
        if data.startswith(bom):
            return _decode_wide(data, len(bom), codec, name, document)
    if not data.strip():
        raise PlanParseError("the file is empty", document=document)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise PlanParseError(
                f"not a text file, nor a type policykg reads (it contains NUL bytes); give the plan as {FORMATS}",
                document=document,
            )
        return _decode_wide(data, 0, *utf16, document)
    if data.startswith(codecs.BOM_UTF8):  # the file says it is UTF-8: no other reading is tried
        return _decode_wide(data, len(codecs.BOM_UTF8), "utf-8", "UTF-8", document)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_stop = e.start
    readings = []
    # UTF-16 of Han text alone has no NULs; its bytes read as GB18030 or Big5 give rare characters.
    for codec in _CHINESE_CODECS if len(data) % 2 else (*_CHINESE_CODECS, "utf-16-le", "utf-16-be"):
        try:
            readings.append(data.decode(codec))
        except UnicodeDecodeError as e:
            if codec == "gb18030":
                gb_stop = e.start
    if readings:
        return max(readings, key=_common_han_share)  # max keeps the first (GB18030) on a tie
    detected = _detected(data)
    if detected is not None:
        return detected
    # Report the reading that got further: a GBK file with one bad byte near its end fails UTF-8 at once.
    name, stop = ("GB18030", gb_stop) if gb_stop > utf8_stop else ("UTF-8", utf8_stop)
    raise PlanParseError(
        f"cannot decode as UTF-8, GB18030/GBK or Big5: {name} stops at byte {stop}",
        document=document,
        line=data.count(b"\n", 0, stop) + 1,
        offset=stop,
    )


_CHINESE_CODECS = ("gb18030", "big5")
_SAMPLE_CHARACTERS = 20_000


def _common_han_share(text: str) -> float:
    """Share of the non-ASCII characters that are common Han characters (in GB2312 once Simplified).

    Bytes read in the wrong one of GB18030 and Big5 still decode, but to rare characters and symbols:
    Big5 read as GB18030 lands in GBK's extension rows, outside GB2312.
    """
    from graph_loader.text import to_simplified

    sample = [c for c in to_simplified(text[:_SAMPLE_CHARACTERS]) if ord(c) > 0x7F]
    if not sample:
        return 0.0
    common = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff" and _in_gb2312(c))
    return common / len(sample)


def _in_gb2312(character: str) -> bool:
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 written without a BOM: (codec, name) when NULs fill one byte of most ASCII characters."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 4 * even and odd * 4 > len(data) // 2 * 0.1:
        return "utf-16-le", "UTF-16LE"
    if even > 4 * odd and even * 4 > len(data) // 2 * 0.1:
        return "utf-16-be", "UTF-16BE"
    return None


def _detected(data: bytes) -> str | None:
    """charset-normalizer's best reading, if it is mostly Han: the last resort, after the Chinese codecs."""
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return text if han * 5 >= len(text.strip()) and han else None


def _decode_wide(data: bytes, skip: int, codec: str, name: str, document: str) -> str:
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as e:
        how = " (the file starts with its byte order mark)" if skip else ""
        raise PlanParseError(
            f"cannot decode as {name}{how}: stops at byte {skip + e.start}",
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
