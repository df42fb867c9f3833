"""Names people type → the agency, topic or document they mean.

Agencies are identified by ``<jurisdiction>:<canonical name>``, but people type
市大數據局, ｍ市大数据局 with full-width characters, an alias (市大数据发展管理局)
or a bare name. :func:`resolve_agency` folds the input (Simplified, half-width,
no white space), maps aliases to the canonical name with the project's
directory, and then:

- one agency of that name → it;
- the name in several jurisdictions → :class:`BadInput` (422) listing the ids;
- a name with its jurisdiction in front (青岛市大数据局) → 市大数据局 of 青岛;
- no agency of that name → :class:`NotFound` (404) with up to five suggestions:
  names containing the input (or contained in it) first, shortest first, then
  names holding its characters in order (工信局 → 市工业和信息化局), then
  difflib's closest matches (ratio ≥ 0.5).

Both stores resolve through these functions over their list of agencies, so
they agree on every answer.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from api.errors import BadInput, NotFound
from api.schemas import AgencyRef, DocumentRef
from graph_loader.dictionary import default_vocabulary
from graph_loader.text import fold

MAX_SUGGESTIONS = 5
MAX_LISTED = 20
"""Most options a 404 lists (kinds, jurisdictions, project numbers)."""


_ADMINISTRATIVE_LEVEL = "省市区县"
"""What follows a jurisdiction's name in front of an agency's: 青岛|市大数据局, 山东|省大数据局."""
_LONGEST_JURISDICTION = 8


def canonical_agency_name(text: str) -> str:
    return default_vocabulary().canonical_agency(text)


AgencyKey = tuple[str | None, str]
"""(jurisdiction, or None for any; canonical name)."""


def agency_keys(ref: str) -> list[AgencyKey]:
    """What a typed agency reference can mean, most literal reading first.

    ``青岛:市大数据局`` → [(青岛, 市大数据局)]; ``市大數據局`` → [(None, 市大数据局)];
    ``青岛市大数据局`` → [(None, 青岛市大数据局), (青岛, 市大数据局)].
    """
    jurisdiction, _, name = ref.replace("：", ":").rpartition(":")
    canonical = canonical_agency_name(name)
    keys: list[AgencyKey] = [(fold(jurisdiction) or None, canonical)]
    if not jurisdiction:
        for i in range(2, min(len(canonical) - 1, _LONGEST_JURISDICTION + 1)):
            if canonical[i] in _ADMINISTRATIVE_LEVEL:
                keys.append((canonical[:i], canonical_agency_name(canonical[i:])))
    return keys


def resolve_agency(
    ref: str, agencies: Sequence[AgencyRef], nearby: Callable[[], Sequence[AgencyRef]] | None = None
) -> AgencyRef:
    """The agency ``ref`` (an id or a name as typed) means; raises NotFound or BadInput.

    ``agencies`` must hold at least every agency that one of ``agency_keys(ref)`` names (and the one
    whose id is ``ref``); a 404's suggestions are drawn from ``nearby()`` (default: ``agencies``).
    """
    by_id = {a.id: a for a in agencies}
    if ref in by_id:
        return by_id[ref]
    keys = agency_keys(ref)
    canonical = keys[0][1]
    if not canonical:
        raise BadInput("an agency name is required", details={"query": ref})
    for jurisdiction, name in keys:
        matches = [a for a in agencies if a.name == name and jurisdiction in (None, a.jurisdiction)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            options = sorted(matches, key=lambda a: a.id)[:MAX_LISTED]
            raise BadInput(
                f"{name} is an agency of several jurisdictions; use one of the ids: "
                + ", ".join(a.id for a in options),
                details={"query": ref, "options": [{"id": a.id, "name": a.name} for a in options]},
            )
    suggestions = suggest(canonical, nearby() if nearby else agencies)
    hint = f"; did you mean {'、'.join(a.name for a in suggestions)}?" if suggestions else ""
    raise NotFound(
        f"no agency named {ref}{hint}",
        details={"query": ref, "suggestions": [{"id": a.id, "name": a.name} for a in suggestions]},
    )


def suggest(name: str, agencies: Sequence[AgencyRef]) -> list[AgencyRef]:
    """Agencies whose names are closest to ``name``: containment first, then the characters of ``name`` in
    order (an abbreviation: 工信局), then difflib similarity."""
    ordered = sorted(agencies, key=lambda a: a.id)
    containing = sorted(
        (a for a in ordered if name in a.name or a.name in name),
        key=lambda a: (len(a.name), a.id),
    )
    abbreviated = sorted((a for a in ordered if _in_order(name, a.name)), key=lambda a: (len(a.name), a.id))
    close = difflib.get_close_matches(name, [a.name for a in ordered], n=MAX_SUGGESTIONS, cutoff=0.5)
    out: list[AgencyRef] = []
    for a in [*containing, *abbreviated, *(a for n in close for a in ordered if a.name == n)]:
        if a not in out:
            out.append(a)
    return out[:MAX_SUGGESTIONS]


def _in_order(short: str, name: str) -> bool:
    """Every character of ``short`` appears in ``name``, in the same order."""
    rest = iter(name)
    return all(c in rest for c in short)


def resolve_topic(ref: str, exists: Callable[[str], bool], topics: Callable[[], Sequence[str]]) -> str:
    """The topic name ``ref`` means (folded), when ``exists(name)``; NotFound listing ``topics()``."""
    name = fold(ref)
    if exists(name):
        return name
    listed = sorted(topics())
    raise NotFound(f"no topic named {ref}; topics: {'、'.join(listed)}", details={"query": ref, "topics": listed})


def resolve_choice(
    ref: str, what: str, exists: Callable[[str], bool], options: Callable[[], Sequence[str]]
) -> str:
    """``ref`` folded, when ``exists(value)``; NotFound listing ``options()`` (the closest first) otherwise.

    ``exists`` is the store's indexed lookup, so resolving does not depend on how many there are.
    """
    value = fold(ref)
    if exists(value):
        return value
    choices = sorted(options())
    close = difflib.get_close_matches(value, choices, n=MAX_SUGGESTIONS, cutoff=0.3)
    listed = [*close, *(o for o in choices if o not in close)][:MAX_LISTED]
    raise NotFound(f"no {what} {ref}; {what}s: {', '.join(listed)}{' …' if len(choices) > len(listed) else ''}",
                   details={"query": ref, "options": listed})


def resolve_project(ref: str, number: int | None, found: bool, numbers: Sequence[int]) -> str:
    """``ref`` as a project filter when ``found`` (some project has that id or number); NotFound listing
    ``numbers`` otherwise."""
    if found:
        return ref
    listed = [str(n) for n in sorted(numbers)][:MAX_LISTED]
    read = f" (read as number {number})" if number is not None and str(number) != ref.strip() else ""
    raise NotFound(f"no project {ref}{read}; projects are numbered {', '.join(listed) or 'nothing: no plans'}"
                   " in the documents loaded, or give a project id", details={"query": ref, "options": listed})


def document_title(ref: str) -> str:
    """A typed title as titles are stored: folded, without 《》."""
    return fold(ref).strip("《》")


def resolve_document(
    ref: str, matches: Sequence[DocumentRef], others: Callable[[], Sequence[DocumentRef]]
) -> DocumentRef:
    """The document ``ref`` means, from ``matches`` (the documents whose id, earlier id or title is ``ref``);
    raises BadInput when several titles match, NotFound with the closest of ``others()`` when none does."""
    by_id = [d for d in matches if d.id == ref]
    if len(by_id) == 1 or len(matches) == 1:
        return (by_id or matches)[0]
    if matches:
        raise BadInput(f"several documents are titled {ref}; use an id",
                       details={"query": ref,
                                "options": [{"id": d.id, "title": d.title} for d in matches[:MAX_LISTED]]})
    candidates = sorted(others(), key=lambda d: d.id)
    close = difflib.get_close_matches(document_title(ref), [d.title for d in candidates], n=MAX_SUGGESTIONS, cutoff=0.3)
    nearest = [d for title in close for d in candidates if d.title == title][:MAX_SUGGESTIONS]
    hint = f"; did you mean {'、'.join(d.title for d in nearest)}? (see /documents)" if nearest else "; see /documents"
    raise NotFound(f"no document {ref}{hint}",
                   details={"query": ref, "documents": [{"id": d.id, "title": d.title} for d in nearest]})
