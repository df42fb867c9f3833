"""A normalised view of a source text that remembers where every character came from.

The parser works on a folded copy of the plan (half-width punctuation, Simplified
script, no line breaks inside a clause) but every span it reports must index the
original text as read. A ``TextView`` is that copy plus, for each character, its
offset in the source, so folding never costs us provenance.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from functools import lru_cache

import opencc

# Full-width forms that plans mix freely with their ASCII twins.
_WIDTH_FOLD = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "：": ":",
        "，": ",",
        "；": ";",
        "．": ".",
        "　": " ",
        "﹙": "(",
        "﹚": ")",
        "﹕": ":",
        "﹐": ",",
        "﹔": ";",
        "\u00a0": " ",
        "\r": "\n",
        "\u2028": "\n",
    }
    | {chr(0xFF10 + i): str(i) for i in range(10)}
    | {"％": "%", "＋": "+", "－": "-", "～": "~", "﹪": "%"}
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    # OpenCC (BYVoid's project, maintained, with phrase tables) rather than the
    # pure-Python reimplementation, which has not been released since 2023.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified, guaranteed to keep the length (one char in, one out).

    OpenCC may rewrite a phrase into one of another length; offsets would then
    drift, so in that rare case we fall back to converting character by character.
    """
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c2 if len(c2 := _t2s().convert(c)) == 1 else c for c in text)


def fold(text: str) -> str:
    """Canonical form of a short string: half-width, Simplified, no white space."""
    return "".join(to_simplified(text.translate(_WIDTH_FOLD)).split())


_OFFSETS = "q"  # array type code of the origins: 64-bit integers


@dataclass(frozen=True, slots=True)
class TextView:
    """A string plus, for each of its characters, the offset it came from in the source.

    The offsets are an :class:`array.array` of machine integers, not a tuple of Python ints: a
    plan of a few MiB has millions of them, and slicing and joining them is then copying memory.
    """

    text: str
    origin: array[int]

    @classmethod
    def of_source(cls, source: str) -> TextView:
        # \r\n is one line break, not two (the space keeps every offset); a lone \r is one too.
        folded = to_simplified(source.replace("\r\n", " \n").translate(_WIDTH_FOLD))
        return cls(folded, array(_OFFSETS, range(len(source))))

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, key: slice) -> TextView:
        return TextView(self.text[key], self.origin[key])

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """Source span ``[start, end)`` covering ``self.text[start:end]``."""
        end = len(self.text) if end is None else end
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return (at, at)
        return (self.origin[start], self.origin[end - 1] + 1)

    def without_whitespace(self) -> TextView:
        """Drop line breaks and spaces (a name or clause broken across lines joins up)."""
        kept = [(c, o) for c, o in zip(self.text, self.origin, strict=True) if not c.isspace()]
        return TextView("".join(c for c, _ in kept), array(_OFFSETS, (o for _, o in kept)))

    def strip(self, chars: str | None = None) -> TextView:
        stripped_left = len(self.text) - len(self.text.lstrip(chars))
        end = len(self.text.rstrip(chars))
        if end <= stripped_left:
            return self[0:0]
        return self[stripped_left:end]

    def lines(self) -> list[TextView]:
        """Split on line breaks, keeping origins; the breaks themselves are dropped."""
        out: list[TextView] = []
        start = 0
        while (end := self.text.find("\n", start)) != -1:
            out.append(self[start:end])
            start = end + 1
        out.append(self[start:])
        return out

    @staticmethod
    def join(parts: list[TextView]) -> TextView:
        origin = array(_OFFSETS)
        for p in parts:
            origin.extend(p.origin)
        return TextView("".join(p.text for p in parts), origin)
