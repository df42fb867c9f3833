"""Export formats: every format of the table reads back as written, with the conversions it documents."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.stores.memory import MemoryStore
from graph_loader import Plan
from graph_loader.formats import FORMATS, LIST_SEPARATOR, dumps, loads, prepare

from ..conftest import ROOT  # noqa: TID252

DOC = "青岛-2025-数字青岛行动方案"
BUREAU = "青岛:市大数据局"
INDUSTRY = "青岛:市工业和信息化局"
SHARED = [f"{DOC}:t1", f"{DOC}:t19", f"{DOC}:t42", f"{DOC}:t51"]  # the tasks the two share
SHARED_GEXF = "[" + ", ".join(SHARED) + "]"


@pytest.fixture(scope="module")
def subgraphs(plan: Plan) -> dict[str, nx.Graph]:
    store = MemoryStore.from_plans([plan])
    return {
        "document": store.document_graph(plan.document.id),
        "topic": store.topic_graph("人工智能"),
        "network": store.network_graph(),
        "ego": store.ego_graph(BUREAU, radius=1),
    }


def _edges(g: nx.Graph) -> dict[tuple[str, str], dict]:
    if g.is_directed():
        return {(u, v): d for u, v, d in g.edges(data=True)}
    return {tuple(sorted((u, v))): d for u, v, d in g.edges(data=True)}  # type: ignore[misc]


def _csv(data: bytes) -> list[list[str]]:
    """The rows as Excel gets them: it needs the byte-order mark to read UTF-8."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("which", ["document", "topic", "network", "ego"])
def test_round_trip(subgraphs: dict[str, nx.Graph], which: str, fmt: str) -> None:
    written = prepare(subgraphs[which], fmt)
    read = loads(dumps(subgraphs[which], fmt), fmt)
    assert read.is_directed() == written.is_directed()
    assert dict(read.nodes(data=True)) == dict(written.nodes(data=True))
    assert _edges(read) == _edges(written)
    # Every format keeps every node of these subgraphs (each has an edge) and, but for the node list, every edge.
    assert read.number_of_nodes() == subgraphs[which].number_of_nodes()
    assert read.number_of_edges() == (0 if fmt == "csv-nodes" else subgraphs[which].number_of_edges())


def test_every_format_says_what_it_carries() -> None:
    for f in FORMATS.values():
        assert f.carries and f.media_type and f.suffix.startswith(".")
    assert len({f.suffix for f in FORMATS.values()}) == len(FORMATS)


# -- GraphML, GEXF: the name is the label, the type an attribute -------------------------------------------


def test_a_gexf_export_opened_by_networkx_shows_chinese_labels(subgraphs: dict[str, nx.Graph]) -> None:
    ego = nx.read_gexf(io.BytesIO(dumps(subgraphs["ego"], "gexf")))
    assert ego.nodes[BUREAU]["label"] == "市大数据局"
    assert ego.nodes[BUREAU]["type"] == "Agency"
    assert ego.nodes[BUREAU]["name"] == "市大数据局"
    assert all(d["label"] == d["name"] and d["type"] == "Agency" for _, d in ego.nodes(data=True))
    doc = nx.read_gexf(io.BytesIO(dumps(subgraphs["document"], "gexf")))
    assert doc.nodes[f"{DOC}:t10"]["type"] == "Task"
    assert doc.nodes[f"{DOC}:t10"]["label"] == subgraphs["document"].nodes[f"{DOC}:t10"]["name"]
    assert doc.nodes["topic:人工智能"].items() >= {"label": "人工智能", "type": "Topic"}.items()
    assert doc.edges[f"{DOC}:t10", "topic:人工智能"]["label"] == "TOUCHES"  # edges keep the relationship type


def test_graphml_label_is_the_name_and_keeps_name_and_type(subgraphs: dict[str, nx.Graph]) -> None:
    net = nx.read_graphml(io.BytesIO(dumps(subgraphs["network"], "graphml")))
    assert net.nodes[BUREAU].items() >= {"label": "市大数据局", "name": "市大数据局", "type": "Agency"}.items()


