"""Export file formats: one table row per format (writer, reader, media type, what it carries).

A new format is one entry in :data:`FORMATS`. Every writer is tested by a
round trip: what :func:`dumps` writes, :func:`loads` reads back equal to
``prepare(graph, fmt)`` — the graph as that format holds it. Each row's
``carries`` says what that is; :func:`prepare` makes the same conversions
every time:

- **GraphML, GEXF** (Gephi; yEd reads GraphML): every node and edge with every attribute.
  A node's display ``label`` is its Chinese ``name`` (its id when it has none)
  and its type (Agency, Task …: the graph model's ``label``) moves to the
  attribute ``type`` — Gephi shows the label on screen and in its data
  laboratory, and showed every node as "Agency" when it held the type. Edges
  keep ``label`` = relationship type. An attribute holding both ints and
  floats across the graph becomes float everywhere (both formats type a
  column once). In GEXF, lists are ``liststring`` attributes, written
  ``[大模型, 人工智能]`` as the GEXF 1.3 primer spells a list (networkx's own
  writer takes a Python list for dynamic data, so :func:`_write_gexf` adds the
  type itself); edge weights are floats (as GEXF reads them back) and every
  edge gets an ``id`` (``e0``, ``e1`` … in edge order). GraphML has no list
  type: a list becomes its items joined by :data:`LIST_SEPARATOR`.
- **Node-link JSON** (notebooks): everything as the graph model has it,
  lists and ints included, node ``label`` = type.
- **CSV** (Excel, Gephi's spreadsheet import): UTF-8 with a byte-order mark,
  without which Excel reads UTF-8 as the local code page and garbles Chinese.
  Ids, names and types stay text; any other cell reads back as an int, float
  or bool only when that value writes back to exactly the same text (``3``,
  ``0.25``, ``true``; not ``007`` or ``3.50``), an empty cell as no value,
  and a list as its items joined by :data:`LIST_SEPARATOR`. ``csv-edges``
  holds the edges (nodes only as edge ends, with their names), ``csv-nodes``
  the nodes (no edges), ``matrix`` the adjacency matrix (UCINET, Excel).
- **Pajek** ``.net``: nodes by name and edge weights (as floats), through
  networkx's ``write_pajek``/``read_pajek``.

``matrix`` and ``pajek`` name each node by its Chinese name, by its id where
two nodes share a name (two jurisdictions' 市大数据局), so the file reads
like the plan and no two rows merge.

Longer than 400 lines on purpose: seven formats, each row's writer, reader and
conversions beside the table that names them, so that a format is read (and
changed) in one place; split by format, every part would need the shared
conversions (list separator, typed CSV cells, node naming) from the others.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFReader, GEXFWriter

LIST_SEPARATOR = "; "
"""How GraphML and CSV hold a list (``tasks``, ``terms``): its items joined by "; ".

Not JSON, whose quotes and brackets an analyst has to read around in Gephi's
data laboratory or Excel; not "、", which occurs inside Chinese plan text
and agency lists. An ASCII semicolon and space occur in none of our task ids
or terms, Excel's "text to columns" splits on it, and
``text.split(LIST_SEPARATOR)`` gives the list back (an item that itself held
"; " would come back split).
"""

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark: Excel opens Chinese text right only with it."""


@dataclass(frozen=True)
class FileFormat:
    """One export format: how a graph is written and read back, and what the file holds of it."""

    name: str
    media_type: str
    suffix: str
    """The end of a file name in this format (``network`` + ``.edges.csv``)."""
    carries: str
    """What a file of this format holds of a graph; the round trip compares exactly that."""
    convert: Callable[[nx.Graph], nx.Graph]
    """The graph as this format holds it: a new graph, the given one untouched (:func:`prepare`)."""
    write: Callable[[nx.Graph], bytes]
    """Writes a converted graph."""
    read: Callable[[bytes], nx.Graph]
    """Reads a file back into a graph equal to the converted one."""


def _display(node: Hashable, data: Mapping[str, Any]) -> str:
    """What a person should see for a node: its name, its id when it has none."""
    name = data.get("name")
    return name if isinstance(name, str) and name.strip() else str(node)


def _shown_names(graph: nx.Graph, clean: Callable[[str], str] = str) -> dict[Hashable, str]:
    """A unique name per node for files that key nodes by name: the name, the id where names collide."""
    names = {node: clean(_display(node, d)) for node, d in graph.nodes(data=True)}
    counts = Counter(names.values())
    shown = {node: name if counts[name] == 1 else clean(str(node)) for node, name in names.items()}
    if len(set(shown.values())) < len(shown):  # an id equal to another node's name
        shown = {node: clean(str(node)) for node in graph}
    if len(set(shown.values())) < len(shown):
        raise ValueError("nodes cannot be told apart by name or id in this format")
    return shown


