"""Plans in every format, everywhere a plan goes in: parse, check, load and serve, folders of mixed files.

And every refusal of a file that holds no readable plan (a scan, an encrypted PDF, a broken zip, a
spreadsheet without a task table, an image, an unknown type): one line naming what the file is and
what to do, exit 2, and the stored graph as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import neo4j
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.stores.memory import MemoryStore

from ..conftest import PLAN_FILE, label_counts, neo4j_uri, user_env  # noqa: TID252
from ..graph_loader.readers.build_files import (  # noqa: TID252
    TASK_TABLE,
    TASK_TABLE_TITLE,
    cms_page,
    docx_from_text,
    ofd_from_text,
    xlsx_table,
    xlsx_without_table,
)
from ..graph_loader.readers.build_pdf import encrypted_pdf, pdf_from_text, scanned_pdf  # noqa: TID252

POLICYKG = Path(sys.executable).with_name("policykg")
SEED = PLAN_FILE.read_text(encoding="utf-8")
SHORT_PLAN = """烟台市2026年数字乡村建设工作要点
一、夯实乡村数字基础
1.网络覆盖。新建5G基站800个,实现行政村千兆光网全覆盖。(责任单位:市通信发展办、市农业农村局)
2.益农服务。建设村级益农信息社300个。(责任单位:市农业农村局、各区市政府)
"""


def _mixed_folder(folder: Path) -> Path:
    """Four plans as sites publish them, named without telling extensions: the content decides."""
    folder.mkdir()
    (folder / "digital-qingdao-2025.txt").write_bytes(PLAN_FILE.read_bytes())
    (folder / "yantai-2026.htm").write_bytes(cms_page(SHORT_PLAN))
    (folder / "weihai-fenggong").write_bytes(xlsx_table(TASK_TABLE, TASK_TABLE_TITLE))
    (folder / "jinan-2026.doc").write_bytes(pdf_from_text(SHORT_PLAN.replace("烟台市", "济南市")))
    return folder


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(POLICYKG), *args], env=user_env(**env), capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, check=False)


def test_parse_reads_a_docx_as_its_text(tmp_path: Path) -> None:
    plan_docx = tmp_path / "plan.docx"
    plan_docx.write_bytes(docx_from_text(SEED))
    from_docx, from_text = _run("parse", str(plan_docx), "-f", "json"), _run("parse", str(PLAN_FILE), "-f", "json")
    assert from_docx.returncode == 0, from_docx.stderr
    docx_tasks, text_tasks = json.loads(from_docx.stdout)["tasks"], json.loads(from_text.stdout)["tasks"]
    assert [(t["title"], [[a["name"] for a in m["agencies"]] for m in t["measures"]]) for t in docx_tasks] == [
        (t["title"], [[a["name"] for a in m["agencies"]] for m in t["measures"]]) for t in text_tasks
    ]
    # One paragraph a line of the text: each task is in the paragraph numbered as its line.
    assert [t["place"] for t in docx_tasks] == [t["place"].replace("line", "paragraph") for t in text_tasks]
    assert docx_tasks[0]["place"] == "paragraph 11"


def test_check_reads_an_ofd_and_reports_by_line_of_the_text_read(tmp_path: Path) -> None:
    plan_ofd = tmp_path / "plan.ofd"
    plan_ofd.write_bytes(ofd_from_text(SHORT_PLAN.replace("市通信发展办", "市通讯发展办公室")))
    done = _run("check", str(plan_ofd))
    assert done.returncode == 0, done.stderr
    (finding,) = [line for line in done.stdout.splitlines() if "市通讯发展办公室" in line]
    # line:column of the text read, and where a person finds it in the file itself
    assert finding.startswith(f"{plan_ofd}:3:") and finding.endswith("(page 1, line 3)"), finding


def test_serve_answers_over_a_mixed_folder_with_the_place_in_the_file(tmp_path: Path) -> None:
    store = MemoryStore.from_directory(_mixed_folder(tmp_path / "plans"))
    with TestClient(create_app(Settings(), store)) as client:
        documents = client.get("/documents").json()
        assert sorted(d["title"] for d in documents["data"]) == sorted(
            ["数字青岛2025年行动方案", "济南市2026年数字乡村建设工作要点", "烟台市2026年数字乡村建设工作要点", TASK_TABLE_TITLE]
        )
        by_title = {d["title"]: d["id"] for d in documents["data"]}
        table_task = client.get(f"/tasks/{by_title[TASK_TABLE_TITLE]}/3").json()
        assert table_task["place"] == "sheet 分工表, row 7"
        assert [o["agency"]["name"] for o in table_task["owners"]] == ["市行政审批服务局", "市直有关部门、单位", "各区市政府"]


# -- refusals --------------------------------------------------------------------------------------------

REFUSED: dict[str, tuple[Callable[[], bytes], str]] = {
    # name: (the file's bytes, what the one line says after "policykg: FILE: ")
    "a scanned PDF": (lambda: scanned_pdf(SHORT_PLAN), "a PDF with no text layer"),
    "an encrypted PDF": (lambda: encrypted_pdf(SHORT_PLAN), "an encrypted PDF"),
    "a truncated DOCX": (lambda: docx_from_text(SEED)[:6000], "a zip file (DOCX, XLSX and OFD are zips) that is corrupt"),
    "a spreadsheet without a task table": (xlsx_without_table, "a spreadsheet without a task table"),
    "an image": (lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8, "an image (JPEG), not a text"),
    "an unknown type": (lambda: bytes(range(256)) * 16, "not a text file, nor a type policykg reads"),
}


@pytest.mark.parametrize("name", list(REFUSED))
@pytest.mark.parametrize("command", ["parse", "check"])
def test_a_file_without_a_readable_plan_is_one_line_and_exit_2(tmp_path: Path, name: str, command: str) -> None:
    make, words = REFUSED[name]
    bad = tmp_path / "upload.bin"
    bad.write_bytes(make())
    done = _run(command, str(bad))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.splitlines() == [done.stderr.strip()] and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"policykg: {bad}: {words}"), done.stderr
    if command == "parse":
        assert done.stdout == ""


@pytest.mark.neo4j
@pytest.mark.parametrize("name", list(REFUSED))
def test_a_load_with_one_unreadable_file_loads_nothing(empty_neo4j: neo4j.Driver, tmp_path: Path, name: str) -> None:
    folder = _mixed_folder(tmp_path / "plans")
    first = _run("load", *map(str, sorted(folder.iterdir())), NEO4J_URI=neo4j_uri())
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("4 loaded, 0 unchanged")
    before = label_counts(empty_neo4j)
    assert before["Document"] == 4
    make, words = REFUSED[name]
    (folder / "upload.bin").write_bytes(make())
    (folder / "digital-qingdao-2025.txt").write_text(SEED.replace("市大数据局", "市数据局"), encoding="utf-8")
    done = _run("load", *map(str, sorted(folder.iterdir())), NEO4J_URI=neo4j_uri())
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith(f"policykg: {folder / 'upload.bin'}: {words}"), done.stderr
    assert label_counts(empty_neo4j) == before  # the changed seed was not written either