def test_a_node_without_a_name_shows_its_id() -> None:
    g = nx.Graph()
    g.add_node("q:1", label="Task")
    g.add_node("q:2", label="Task", name="")
    g.add_edge("q:1", "q:2")
    for fmt in ("graphml", "gexf"):
        assert dict(prepare(g, fmt).nodes(data=True)) == {"q:1": {"label": "q:1", "type": "Task"},
                                                            "q:2": {"label": "q:2", "type": "Task", "name": ""}}


def test_a_type_attribute_is_refused_not_overwritten() -> None:
    g = nx.Graph()
    g.add_node("a", label="Goal", type="quantitative")
    with pytest.raises(ValueError, match="node 'a' has a 'type' attribute"):
        dumps(g, "gexf")


def test_gexf_lists_are_liststring_attributes(subgraphs: dict[str, nx.Graph]) -> None:
    data = dumps(subgraphs["network"], "gexf")
    text = data.decode("utf-8")
    assert '<attribute id="' in text and 'title="tasks" type="liststring"' in text
    assert f'value="{SHARED_GEXF}"' in text
    tasks = loads(data, "gexf").edges[BUREAU, INDUSTRY]["tasks"]
    assert tasks == SHARED
    assert tasks == subgraphs["network"].edges[BUREAU, INDUSTRY]["tasks"]
    # networkx alone reads the liststring as its text: nothing breaks, nothing is lost.
    plain = nx.read_gexf(io.BytesIO(data))
    assert plain.edges[BUREAU, INDUSTRY]["tasks"] == SHARED_GEXF


def test_gexf_list_items_with_commas_quotes_and_spaces_read_back_whole() -> None:
    g = nx.DiGraph()
    items = ["a, b", 'say "hi"', "it's", " padded ", "", "[x]", "back\\slash", "大模型", "two\nlines"]
    g.add_edge("a", "b", terms=items)
    g.add_edge("b", "a", terms=[])
    read = loads(dumps(g, "gexf"), "gexf")
    assert read.edges["a", "b"]["terms"] == items
    assert read.edges["b", "a"]["terms"] == []


def test_conversions_for_xml_formats(subgraphs: dict[str, nx.Graph]) -> None:
    doc = subgraphs["document"]
    touches = next(d for _, _, d in doc.edges(data=True) if d["label"] == "TOUCHES")
    assert isinstance(touches["terms"], list)
    t10 = (f"{DOC}:t10", "topic:人工智能")
    graphml = prepare(doc, "graphml")
    values = [v for _, d in graphml.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in graphml.edges(data=True) for v in d.values()]
    assert all(isinstance(v, str | int | float | bool) for v in values)
    assert graphml.edges[t10]["terms"] == "大模型"
    gexf = prepare(doc, "gexf")
    assert gexf.edges[t10]["terms"] == ["大模型"]
    net = prepare(subgraphs["network"], "graphml")
    assert net.edges[BUREAU, INDUSTRY]["tasks"] == "; ".join(SHARED)
    assert net.edges[BUREAU, INDUSTRY]["tasks"].split(LIST_SEPARATOR) == subgraphs["network"].edges[BUREAU, INDUSTRY][
        "tasks"]
    # A task's section_id is None where it hangs under its project: the attribute is left out.
    assert "section_id" not in doc.nodes[f"{DOC}:t50"]
    assert doc.nodes[f"{DOC}:t1"]["section_id"] == f"{DOC}:s1"
    assert "id" not in doc.nodes[f"{DOC}:t1"]  # the node key is the id
    # JSON keeps the graph model as it is: the type in label, lists as lists.
    assert prepare(doc, "json").nodes[f"{DOC}:t1"]["label"] == "Task"


def test_mixed_numbers_become_floats_in_xml() -> None:
    g = nx.DiGraph()
    g.add_node("a", value=3)
    g.add_node("b", value=6.5)
    g.add_node("c", value=True)
    prepared = prepare(g, "graphml")
    assert [prepared.nodes[n]["value"] for n in "abc"] == [3.0, 6.5, True]
    assert isinstance(prepared.nodes["a"]["value"], float)
    assert prepare(g, "json").nodes["a"]["value"] == 3


# -- CSV ----------------------------------------------------------------------------------------------------