# -- GraphML, GEXF, JSON ----------------------------------------------------------------------------------


def _bare_copy(graph: nx.Graph) -> nx.Graph:
    """The graph without graph-level attributes, which no export carries."""
    out = graph.copy()
    out.graph.clear()
    return out


def _xml_convert(gexf: bool) -> Callable[[nx.Graph], nx.Graph]:
    def convert(graph: nx.Graph) -> nx.Graph:
        out = _bare_copy(graph)
        _scalars(out, gexf)
        _label_is_name(out)
        if gexf:
            _gexf_edges(out)
        return out

    return convert


def _scalars(out: nx.Graph, gexf: bool) -> None:
    """Lists as the format holds them (GEXF: lists of text; GraphML: joined text), mappings as JSON text,
    and an attribute with floats anywhere float everywhere."""
    for items in (list(out.nodes.values()), [d for _, _, d in out.edges(data=True)]):
        floats = {k for d in items for k, v in d.items() if isinstance(v, float)}
        for d in items:
            for k, v in list(d.items()):
                if isinstance(v, list | tuple | set):
                    values = [str(x) for x in (sorted(v) if isinstance(v, set) else v)]
                    d[k] = values if gexf else LIST_SEPARATOR.join(values)
                elif isinstance(v, dict):
                    d[k] = json.dumps(v, ensure_ascii=False, sort_keys=True)
                elif k in floats and isinstance(v, int) and not isinstance(v, bool):
                    d[k] = float(v)


def _label_is_name(out: nx.Graph) -> None:
    """The node type moves from ``label`` to ``type``; ``label``, which Gephi displays, becomes the name."""
    for node, d in out.nodes(data=True):
        if "type" in d:
            raise ValueError(f"node {node!r} has a 'type' attribute; GraphML and GEXF put its label there")
        if "label" in d:
            d["type"] = d.pop("label")
        d["label"] = _display(node, d)


def _gexf_edges(graph: nx.Graph) -> None:
    """GEXF reads edge weights back as floats and wants an id on every edge."""
    for i, (_, _, d) in enumerate(graph.edges(data=True)):
        d["id"] = f"e{i}"
        if "weight" in d:
            d["weight"] = float(d["weight"])


def _write_graphml(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


class _GexfList(str):
    """A list in GEXF list syntax, so that the writer declares its attribute ``liststring``."""


def _write_gexf(graph: nx.Graph) -> bytes:
    """networkx's GEXF writer (as ``nx.write_gexf`` runs it), told that a :class:`_GexfList` is a liststring."""
    lists = graph.copy()
    for d in [*lists.nodes.values(), *(d for _, _, d in lists.edges(data=True))]:
        for k, v in d.items():
            if isinstance(v, list):
                d[k] = _GexfList(_gexf_list_text(v))
    writer = GEXFWriter(encoding="utf-8")
    writer.xml_type[_GexfList] = "liststring"
    writer.add_graph(lists)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


_GEXF_QUOTE = re.compile(r"""[,\[\]"'\\]""")


def _gexf_list_text(items: Iterable[str]) -> str:
    """``[a, b]``; an item with a comma, bracket, quote or backslash, or edge spaces, or empty, in double quotes."""
    def item(s: str) -> str:
        if s and s == s.strip() and not _GEXF_QUOTE.search(s):
            return s
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "[" + ", ".join(item(s) for s in items) + "]"


_GEXF_ITEM = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^,"']*?))\s*(,|\Z)""", re.DOTALL)


def _gexf_list(text: str) -> list[str]:
    """The items of a GEXF list value (``[a, "b, c"]``), as the GEXF 1.3 primer writes them."""
    body = text.strip()
    if body[:1] != "[" or body[-1:] != "]":
        raise ValueError(f"not a GEXF list: {text!r}")
    body = body[1:-1]
    if not body.strip():
        return []
    items: list[str] = []
    pos = 0
    while True:
        m = _GEXF_ITEM.match(body, pos)
        if m is None:
            raise ValueError(f"not a GEXF list: {text!r}")
        quoted = m.group(1) if m.group(1) is not None else m.group(2)
        items.append(re.sub(r"\\(.)", r"\1", quoted, flags=re.DOTALL) if quoted is not None else m.group(3))
        pos = m.end()
        if not m.group(4):
            return items


