"""Every mistake the CLI can be handed answers one line on stderr and exit 2, with nothing written or loaded.

One row per case a hostile user tried (output paths, ports, URIs, files that are no plans, devices, FIFOs,
encodings); each runs `policykg` as a user does, in a subprocess, with a timeout only a hang would reach.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import PLAN_FILE, free_port, user_env  # noqa: TID252

POLICYKG = Path(sys.executable).with_name("policykg")
HANG = 120  # seconds: only a hang gets near it




def _files(tmp: Path) -> dict[str, Path]:
    fifo = tmp / "plan-fifo.txt"
    os.mkfifo(fifo)
    gbk = tmp / "gbk-bad-end.txt"
    gbk.write_bytes(PLAN_FILE.read_text(encoding="utf-8").encode("gbk") + b"\xff\xff\xff")
    utf32 = tmp / "utf32.txt"
    utf32.write_bytes("数字青岛2025年行动方案\n新闻。".encode("utf-32"))
    news = tmp / "news.txt"
    news.write_text("今天举行了会议。", encoding="utf-8")
    served = tmp / "served"
    served.mkdir()
    (served / "digital-qingdao-2025.txt").write_bytes(PLAN_FILE.read_bytes())
    os.mkfifo(served / "plan-fifo.txt")
    return {"fifo": fifo, "gbk": gbk, "utf32": utf32, "news": news, "dir": tmp, "served": served}


CASES: dict[str, tuple[list[str], dict[str, str], str]] = {
    # name: (arguments, extra environment, what the one line says)
    "export to a missing folder": (["export", "network", "-o", "/no/such/dir/x.graphml"], {},
                                   "policykg: cannot write /no/such/dir/x.graphml: No such file or directory"),
    "export to a folder": (["export", "network", "-o", "{dir}"], {}, "policykg: cannot write {dir}: Is a directory"),
    "export to a full disk": (["export", "network", "-o", "/dev/full"], {},
                              "policykg: cannot write /dev/full: No space left on device"),
    "export in an unknown format": (["export", "network", "-f", "csv"], {},
                                    "policykg: --format csv: one of graphml, gexf, json"),
    "export at an unknown level": (["export", "network", "--level", "clause"], {},
                                   "policykg: --level clause: one of task, measure"),
    "serve on port 70000": (["serve", "--port", "70000"], {},
                            "policykg: --port: Input should be less than or equal to 65535"),
    "an HTTP URI for Neo4j": (["load"], {"NEO4J_URI": "http://127.0.0.1:7474"},
                              "policykg: NEO4J_URI: http://127.0.0.1:7474 is not a Bolt URI; use one of bolt://"),
    "a URI without a port number": (["serve"], {"NEO4J_URI": "bolt://127.0.0.1:notaport"},
                                    "policykg: NEO4J_URI: bolt://127.0.0.1:notaport has no valid port number"),
    "a bad POLICYKG_PORT": (["serve"], {"POLICYKG_PORT": "http"}, "policykg: POLICYKG_PORT: Input should be a valid"),
    "parse a FIFO": (["parse", "{fifo}"], {}, "policykg: {fifo}: is a FIFO (named pipe), not a regular file"),
    "load a FIFO": (["load", "{fifo}"], {"NEO4J_URI": "bolt://127.0.0.1:9"},
                    "policykg: {fifo}: is a FIFO (named pipe), not a regular file"),
    "parse a device": (["parse", "/dev/zero"], {}, "policykg: /dev/zero: is a character device, not a regular file"),
    "parse a folder": (["parse", "{dir}"], {}, "policykg: {dir}: is a directory, not a regular file"),
    "serve a folder holding a FIFO": (["serve", "--port", "{port}"], {"POLICYKG_SOURCE_DIR": "{served}"},
                                      "policykg: cannot read the plans of {served}: {served}/plan-fifo.txt: is a FIFO"),
    "parse a missing file": (["parse", "/no/such/plan.txt"], {}, "policykg: /no/such/plan.txt: cannot read the file"),
    "GBK with bad bytes at the end": (["parse", "{gbk}"], {}, "policykg: {gbk}"),
    "UTF-32 that is not a plan": (["parse", "{utf32}"], {}, "policykg: utf32.txt"),
    "load a text that is no plan": (["load", "{news}"], {"NEO4J_URI": "bolt://127.0.0.1:9"},
                                    "policykg: news.txt: no plan structure"),
    "check a FIFO": (["check", "{fifo}"], {}, "policykg: {fifo}: is a FIFO (named pipe), not a regular file"),
    "check a folder": (["check", "{dir}"], {}, "policykg: {dir}: is a directory, not a regular file"),
    "check a missing file": (["check", "/no/such/plan.txt"], {}, "policykg: /no/such/plan.txt: cannot read the file"),
    "check a text that is no plan": (["check", "{news}"], {}, "policykg: news.txt: no plan structure"),
    "check GBK with bad bytes at the end": (["check", "{gbk}"], {}, "policykg: {gbk}"),
    "diff with a plan that is nowhere": (["diff", "/no/such/plan-2024.txt", "青岛-2025-数字青岛行动方案"], {},
                                         "policykg: /no/such/plan-2024.txt: no such file, nor a loaded document"),
    "diff with a text that is no plan": (["diff", "{news}", "青岛-2025-数字青岛行动方案"], {},
                                         "policykg: news.txt: no plan structure"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_one_line_and_exit_2(tmp_path: Path, name: str) -> None:
    files = {k: str(v) for k, v in _files(tmp_path).items()} | {"port": str(free_port())}
    args, env, expected = CASES[name]
    args = [a.format(**files) for a in args]
    env = {k: v.format(**files) for k, v in env.items()}
    done = subprocess.run([str(POLICYKG), *args], env=user_env(**env), capture_output=True, text=True, timeout=HANG,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(expected.format(**files)), lines[0]


def test_the_gbk_error_names_the_first_bad_byte(tmp_path: Path) -> None:
    bad = _files(tmp_path)["gbk"]
    offset = len(PLAN_FILE.read_text(encoding="utf-8").encode("gbk"))
    done = subprocess.run([str(POLICYKG), "parse", str(bad)], env=user_env(), capture_output=True, text=True,
                          timeout=HANG, check=False)
    assert done.returncode == 2
    assert f"byte {offset}" in done.stderr and "GB18030" in done.stderr, done.stderr
