"""Names people type → the agency, topic or document they mean.

Agencies are identified by ``<jurisdiction>:<canonical name>``, but people type
市大數據局, ｍ市大数据局 with full-width characters, an alias (市大数据发展管理局)
or a bare name. :func:`resolve_agency` folds the input (Simplified, half-width,
no white space), maps aliases to the canonical name with the project's
directory, and then:

- one agency of that name → it;
- the name in several jurisdictions → :class:`BadInput` (422) listing the ids;
- no agency of that name → :class:`NotFound` (404) with up to five suggestions:
  names containing the input (or contained in it) first, shortest first, then
  difflib's closest matches (ratio ≥ 0.5).

Both stores resolve through these functions over their list of agencies, so
they agree on every answer.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from api.errors import BadInput, NotFound
from api.schemas import AgencyRef, DocumentRef
from graph_loader.dictionary import default_vocabulary
from graph_loader.text import fold

MAX_SUGGESTIONS = 5


def canonical_agency_name(text: str) -> str:
    return default_vocabulary().canonical_agency(text)


def resolve_agency(ref: str, agencies: Sequence[AgencyRef]) -> AgencyRef:
    """The agency ``ref`` (an id or a name as typed) means; raises NotFound or BadInput."""
    by_id = {a.id: a for a in agencies}
    if ref in by_id:
        return by_id[ref]
    jurisdiction, _, name = ref.replace("：", ":").rpartition(":")
    canonical = canonical_agency_name(name)
    if not canonical:
        raise BadInput("an agency name is required", details={"query": ref})
    matches = [a for a in agencies if a.name == canonical]
    if jurisdiction:
        matches = [a for a in matches if a.jurisdiction == fold(jurisdiction)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        options = sorted(matches, key=lambda a: a.id)
        raise BadInput(
            f"{canonical} is an agency of several jurisdictions; use one of the ids: "
            + ", ".join(a.id for a in options),
            details={"query": ref, "options": [{"id": a.id, "name": a.name} for a in options]},
        )
    suggestions = suggest(canonical, agencies)
    hint = f"; did you mean {'、'.join(a.name for a in suggestions)}?" if suggestions else ""
    raise NotFound(
        f"no agency named {ref}{hint}",
        details={"query": ref, "suggestions": [{"id": a.id, "name": a.name} for a in suggestions]},
    )


def suggest(name: str, agencies: Sequence[AgencyRef]) -> list[AgencyRef]:
    """Agencies whose names are closest to ``name``: containment first, then difflib similarity."""
    ordered = sorted(agencies, key=lambda a: a.id)
    containing = sorted(
        (a for a in ordered if name in a.name or a.name in name),
        key=lambda a: (len(a.name), a.id),
    )
    close = difflib.get_close_matches(name, [a.name for a in ordered], n=MAX_SUGGESTIONS, cutoff=0.5)
    out: list[AgencyRef] = []
    for a in [*containing, *(a for n in close for a in ordered if a.name == n)]:
        if a not in out:
            out.append(a)
    return out[:MAX_SUGGESTIONS]


def resolve_topic(ref: str, topics: Sequence[str]) -> str:
    """The topic name ``ref`` means (folded to Simplified, half-width); raises NotFound listing the topics."""
    name = fold(ref)
    if name in topics:
        return name
    raise NotFound(f"no topic named {ref}; topics: {'、'.join(sorted(topics))}",
                   details={"query": ref, "topics": sorted(topics)})


def resolve_document(ref: str, documents: Sequence[DocumentRef]) -> DocumentRef:
    """The document ``ref`` (an id or an exact title, folded) means; raises NotFound listing the documents."""
    for doc in documents:
        if ref == doc.id:
            return doc
    title = fold(ref).strip("《》")
    matches = [d for d in documents if fold(d.title) == title]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise BadInput(f"several documents are titled {ref}; use an id",
                       details={"query": ref, "options": [{"id": d.id, "title": d.title} for d in matches]})
    raise NotFound(f"no document {ref}",
                   details={"query": ref, "documents": [{"id": d.id, "title": d.title} for d in documents]})