def _read_gexf(data: bytes) -> nx.Graph:
    """networkx's GEXF reader (as ``nx.read_gexf`` runs it), reading ``liststring`` values back into lists."""
    reader = GEXFReader()
    reader.python_type["liststring"] = _gexf_list
    graph: nx.Graph = reader(io.BytesIO(data))
    return graph


def _write_json(graph: nx.Graph) -> bytes:
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


# -- CSV: one cell's text and back --------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A value as CSV text: bools as true/false, floats exactly, lists joined by :data:`LIST_SEPARATOR`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple | set):
        return LIST_SEPARATOR.join(_cell(x) for x in (sorted(value) if isinstance(value, set) else value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


_INT_TEXT = re.compile(r"-?[0-9]+")


def _typed(text: str) -> Any:
    """A cell's value: no value when empty; int, float or bool only when that value writes back as ``text``."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    if _INT_TEXT.fullmatch(text) and str(int(text)) == text:
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) and repr(number) == text else text


def _as_read(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes as a CSV reader gets them back from their cells."""
    return {k: v for k, v in ((k, _typed(_cell(v))) for k, v in attrs.items()) if v is not None}


def _csv_bytes(rows: Iterable[list[str]]) -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(CSV_ENCODING)


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(CSV_ENCODING), newline="")))


def _columns(items: Iterable[Mapping[str, Any]], fixed: tuple[str, ...], own: set[str], what: str) -> list[str]:
    """The attribute columns after the fixed ones, by name.

    ``own`` are the fixed columns an attribute of that name fills (``weight``); an attribute named like
    another fixed column (an edge's ``source``) is refused rather than lost.
    """
    names = {k for d in items for k in d}
    clash = sorted(names & set(fixed) - own)
    if clash:
        raise ValueError(f"{what} attribute(s) {', '.join(clash)} would overwrite CSV columns of that name")
    return sorted(names - set(fixed))


# -- csv-edges ----------------------------------------------------------------------------------------------

EDGE_COLUMNS = ("source", "target", "source_name", "target_name", "weight", "type")
"""The first columns of ``csv-edges``; ``type`` is ``directed`` or ``undirected``, as each row of an edge
table in Gephi's spreadsheet import says it (source, target, weight and type are the names it looks for)."""


def _edges_convert(graph: nx.Graph) -> nx.Graph:
    """The edges with their attributes as read from text, the nodes at their ends with only their name.

    An edge list says directed or undirected on each row, so one with no rows comes back undirected.
    """
    out = nx.DiGraph() if graph.is_directed() and graph.number_of_edges() else nx.Graph()
    _columns((d for _, _, d in graph.edges(data=True)), EDGE_COLUMNS, {"weight"}, "edge")
    for u, v, d in graph.edges(data=True):
        for end in (u, v):
            name = _cell(graph.nodes[end].get("name"))
            out.add_node(str(end), **({"name": name} if name else {}))
        out.add_edge(str(u), str(v), **_as_read(d))
    return out


def _write_edges(graph: nx.Graph) -> bytes:
    columns = _columns((d for _, _, d in graph.edges(data=True)), EDGE_COLUMNS, {"weight"}, "edge")
    kind = "directed" if graph.is_directed() else "undirected"
    rows = [[*EDGE_COLUMNS, *columns]]
    for u, v, d in graph.edges(data=True):
        names = [_cell(graph.nodes[n].get("name")) for n in (u, v)]
        rows.append([str(u), str(v), *names, _cell(d.get("weight")), kind, *(_cell(d.get(k)) for k in columns)])
    return _csv_bytes(rows)


def _read_edges(data: bytes) -> nx.Graph:
    header, *rows = _csv_rows(data)
    if tuple(header[: len(EDGE_COLUMNS)]) != EDGE_COLUMNS:
        raise ValueError(f"an edge list starts with the columns {', '.join(EDGE_COLUMNS)}")
    kinds = {row[5] for row in rows}
    if not kinds <= {"directed", "undirected"} or len(kinds) > 1:
        raise ValueError(f"an edge list is all directed or all undirected, not {', '.join(sorted(kinds))}")
    graph = nx.DiGraph() if kinds == {"directed"} else nx.Graph()
    for source, target, source_name, target_name, weight, _, *cells in rows:
        for node, name in ((source, source_name), (target, target_name)):
            graph.add_node(node, **({"name": name} if name else {}))
        attrs = {k: _typed(text) for k, text in zip(["weight", *header[6:]], [weight, *cells], strict=True)}
        graph.add_edge(source, target, **{k: v for k, v in attrs.items() if v is not None})
    return graph