def test_csv_edges_for_excel_and_gephi(subgraphs: dict[str, nx.Graph]) -> None:
    header, *rows = _csv(dumps(subgraphs["network"], "csv-edges"))
    assert header == ["source", "target", "source_name", "target_name", "weight", "type", "label", "tasks"]
    assert len(rows) == 252
    row = next(r for r in rows if {r[0], r[1]} == {BUREAU, INDUSTRY})
    assert dict(zip(row[:2], row[2:4], strict=True)) == {BUREAU: "市大数据局", INDUSTRY: "市工业和信息化局"}
    assert row[4:] == ["4", "undirected", "SHARES_TASKS", "; ".join(SHARED)]
    read = loads(dumps(subgraphs["network"], "csv-edges"), "csv-edges")
    assert read.edges[BUREAU, INDUSTRY]["weight"] == 4
    assert read.nodes[BUREAU] == {"name": "市大数据局"}


def test_csv_edges_of_a_directed_subgraph(subgraphs: dict[str, nx.Graph]) -> None:
    read = loads(dumps(subgraphs["document"], "csv-edges"), "csv-edges")
    assert read.is_directed()
    assert read.edges[f"{DOC}:t10", "topic:人工智能"] == {"label": "TOUCHES", "terms": "大模型"}
    owner = next(d for _, _, d in subgraphs["document"].edges(data=True) if "role" in d)
    assert isinstance(owner["position"], int)
    assert all(isinstance(d["position"], int) for _, _, d in read.edges(data=True) if "position" in d)


def test_csv_nodes(subgraphs: dict[str, nx.Graph]) -> None:
    header, *rows = _csv(dumps(subgraphs["network"], "csv-nodes"))
    assert header == ["id", "name", "type", "betweenness", "degree", "generic", "jurisdiction", "kind",
                      "weighted_degree"]
    bureau = dict(zip(header, next(r for r in rows if r[0] == BUREAU), strict=True))
    assert bureau == {"id": BUREAU, "name": "市大数据局", "type": "Agency", "betweenness": "0.413945",
                      "degree": "34", "generic": "false", "jurisdiction": "青岛", "kind": "government_department",
                      "weighted_degree": "40"}
    read = loads(dumps(subgraphs["network"], "csv-nodes"), "csv-nodes")
    assert read.number_of_edges() == 0
    assert read.nodes[BUREAU] == {"name": "市大数据局", "type": "Agency", "betweenness": 0.413945, "degree": 34,
                                  "generic": False, "jurisdiction": "青岛", "kind": "government_department",
                                  "weighted_degree": 40}


def test_csv_reads_numbers_only_where_they_write_back_the_same() -> None:
    g = nx.Graph()
    g.add_node("a", name="123", code="007", count=7, share=0.25, price="3.50", flag=True, note="true", empty="",
               tags=["x", "y"], label="Agency")
    assert prepare(g, "csv-nodes").nodes["a"] == {
        "name": "123", "type": "Agency", "code": "007", "count": 7, "share": 0.25, "price": "3.50", "flag": True,
        "note": True, "tags": "x; y"}
    assert loads(dumps(g, "csv-nodes"), "csv-nodes").nodes["a"] == prepare(g, "csv-nodes").nodes["a"]


def test_csv_refuses_an_attribute_that_would_overwrite_a_column() -> None:
    g = nx.Graph()
    g.add_edge("a", "b", source="text")
    with pytest.raises(ValueError, match="edge attribute.s. source would overwrite"):
        dumps(g, "csv-edges")


# -- matrix -------------------------------------------------------------------------------------------------


def test_the_csv_matrix_reads_back_into_the_same_weights(subgraphs: dict[str, nx.Graph]) -> None:
    net = subgraphs["network"]
    data = dumps(net, "matrix")
    corner, *columns = _csv(data)[0]
    assert corner == "undirected"
    assert columns == [net.nodes[n]["name"] for n in net]  # Chinese names head the rows and columns
    read = loads(data, "matrix")
    name = {n: d["name"] for n, d in net.nodes(data=True)}
    assert sorted(read.nodes) == sorted(name.values())
    assert {frozenset((name[u], name[v])): w for u, v, w in net.edges(data="weight")} == {
        frozenset((u, v)): w for u, v, w in read.edges(data="weight")}
    assert read.edges["市大数据局", "市工业和信息化局"]["weight"] == 4
    assert all(isinstance(w, int) for _, _, w in read.edges(data="weight"))


