"""Recognise responsibility lists and read the owners out of them.

Forms seen in real plans (docs/FORMS.md has each with where it was seen), after width folding:
    (责任单位:A、B,C)   (牵头单位:A;责任单位:B、C)   (牵头单位:A,参与单位:B)   〔牵头单位:A;配合单位:B〕
    (牵头领导:X,牵头单位:A,责任单位:B,数据提供单位:C)   (…,6月底完成)   (…;完成时限:2025年底)
    (A、B按职责分工负责)  (A负责)  (A牵头负责)  (A、B牵头)  (A牵头,B、C配合)  (A、B配合落实)
    (A、B牵头,C及D按职责分工负责)  (省A、B厅、C局等省有关部门和各地级以上市人民政府按职责分工负责)
    (…,各区市政府。以下任务均需各区市政府落实,不再一一列出)   — a rider: owners of every later task
Any other parenthesis — (RedCap), (二期), (含隧道及高架路) — is text.

A name is a name: a part of a list that holds a sentence, a verb (落实, 负责, 完成) or a
date is never an owner.

Longer than 400 lines on purpose: each form above is a few patterns over the same name splitting
and prefix restoring; split by form, every part would import the others' private helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from graph_loader.dictionary import AGENCY_SUFFIX, Vocabulary
from graph_loader.models import Role
from graph_loader.text import TextView

OPENERS = "(〔【["
CLOSERS = ")〕】]"

_OWNER_LABEL = r"(?:主要参与|牵头|主办|主责|责任|配合|参与|协办|协同|协助|支持|实施)(?:单位|部门|主体)"
_DEADLINE_LABEL = r"完成时限|完成时间|完成期限|时间节点|时限要求|时限"
_OTHER_LABEL = rf"(?:牵头|责任|分管|主管)(?:市|区|县|省)?领导|数据提供单位|{_DEADLINE_LABEL}"
_LABEL = re.compile(rf"^(?P<label>{_OWNER_LABEL}|{_OTHER_LABEL})(?::)(?P<rest>.*)$", re.S)
_LABEL_AT = re.compile(rf"(?:{_OWNER_LABEL}|{_OTHER_LABEL}):")
_LEAD_LABELS = ("牵头", "主办", "主责")
_CO_ONLY_LABELS = ("配合", "参与", "主要参与", "协办", "协同", "协助", "支持")
OWNER_LINE = re.compile(rf"^(?:{_OWNER_LABEL}):")
"""A line that is a label and its owners, written on its own after the task (浙江's 责任分解)."""

_SUFFIX_FORM = re.compile(
    r"^(?P<list>.+?)(?P<verb>按职责分工负责|按职责分工落实|按职责负责|按职责落实|分工负责|共同负责|分别负责|负责落实|"
    r"牵头负责|配合落实|协同推进|共同推进|抓好落实|组织实施|负责实施|牵头落实|落实|负责|牵头|配合)$",
    re.S,
)
_LEAD_VERBS = ("牵头负责", "牵头落实", "牵头")
_CO_VERBS = ("配合落实", "配合")
_LEAD_CO_FORM = re.compile(
    r"^(?P<lead>.+?)牵头(?:负责|落实)?[,;](?P<co>.+?)(?P<verb>配合落实|配合|参与|协同|按职责分工负责|负责)?$", re.S
)
_RIDER = re.compile(
    r"^以下(?:各项)?(?:任务|措施|工作)?(?:责任单位)?均(?:需|须|由|包括|要)?(?P<list>.+?)"
    r"(?:落实|负责|参与|配合)?[,;]?不再一一列出[。]?$",
    re.S,
)
_DEADLINE_FIELD = re.compile(rf"(?:{_DEADLINE_LABEL}):(?P<when>[^;,]+)")
_DUE_PART = re.compile(r"(?:^|[,;])(?P<when>[^,;:]{1,12}?(?:年|月|季度|旬|底|末|内))(?:前|以前)?完成$")
_STATED_ALL_LEAD = re.compile(r"责任单位即为牵头单位")
"""武汉's stated rule: where no 牵头单位 is given, every 责任单位 leads."""

_COLLECTIVE_TAIL = {"单位", "部门", "机构", "企业"}
_NOT_IN_A_NAME = re.compile(
    r"[。!?;:]|落实|负责|完成|推进|不再|列出|均需|均须|牵头|配合|\d+月|\d{4}年|年底|月底|季度|长期|持续"
)
_PLACE_TAIL = re.compile(r"(区|县|市|镇|乡|街道|镇街|乡镇)$")
"""Names a verb form may list without an agency suffix: 黄埔区 (its 政府 elided), 各镇街."""
_PREFIXES = "市省区县州"
_UNPREFIXED_OFFICE = re.compile(r"(局|委|厅|办|委员会|办公室|中心)$")
# A name with a place in it (胶州市政府, 开发区管委) or of a body above the city keeps its own name; a place
# character at the start is no place (市场监管局, 乡村振兴局, 城市管理局).
_NEVER_PREFIXED = re.compile(r"^(国家|中国|中央|人民银行|国网|团|各|有关|相关)|^.{2,}?[市省区县州旗盟]")
_ALL_OR_JOINED = re.compile(r"及|和")
_JOINED_HEAD = re.compile(r"^(各|省|市|区|县|州|有关|相关)")
_PLACEHOLDER_HEAD = re.compile(r"^各([区县市州镇乡]、?)+$")
_BARE_PLACE = re.compile(r"^[^各有相其].{0,8}(区|县|市)$")
_GOVERNMENT_OF_PLACE = re.compile(r"(区|县|市)(?P<government>人民政府|政府)$")
_MAX_NAME = 40


@dataclass(frozen=True)
class ListedOwner:
    """One name in a responsibility list, before canonicalisation."""

    view: TextView  # the name as written, origins into the source
    role: Role
    name: str  # the name to resolve: as written without white space, an elided 市 restored, an alias dropped
    marked_lead: bool = False  # written with 牵头 after it inside a plain list: 市大数据局(牵头)、市财政局

    @property
    def written(self) -> str:
        return self.name


@dataclass(frozen=True)
class Reading:
    """What one responsibility list says: its owners, the owners a rider adds to every later task, and
    when the work is due where the list says (完成时限:2026年6月底, or …,6月底完成)."""

    owners: list[ListedOwner]
    rider: list[ListedOwner] = field(default_factory=list)
    deadline: str | None = None


def states_all_lead(text: str) -> bool:
    """Whether the plan says that where no 牵头单位 is named, every 责任单位 leads (form 19)."""
    return bool(_STATED_ALL_LEAD.search(text))


@dataclass(frozen=True)
class ListContext:
    """What reading a list needs to know of its plan."""

    vocabulary: Vocabulary
    jurisdiction: str = ""  # the plan's: a name starting with it (青岛仲裁办) has its own place, no 市 to restore
    level: str = ""  # what the plan's own departments start with (市, 区 …): 发改局 in a district's plan is 区发改局
    all_lead: bool = False  # the plan says every 责任单位 leads where no 牵头单位 is named (form 19)


def read_owners(inner: TextView, context: ListContext) -> Reading | None:
    """Owners named by a parenthesis' content, or None if it is not a responsibility list."""
    content = inner.strip()
    if not content.text:
        return None
    first, rider = _split_rider(content, context)
    owners = _read_list(first, context)
    if not owners:
        return None
    return Reading(owners, rider, _deadline(first.without_whitespace().text))


def _deadline(text: str) -> str | None:
    """When a list says the work is due: a 完成时限 field's value, or a ``…,6月底完成`` part."""
    found = _DEADLINE_FIELD.search(text) or _DUE_PART.search(text)
    return found.group("when").strip("。") if found else None


def _split_rider(content: TextView, context: ListContext) -> tuple[TextView, list[ListedOwner]]:
    """The list before a 。, and the owners of a rider sentence after it (…。以下任务均需A落实,不再一一列出)."""
    stop = content.text.find("。")
    if stop == -1:
        return content, []
    rider: list[ListedOwner] = []
    for sentence in _split_top_level(content[stop + 1 :], "。"):
        m = _RIDER.match(sentence.strip().without_whitespace().text)
        if m:
            squashed = sentence.strip().without_whitespace()
            names = _split_names(squashed[m.start("list") : m.end("list")], context)
            rider.extend(ListedOwner(v.view, "co", v.name) for v in _name_parts(names, context, strict=False))
    return content[:stop], rider


def _read_list(content: TextView, context: ListContext) -> list[ListedOwner] | None:
    text = content.text
    if _LABEL.match(_squash(text)):
        return _labelled(content, context)
    m = _LEAD_CO_FORM.match(text)
    if m and "牵头" not in m.group("co"):
        leads = _name_parts(_split_names(content[m.start("lead") : m.end("lead")], context), context)
        cos = _name_parts(_split_names(content[m.start("co") : m.end("co")], context), context)
        if leads and cos:
            return [ListedOwner(v.view, "lead", v.name) for v in leads] + [
                ListedOwner(v.view, "co", v.name) for v in cos
            ]
    m = _SUFFIX_FORM.match(text)
    if m:
        names = _name_parts(_split_names(content[m.start("list") : m.end("list")], context), context)
        if not names:
            return None
        verb = m.group("verb")
        if verb in _LEAD_VERBS:
            return [ListedOwner(v.view, "lead", v.name) for v in names]
        if verb in _CO_VERBS:
            return [ListedOwner(v.view, "co", v.name) for v in names]
        return _first_leads(names, context.all_lead)
    return None


def _squash(text: str) -> str:
    return "".join(text.split())


def _labelled(content: TextView, context: ListContext) -> list[ListedOwner] | None:
    labelled: list[tuple[str, list[ListedOwner]]] = []
    for seg in _label_segments(content.without_whitespace()):
        m = _LABEL.match(seg.text)
        if m:
            label = m.group("label")
            names = _split_names(seg[m.start("rest") :], context) if re.fullmatch(_OWNER_LABEL, label) else []
            labelled.append((label, names))
        elif labelled and seg.text and re.fullmatch(_OWNER_LABEL, labelled[-1][0]):
            # An unlabelled tail after a labelled list continues it.
            labelled[-1][1].extend(_split_names(seg, context))
    # Parts that are not names (a deadline, a sentence) are dropped; unknown names are kept.
    labelled = [(label, _name_parts(names, context, strict=False)) for label, names in labelled]
    if not any(names for _, names in labelled):
        return None
    if any(label.startswith(_LEAD_LABELS) for label, _ in labelled):
        return [
            ListedOwner(v.view, "lead" if label.startswith(_LEAD_LABELS) else "co", v.name)
            for label, names in labelled
            for v in names
        ]
    # No lead label: the first 责任单位 leads (all of them where the plan says so); 配合单位 and the like support.
    if any(v.marked_lead for _, names in labelled for v in names):
        return _first_leads([v for _, names in labelled for v in names], context.all_lead)
    owners: list[ListedOwner] = []
    led = False
    for label, names in labelled:
        for v in names:
            supporting = label.startswith(_CO_ONLY_LABELS) or (led and not context.all_lead)
            led = led or not supporting
            owners.append(ListedOwner(v.view, "co" if supporting else "lead", v.name))
    return owners


def _label_segments(content: TextView) -> list[TextView]:
    """Fields of a labelled list: split at ; and at a , that a new label follows (牵头单位:A,参与单位:B)."""
    text = content.text
    cuts = [0]
    for _start, end in _top_level_spans(text, ";,"):
        if end < len(text) and (text[end] == ";" or _LABEL_AT.match(text, end + 1)):
            cuts.append(end + 1)
    cuts.append(len(text) + 1)
    return [content[a : b - 1] for a, b in zip(cuts, cuts[1:], strict=False)]


def _first_leads(names: list[ListedOwner], all_lead: bool) -> list[ListedOwner]:
    if any(v.marked_lead for v in names):
        return [ListedOwner(v.view, "lead" if v.marked_lead else "co", v.name) for v in names]
    return [ListedOwner(v.view, "lead" if i == 0 or all_lead else "co", v.name) for i, v in enumerate(names)]


def _split_top_level(view: TextView, separators: str) -> list[TextView]:
    """Split on separators outside nested parentheses: 各区(市)政府 stays whole."""
    return [view[start:end] for start, end in _top_level_spans(view.text, separators)]


def _top_level_spans(text: str, separators: str) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in OPENERS:
            depth += 1
        elif c in CLOSERS:
            depth = max(0, depth - 1)
        elif c in separators and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def _split_names(view: TextView, context: ListContext) -> list[ListedOwner]:
    """The names of a list, as slices of ``view`` (role to be set by the caller).

    Worked on as offsets into ``view`` so that a long list costs time in proportion to its
    length, however many names merge (单位、单位、…).
    """
    text = view.text
    names: list[tuple[int, int]] = []
    for start, end in _list_spans(text):
        start, end = _strip_span(text, start, end)
        squashed = "".join(text[start:end].split())
        if not squashed:
            continue
        if squashed in _COLLECTIVE_TAIL and names:
            # 市直有关部门、单位: the trailing collective noun belongs to the name before, with the separator.
            names[-1] = (names[-1][0], end)
            continue
        if names and _is_bare_placeholder_head(text[names[-1][0] : names[-1][1]]) and squashed[0] in "区县市州镇乡":
            # 各区、市政府, 各区、县(市)政府: one collective name written with a 、 inside.
            names[-1] = (names[-1][0], end)
            continue
        names.append((start, end))
    views = [view[start:end] for start, end in names]
    return _restore_governments(
        _restore_prefixes([ListedOwner(v, "co", "".join(v.text.split())) for v in views], context)
    )


def _list_spans(text: str) -> list[tuple[int, int]]:
    """Parts of a list: at 、 and , outside parentheses; at 及/和 where both sides are names; at 等 before a group."""
    spans: list[tuple[int, int]] = []
    for start, end in _top_level_spans(text, "、,"):
        spans.extend(_split_joined(text, start, end))
    return spans


def _split_joined(text: str, start: int, end: int) -> list[tuple[int, int]]:
    part = text[start:end]
    for m in _ALL_OR_JOINED.finditer(part):
        left, right = part[: m.start()].strip(), part[m.end() :].strip()
        if right and AGENCY_SUFFIX.search(_without_etc(left)) and (m.group() == "及" or _JOINED_HEAD.match(right)):
            cut = start + m.start()
            return [*_split_etc(text, start, cut), *_split_joined(text, cut + 1, end)]
    return _split_etc(text, start, end)


def _split_etc(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``D局等省有关部门`` is D局 and 省有关部门; a final 等 is dropped."""
    part = text[start:end].rstrip()
    at = part.find("等")
    if at > 0 and AGENCY_SUFFIX.search(part[:at]) and at + 1 < len(part):
        return [(start, start + at), (start + at + 1, end)]
    if part.endswith("等") and len(part) > 1:
        return [(start, start + len(part) - 1)]
    return [(start, end)]


def _without_etc(text: str) -> str:
    return text[:-1] if text.endswith("等") else text


def _is_bare_placeholder_head(text: str) -> bool:
    """各区, 各县, 各市、州: the head of a collective name, never a name on its own."""
    return bool(_PLACEHOLDER_HEAD.match(_squash(text)))


def _restore_prefixes(names: list[ListedOwner], context: ListContext) -> list[ListedOwner]:
    """市教育局、体育局 means 市体育局: a 市/省/区/县/州 written once applies to the offices after it.

    Before any, an office written bare (发改局、统计局) is one of the plan's own level.
    """
    out: list[ListedOwner] = []
    prefix, jurisdiction = context.level, context.jurisdiction
    for owner in names:
        written = owner.written
        if written[:1] in _PREFIXES and AGENCY_SUFFIX.search(written) and not written.startswith("市场"):
            prefix = written[0]
        elif (
            prefix
            and _UNPREFIXED_OFFICE.search(written)
            and not _NEVER_PREFIXED.search(written)
            and not (jurisdiction and written.startswith(jurisdiction))
        ):
            owner = replace(owner, name=prefix + written)
        out.append(owner)
    return out


def _restore_governments(names: list[ListedOwner]) -> list[ListedOwner]:
    """市南区、市北区政府 means 市南区政府: a 政府 written once, on the last of a run of places."""
    out = list(names)
    for i in range(len(out) - 2, -1, -1):
        place, following = out[i].written, out[i + 1].written
        m = _GOVERNMENT_OF_PLACE.search(following)
        if m and _BARE_PLACE.match(place):
            out[i] = replace(out[i], name=place + m.group("government"))
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end].strip()`` as offsets."""
    part = text[start:end]
    left = len(part) - len(part.lstrip())
    if left == len(part):
        return start, start
    return start + left, start + len(part.rstrip())


def _name_parts(names: list[ListedOwner], context: ListContext, *, strict: bool = True) -> list[ListedOwner]:
    """The parts that are names, with an alias in parentheses dropped (市农业农村局(市乡村振兴局)).

    ``strict`` (the verb forms, where only the shape tells a list from text) also asks that every
    part ends like an agency or a place, and returns nothing if one does not.
    """
    kept: list[ListedOwner] = []
    for owner in names:
        owner = _drop_alias(_lead_mark(owner))
        written = owner.written
        if not is_name(written):
            if strict:
                return []
            continue
        vocabulary = context.vocabulary
        if strict and not (
            vocabulary.is_known_agency(vocabulary.canonical_agency(written))
            or AGENCY_SUFFIX.search(written)
            or _PLACE_TAIL.search(written)
        ):
            return []
        kept.append(owner)
    return kept


def is_name(written: str) -> bool:
    """Whether a part of a list can be a name at all: no sentence, verb or date in it, not too long."""
    return 0 < len(written) <= _MAX_NAME and not _NOT_IN_A_NAME.search(written)


def _lead_mark(owner: ListedOwner) -> ListedOwner:
    """市大数据局(牵头) or 市大数据局牵头 inside a plain list: that name leads."""
    for mark in ("(牵头)", "牵头"):
        if owner.name.endswith(mark) and len(owner.name) > len(mark) + 1:
            return ListedOwner(owner.view, "lead", owner.name[: -len(mark)], marked_lead=True)
    return owner


def _drop_alias(owner: ListedOwner) -> ListedOwner:
    written = owner.written
    if not written.endswith(")") or written.startswith("各"):
        return owner
    open_at = written.rfind("(")
    outer, inner = written[:open_at], written[open_at + 1 : -1]
    if open_at > 0 and AGENCY_SUFFIX.search(outer) and AGENCY_SUFFIX.search(inner) and len(inner) >= 3:
        return replace(owner, name=outer)
    return owner