# -- csv-nodes ----------------------------------------------------------------------------------------------

NODE_COLUMNS = ("id", "name", "type")
"""The first columns of ``csv-nodes``; ``type`` is the node's type (the graph model's ``label``)."""


def _nodes_convert(graph: nx.Graph) -> nx.Graph:
    """The nodes with their attributes as read from text, the type as ``type``; no edges."""
    out = nx.Graph()
    _columns((_node_row(d) for _, d in graph.nodes(data=True)), NODE_COLUMNS, {"name", "type"}, "node")
    for node, d in graph.nodes(data=True):
        row = _node_row(d)
        text = {k: _cell(row.pop(k, None)) for k in ("name", "type")}
        out.add_node(str(node), **{k: v for k, v in text.items() if v}, **_as_read(row))
    return out


def _node_row(d: Mapping[str, Any]) -> dict[str, Any]:
    """A node's attributes with its type under ``type``, where csv-nodes puts it."""
    row = {k: v for k, v in d.items() if k != "label"}
    if "label" in d:
        if "type" in d:
            raise ValueError("a node with both a label and a 'type' attribute has two types")
        row["type"] = d["label"]
    return row


def _write_nodes(graph: nx.Graph) -> bytes:
    rows = [_node_row(d) for _, d in graph.nodes(data=True)]
    columns = _columns(rows, NODE_COLUMNS, {"name", "type"}, "node")
    table = [[*NODE_COLUMNS, *columns]]
    for node, row in zip(graph, rows, strict=True):
        table.append([str(node), _cell(row.get("name")), _cell(row.get("type")), *(_cell(row.get(k)) for k in columns)])
    return _csv_bytes(table)


def _read_nodes(data: bytes) -> nx.Graph:
    header, *rows = _csv_rows(data)
    if tuple(header[: len(NODE_COLUMNS)]) != NODE_COLUMNS:
        raise ValueError(f"a node list starts with the columns {', '.join(NODE_COLUMNS)}")
    graph = nx.Graph()
    for node, name, kind, *cells in rows:
        attrs = {k: _typed(text) for k, text in zip(header[3:], cells, strict=True)}
        text = {k: v for k, v in (("name", name), ("type", kind)) if v}
        graph.add_node(node, **text, **{k: v for k, v in attrs.items() if v is not None})
    return graph


# -- matrix -------------------------------------------------------------------------------------------------

DIRECTED_CORNER = "directed"
"""The top-left cell of a directed graph's matrix (rows are sources, columns targets); an undirected one's
says ``undirected``. A labelled matrix's corner holds no value, so UCINET and Excel pass over it."""


def _weight(d: Mapping[str, Any]) -> int | float:
    """An edge's weight: its ``weight``, 1 for an edge without one."""
    w = d.get("weight", 1)
    if isinstance(w, bool) or not isinstance(w, int | float):
        raise ValueError(f"an edge weight must be a number, not {w!r}")
    return w


def _matrix_convert(graph: nx.Graph) -> nx.Graph:
    """Nodes by shown name, edges with only their weight (an edge of weight 0 writes a 0 cell, which is no edge)."""
    names = _shown_names(graph)
    out = nx.DiGraph() if graph.is_directed() else nx.Graph()
    out.add_nodes_from(names[n] for n in graph)
    for u, v, d in graph.edges(data=True):
        if _weight(d) != 0:
            out.add_edge(names[u], names[v], weight=_typed(_cell(_weight(d))))
    return out


def _write_matrix(graph: nx.Graph) -> bytes:
    nodes = list(graph)
    rows = [[DIRECTED_CORNER if graph.is_directed() else "undirected", *nodes]]
    for u in nodes:
        rows.append([u, *(_cell(graph.edges[u, v]["weight"]) if graph.has_edge(u, v) else "0" for v in nodes)])
    return _csv_bytes(rows)


def _read_matrix(data: bytes) -> nx.Graph:
    (corner, *nodes), *rows = _csv_rows(data)
    if [row[0] for row in rows] != nodes:
        raise ValueError("a matrix names the same nodes, in the same order, in its first row and column")
    graph = nx.DiGraph() if corner == DIRECTED_CORNER else nx.Graph()
    graph.add_nodes_from(nodes)
    cells = [row[1:] for row in rows]
    for i, u in enumerate(nodes):
        for j, v in enumerate(nodes):
            if not graph.is_directed() and cells[i][j] != cells[j][i]:
                raise ValueError(f"an undirected matrix is symmetric; {u}/{v} is not")
            weight = _typed(cells[i][j])
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise ValueError(f"matrix cell {u}/{v} is not a number: {cells[i][j]!r}")
            if weight != 0 and (graph.is_directed() or j >= i):
                graph.add_edge(u, v, weight=weight)
    return graph


