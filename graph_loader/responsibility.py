"""Recognise responsibility parentheses and read the owners out of them.

Forms seen in plans of this genre (after width folding):
    (责任单位:A、B、C)   (责任单位:A,B、C)   (牵头单位:A;责任单位:B、C)
    (A、B按职责分工负责)  (A负责)  (A牵头,B、C配合)
Any other parenthesis — (RedCap), (二期), (含隧道及高架路) — is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_loader.dictionary import AGENCY_SUFFIX, Vocabulary
from graph_loader.models import Role
from graph_loader.text import TextView

_LABEL = re.compile(r"^(?P<label>(牵头|主办|主责|责任|配合|参与|协办|协同|实施)(单位|部门|主体))(:)(?P<rest>.*)$", re.S)
_LEAD_LABELS = ("牵头", "主办", "主责")
_SUFFIX_FORM = re.compile(
    r"^(?P<list>.+?)(?P<verb>按职责分工负责|按职责分工落实|按职责负责|按职责落实|分工负责|共同负责|分别负责|负责落实|负责)$",
    re.S,
)
_LEAD_CO_FORM = re.compile(r"^(?P<lead>.+?)牵头[,;](?P<co>.+?)(配合|参与|协同|按职责分工负责|负责)?$", re.S)
_COLLECTIVE_TAIL = {"单位", "部门", "机构", "企业"}
_MAX_NAME = 40


@dataclass(frozen=True)
class ListedOwner:
    """One name in a responsibility list, before canonicalisation."""

    view: TextView  # the name as written, origins into the source
    role: Role


def read_owners(inner: TextView, vocabulary: Vocabulary) -> list[ListedOwner] | None:
    """Owners named by a parenthesis' content, or None if it is not a responsibility list."""
    content = inner.strip()
    text = content.text
    if not text:
        return None
    if _LABEL.match(_squash(text)):
        return _labelled(content)
    m = _LEAD_CO_FORM.match(text)
    if m and "牵头" not in m.group("co"):
        leads = _split_names(content[m.start("lead") : m.end("lead")])
        cos = _split_names(content[m.start("co") : m.end("co")])
        if leads and cos and _all_agency_like(leads + cos, vocabulary):
            return [ListedOwner(v, "lead") for v in leads] + [ListedOwner(v, "co") for v in cos]
    m = _SUFFIX_FORM.match(text)
    if m:
        names = _split_names(content[m.start("list") : m.end("list")])
        if names and _all_agency_like(names, vocabulary):
            return _first_leads(names)
    return None


def _squash(text: str) -> str:
    return "".join(text.split())


def _labelled(content: TextView) -> list[ListedOwner] | None:
    segments = _split_top_level(content, ";")
    labelled: list[tuple[str, list[TextView]]] = []
    for seg in segments:
        squashed = seg.without_whitespace()
        m = _LABEL.match(squashed.text)
        if m:
            labelled.append((m.group("label"), _split_names(squashed[m.start("rest") :])))
        elif labelled and squashed.text:
            # An unlabelled tail after a labelled list continues it.
            labelled[-1][1].extend(_split_names(squashed))
    if not any(names for _, names in labelled):
        return None
    if any(label.startswith(_LEAD_LABELS) for label, _ in labelled):
        return [
            ListedOwner(v, "lead" if label.startswith(_LEAD_LABELS) else "co")
            for label, names in labelled
            for v in names
        ]
    return _first_leads([v for _, names in labelled for v in names])


def _first_leads(names: list[TextView]) -> list[ListedOwner]:
    return [ListedOwner(v, "lead" if i == 0 else "co") for i, v in enumerate(names)]


def _split_top_level(view: TextView, separators: str) -> list[TextView]:
    """Split on separators outside nested parentheses: 各区(市)政府 stays whole."""
    return [view[start:end] for start, end in _top_level_spans(view.text, separators)]


def _top_level_spans(text: str, separators: str) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c in separators and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def _split_names(view: TextView) -> list[TextView]:
    """The names of a list, as slices of ``view``.

    Worked on as offsets into ``view`` so that a long list costs time in
    proportion to its length, however many names merge (单位、单位、…).
    """
    text = view.text
    names: list[tuple[int, int]] = []
    for start, end in _top_level_spans(text, "、,"):
        start, end = _strip_span(text, start, end)
        squashed = "".join(text[start:end].split())
        if squashed.endswith("等") and len(squashed) > 1:
            end = _strip_span(text, start, end - 1)[1]  # drop the 等 (the part ends with it once stripped)
        if not squashed:
            continue
        if squashed in _COLLECTIVE_TAIL and names:
            # 市直有关部门、单位: the trailing collective noun belongs to the name before, with the separator.
            names[-1] = (names[-1][0], end)
            continue
        names.append((start, end))
    return [view[start:end] for start, end in names]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end].strip()`` as offsets."""
    part = text[start:end]
    left = len(part) - len(part.lstrip())
    if left == len(part):
        return start, start
    return start + left, start + len(part.rstrip())


def _all_agency_like(names: list[TextView], vocabulary: Vocabulary) -> bool:
    for v in names:
        name = vocabulary.canonical_agency(v.text)
        if vocabulary.is_known_agency(name):
            continue
        if len(name) > _MAX_NAME or not AGENCY_SUFFIX.search(name):
            return False
    return True
