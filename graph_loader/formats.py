"""Export file formats: one table row per format (writer, reader, media type).

A new format is one entry in :data:`FORMATS`. Every writer is tested by a
round trip: what :func:`dumps` writes, :func:`loads` (networkx's own readers)
reads back equal to ``prepare(graph, fmt)``: same nodes, edges and attributes.

GraphML and GEXF hold only scalars, so :func:`prepare` converts, the same way
every time: a list (``terms``, ``tasks``) becomes its JSON text
(``["人工智能", "大模型"]``); an attribute holding both ints and floats across
the graph becomes float everywhere; in GEXF, edge weights are floats (as GEXF
reads them back) and every edge gets an ``id`` (``e0``, ``e1`` … in edge
order). Node-link JSON keeps lists and ints as they are.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx


def _write_json(graph: nx.Graph) -> bytes:
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _write_xml(writer: Callable[..., None]) -> Callable[[nx.Graph], bytes]:
    def write(graph: nx.Graph) -> bytes:
        buffer = io.BytesIO()
        writer(graph, buffer, encoding="utf-8")
        return buffer.getvalue()

    return write


@dataclass(frozen=True)
class FileFormat:
    name: str
    media_type: str
    write: Callable[[nx.Graph], bytes]
    read: Callable[[bytes], nx.Graph]
    scalars_only: bool
    """GraphML and GEXF store no lists: :func:`prepare` turns them into JSON text."""
    finish: Callable[[nx.Graph], None] | None = None
    """A last change :func:`prepare` makes for this format."""


def _gexf_edges(graph: nx.Graph) -> None:
    """GEXF reads edge weights back as floats and wants an id on every edge."""
    for i, (_, _, d) in enumerate(graph.edges(data=True)):
        d["id"] = f"e{i}"
        if "weight" in d:
            d["weight"] = float(d["weight"])


FORMATS: dict[str, FileFormat] = {
    f.name: f
    for f in (
        FileFormat("graphml", "application/graphml+xml", _write_xml(nx.write_graphml),
                   lambda data: nx.read_graphml(io.BytesIO(data)), scalars_only=True),
        FileFormat("gexf", "application/gexf+xml", _write_xml(nx.write_gexf),
                   lambda data: nx.read_gexf(io.BytesIO(data)), scalars_only=True, finish=_gexf_edges),
        FileFormat("json", "application/json", _write_json,
                   lambda data: nx.node_link_graph(json.loads(data), edges="edges"), scalars_only=False),
    )
}


def file_format(name: str) -> FileFormat:
    """The format called ``name``; ValueError naming the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; one of {', '.join(FORMATS)}") from None


def prepare(graph: nx.Graph, fmt: str) -> nx.Graph:
    """A copy of ``graph`` holding only what ``fmt`` can store (see the module docstring)."""
    spec = file_format(fmt)
    out = graph.copy()
    out.graph.clear()
    if spec.scalars_only:
        _scalars(out)
    if spec.finish:
        spec.finish(out)
    return out


def _scalars(out: nx.Graph) -> None:
    for items in (list(out.nodes.values()), [d for _, _, d in out.edges(data=True)]):
        floats = {k for d in items for k, v in d.items() if isinstance(v, float)}
        for d in items:
            for k, v in list(d.items()):
                if isinstance(v, list | tuple | dict | set):
                    d[k] = json.dumps(sorted(v) if isinstance(v, set) else v, ensure_ascii=False)
                elif k in floats and isinstance(v, int) and not isinstance(v, bool):
                    d[k] = float(v)


def dumps(graph: nx.Graph, fmt: str) -> bytes:
    """``graph`` as a ``fmt`` document (UTF-8)."""
    return file_format(fmt).write(prepare(graph, fmt))


def loads(data: bytes, fmt: str) -> nx.Graph:
    """Read back what :func:`dumps` wrote, with networkx's own readers."""
    return file_format(fmt).read(data)