# -- Pajek --------------------------------------------------------------------------------------------------

_PAJEK_UNSAFE = str.maketrans({'"': "＂", "'": "＇", "\\": "＼"})


def _pajek_label(text: str) -> str:
    """A label networkx's Pajek reader gets back whole.

    ``write_pajek`` writes a label as it is (UTF-8, so Chinese passes) and
    puts it in double quotes only when it holds a space; ``read_pajek``
    splits a line shell-like, so quotes and backslashes in a label would cut
    or join it, and a tab or newline would end it. Those become their
    full-width forms and single spaces.
    """
    return " ".join(text.translate(_PAJEK_UNSAFE).split())


def _pajek_convert(graph: nx.Graph) -> nx.Graph:
    """Nodes by shown name (Pajek-safe), edges with only their weight, as a float."""
    names = _shown_names(graph, _pajek_label)
    out = nx.DiGraph() if graph.is_directed() else nx.Graph()
    out.add_nodes_from(names[n] for n in graph)
    for u, v, d in graph.edges(data=True):
        out.add_edge(names[u], names[v], weight=float(_weight(d)))
    return out


def _write_pajek(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_pajek(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def _read_pajek(data: bytes) -> nx.Graph:
    """``read_pajek``'s multigraph as a plain graph, without the vertex numbers and drawing defaults
    (``id``, ``x``, ``y``, ``shape``) the writer filled in."""
    multi = nx.read_pajek(io.BytesIO(data), encoding="utf-8")
    graph = nx.DiGraph() if multi.is_directed() else nx.Graph()
    graph.add_nodes_from(multi)
    graph.add_edges_from((u, v, {"weight": d["weight"]}) for u, v, d in multi.edges(data=True))
    return graph


FORMATS: dict[str, FileFormat] = {
    f.name: f
    for f in (
        FileFormat("graphml", "application/graphml+xml", ".graphml",
                   "every node and edge attribute; node label = name, its type in `type`; lists as '; '-joined text",
                   _xml_convert(gexf=False), _write_graphml, lambda data: nx.read_graphml(io.BytesIO(data))),
        FileFormat("gexf", "application/gexf+xml", ".gexf",
                   "every node and edge attribute; node label = name, its type in `type`; lists as liststring",
                   _xml_convert(gexf=True), _write_gexf, _read_gexf),
        FileFormat("json", "application/json", ".json",
                   "node-link JSON: everything as the graph model has it (node label = type)",
                   _bare_copy, _write_json, lambda data: nx.node_link_graph(json.loads(data), edges="edges")),
        FileFormat("csv-edges", "text/csv", ".edges.csv",
                   "edges with their attributes and the names of their ends; no node without an edge",
                   _edges_convert, _write_edges, _read_edges),
        FileFormat("csv-nodes", "text/csv", ".nodes.csv",
                   "nodes with id, name, type and their attributes; no edges",
                   _nodes_convert, _write_nodes, _read_nodes),
        FileFormat("matrix", "text/csv", ".matrix.csv",
                   "adjacency matrix by node name (id where names collide), cells the edge weight, 0 no edge",
                   _matrix_convert, _write_matrix, _read_matrix),
        FileFormat("pajek", "text/plain", ".net",
                   "Pajek .net: nodes by name (id where names collide) and edge weights; no other attribute",
                   _pajek_convert, _write_pajek, _read_pajek),
    )
}


def file_format(name: str) -> FileFormat:
    """The format called ``name``; ValueError naming the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; one of {', '.join(FORMATS)}") from None


def prepare(graph: nx.Graph, fmt: str) -> nx.Graph:
    """A new graph holding what ``fmt`` holds of ``graph``, as its reader gives it back (see the module docstring)."""
    return file_format(fmt).convert(graph)


def dumps(graph: nx.Graph, fmt: str) -> bytes:
    """``graph`` as a ``fmt`` document (UTF-8; CSV with a byte-order mark)."""
    spec = file_format(fmt)
    return spec.write(spec.convert(graph))


def loads(data: bytes, fmt: str) -> nx.Graph:
    """Read back what :func:`dumps` wrote: equal to ``prepare(graph, fmt)``."""
    return file_format(fmt).read(data)