def test_the_matrix_is_symmetric_with_zeros_where_no_edge(subgraphs: dict[str, nx.Graph]) -> None:
    _, *rows = _csv(dumps(subgraphs["ego"], "matrix"))
    cells = [row[1:] for row in rows]
    assert all(cells[i][j] == cells[j][i] for i in range(35) for j in range(35))
    assert sum(c != "0" for row in cells for c in row) == 2 * 142
    assert {c for row in cells for c in row} <= {str(w) for w in range(100)}


def test_the_matrix_names_colliding_nodes_by_id_and_keeps_direction() -> None:
    g = nx.DiGraph()
    g.add_node("青岛:市大数据局", name="市大数据局")
    g.add_node("威海:市大数据局", name="市大数据局")
    g.add_node("青岛:市公安局", name="市公安局")
    g.add_edge("青岛:市大数据局", "青岛:市公安局", weight=3)
    g.add_edge("青岛:市公安局", "威海:市大数据局", weight=1.5)
    g.add_edge("威海:市大数据局", "青岛:市大数据局")  # no weight: an edge counts 1
    rows = _csv(dumps(g, "matrix"))
    assert rows == [["directed", "青岛:市大数据局", "威海:市大数据局", "市公安局"],
                    ["青岛:市大数据局", "0", "0", "3"],
                    ["威海:市大数据局", "1", "0", "0"],
                    ["市公安局", "0", "1.5", "0"]]
    read = loads(dumps(g, "matrix"), "matrix")
    assert read.is_directed()
    assert sorted(read.edges(data="weight")) == [("威海:市大数据局", "青岛:市大数据局", 1), ("市公安局", "威海:市大数据局", 1.5),
                                                 ("青岛:市大数据局", "市公安局", 3)]


def test_an_asymmetric_undirected_matrix_is_refused() -> None:
    data = "\ufeffundirected,a,b\r\na,0,1\r\nb,2,0\r\n".encode()
    with pytest.raises(ValueError, match="symmetric"):
        loads(data, "matrix")


# -- Pajek --------------------------------------------------------------------------------------------------


def test_pajek_labels_vertices_by_chinese_name(subgraphs: dict[str, nx.Graph]) -> None:
    data = dumps(subgraphs["ego"], "pajek")
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == "*vertices 35"
    assert "1 人民银行青岛市分行 0.0 0.0 ellipse" in lines
    assert lines[36] == "*edges"
    read = loads(data, "pajek")
    assert read.edges["市大数据局", "市工业和信息化局"] == {"weight": 4.0}
    assert read.nodes["市大数据局"] == {}


def test_pajek_labels_with_spaces_and_quotes_read_back() -> None:
    g = nx.DiGraph()
    g.add_node("a", name='The "Big Data" Bureau')
    g.add_node("b", name="it's\there\\")
    g.add_edge("a", "b", weight=2)
    assert list(prepare(g, "pajek")) == ["The ＂Big Data＂ Bureau", "it＇s here＼"]
    read = loads(dumps(g, "pajek"), "pajek")
    assert list(read.edges(data=True)) == [("The ＂Big Data＂ Bureau", "it＇s here＼", {"weight": 2.0})]


# -- the table behind the CLI and the API --------------------------------------------------------------------


def test_unknown_format_names_the_known_ones(subgraphs: dict[str, nx.Graph]) -> None:
    with pytest.raises(ValueError, match="unknown format 'csv'; one of graphml, gexf, json, csv-edges, csv-nodes, "
                                         "matrix, pajek"):
        dumps(subgraphs["ego"], "csv")


def test_cli_exports_the_matrix_to_a_file(
    subgraphs: dict[str, nx.Graph], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in list(os.environ):
        if name.startswith(("NEO4J_", "POLICYKG_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("POLICYKG_SOURCE_DIR", str(ROOT / "source_text"))
    out = tmp_path / "network.matrix.csv"
    result = CliRunner().invoke(app, ["export", "network", "-f", "matrix", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"59 nodes, 252 edges -> {out}"
    assert out.read_bytes().startswith(b"\xef\xbb\xbfundirected,")
    read = loads(out.read_bytes(), "matrix")
    assert _edges(read) == _edges(prepare(subgraphs["network"], "matrix"))
    assert read.edges["市大数据局", "市工业和信息化局"]["weight"] == 4
