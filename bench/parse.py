"""Parse time of the plan next to plain jieba segmentation, and how parse time grows with the input.

    .venv/bin/python -m bench.parse [--repeat N] [--sizes 0.05,0.5,5] [--shapes ...] [--no-growth]

1. The seed plan: ``policykg parse`` next to plain ``jieba.lcut`` of the same
   text, both after their dictionaries are loaded, interleaved; the figure that
   matters is the ratio (parse / segmentation), which is stable on a noisy
   machine where the absolute times are not. Aim: ratio <= 2.
2. Growth: ``parse_file`` of generated files of 0.05, 0.5 and 5 MiB (the last
   just under MAX_INPUT_BYTES) in four shapes, seconds per MB (10^6 bytes) and
   the ratio of each size's s/MB to the smallest size's. Parse time should be
   linear in the input. Aim: the largest size within 1.5x of the smallest per MB.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import jieba

from graph_loader import parse_file, parse_text
from graph_loader.dictionary import SEGMENT_WINDOW, default_vocabulary
from graph_loader.readers.text import MAX_INPUT_BYTES

PLAN = Path(__file__).resolve().parent.parent / "source_text" / "digital-qingdao-2025.txt"
MiB = 1024 * 1024

_HEAD = "数字测试2025年行动方案\n一、实施工程\n1."
_OWNERS = "(责任单位:市大数据局)\n"
_TASK_NUMBER = re.compile(r"^(\d+)\.", re.M)
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")


def _median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- the shapes: each returns a plan of at most ``size`` bytes of UTF-8, close to it --------------------------


def _room(size: int) -> int:
    """Characters of 3 UTF-8 bytes that fit between the head and the owners."""
    return (size - len((_HEAD + _OWNERS).encode())) // 3


def one_character(size: int) -> str:
    """One task whose body is one character repeated: 建建建…(责任单位:市大数据局)."""
    return _HEAD + "建" * _room(size) + _OWNERS


def random_han(size: int) -> str:
    """One task whose body is random CJK ideographs (seeded), no punctuation."""
    rnd = random.Random(7)
    return _HEAD + "".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(_room(size))) + _OWNERS


def _seed_parts() -> tuple[str, str]:
    """The seed's preamble and title, and its plan proper (一、… to task 54's owners, before the news postscript)."""
    text = PLAN.read_text(encoding="utf-8")
    start = text.index("\n一、") + 1
    end = text.index(")", text.rindex("(责任单位")) + 1
    return text[:start], text[start:end]


def seed_repeated(size: int) -> str:
    """The seed plan's projects and tasks over and over, tasks renumbered on (55, 56, …): one valid plan.

    The last copy stops before the first heading or task that would not fit whole.
    """
    head, body = _seed_parts()
    tasks = len(_TASK_NUMBER.findall(body))
    parts, used, copy = [head], len(head.encode()), 0
    while True:
        block = _TASK_NUMBER.sub(functools.partial(_renumber, shift=copy * tasks), body) + "\n"
        if used + len(block.encode()) <= size:
            parts.append(block)
            used += len(block.encode())
            copy += 1
            continue
        # Lines of the next copy, cut where a heading or task starts.
        units: list[str] = []
        for line in block.splitlines(keepends=True):
            if units and not (_TASK_NUMBER.match(line) or _HEADING.match(line)):
                units[-1] += line
            else:
                units.append(line)
        for unit in units:
            if used + len(unit.encode()) > size:
                return "".join(parts)
            parts.append(unit)
            used += len(unit.encode())


def _renumber(m: re.Match[str], shift: int) -> str:
    return f"{int(m.group(1)) + shift}."


def long_line(size: int) -> str:
    """One task on one line: every clause of the seed's tasks (owners included), again and again."""
    _, body = _seed_parts()
    lines = [line for line in body.split("\n") if line and not _HEADING.match(line)]
    clauses = _TASK_NUMBER.sub("", "\n".join(lines)).replace("\n", "")
    room = size - len(_HEAD.encode()) - 1
    unit = clauses.encode()
    repeated = (unit * (room // len(unit)) + unit[: room % len(unit)]).decode("utf-8", "ignore")
    return _HEAD + repeated[: repeated.rindex(")") + 1] + "\n"  # end on a clause's owners


SHAPES: dict[str, Callable[[int], str]] = {
    "one character": one_character,
    "random Han": random_han,
    "seed repeated": seed_repeated,
    "one long line": long_line,
}


def _sized(mib: float) -> int:
    return min(int(mib * MiB), MAX_INPUT_BYTES)


def growth(sizes: list[float], shapes: list[str], rounds: int) -> None:
    """Per shape, the sizes interleaved: each round parses every size about a second's worth (at least once)."""
    print(
        f"\ngrowth: parse_file, {rounds} rounds interleaving the sizes, median run; MB = 10^6 bytes"
        f" (segment window {SEGMENT_WINDOW} characters)"
    )
    print(
        f"{'shape':15s} {'size':>9s} {'chars':>10s} {'tasks':>6s} {'measures':>8s} {'runs':>4s} {'seconds':>8s}"
        f" {'s/MB':>6s} {'ratio':>6s}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in shapes:
            files = []
            for i, mib in enumerate(sizes):
                size = _sized(mib)
                text = SHAPES[name](size)
                data = text.encode()
                assert len(data) <= size, (name, len(data), size)
                path = Path(tmp) / f"plan-{i}.txt"
                path.write_bytes(data)
                plan = parse_file(path)  # also warms up
                files.append((path, len(text), len(data), len(plan.tasks), len(plan.measures())))
                del plan
            times: list[list[float]] = [[] for _ in files]
            for _ in range(rounds):
                for (path, _, length, *_counts), runs in zip(files, times, strict=True):
                    for _ in range(max(1, round(1e6 / length))):  # ~1 s of parsing at ~1 s/MB
                        runs.append(_median_seconds(functools.partial(parse_file, path), 1))
            base = None
            for (_, chars, length, tasks, measures), runs in zip(files, times, strict=True):
                seconds = statistics.median(runs)
                per_mb = seconds / (length / 1e6)
                base = base or per_mb
                print(
                    f"{name:15s} {length / MiB:6.3f}MiB {chars:>10,} {tasks:>6,} {measures:>8,} {len(runs):>4}"
                    f" {seconds:8.3f} {per_mb:6.3f} {per_mb / base:5.2f}x",
                    flush=True,
                )


def seed_ratio(repeat: int) -> None:
    text = PLAN.read_text(encoding="utf-8")
    parse_text(text)  # warm caches (OpenCC, regexes)
    jieba.lcut(text)

    # Interleave the two so machine noise hits both alike.
    parse_times, cut_times = [], []
    for _ in range(repeat):
        parse_times.append(_median_seconds(lambda: parse_text(text), 1))
        cut_times.append(_median_seconds(lambda: jieba.lcut(text), 1))
    parse_s, cut_s = statistics.median(parse_times), statistics.median(cut_times)
    print(f"plan: {PLAN.name}, {len(text)} characters, {repeat} runs each (median)")
    print(f"policykg parse     {parse_s * 1000:8.2f} ms")
    print(f"jieba.lcut (plain) {cut_s * 1000:8.2f} ms")
    print(f"ratio parse/lcut   {parse_s / cut_s:8.2f}x   (aim <= 2x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--sizes", default="0.05,0.5,5", help="MiB, comma-separated; 5 means just under the 5 MiB cap")
    ap.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated, of: {', '.join(SHAPES)}")
    ap.add_argument("--rounds", type=int, default=3, help="growth: rounds over the sizes")
    ap.add_argument("--no-growth", action="store_true", help="only the seed plan against plain jieba")
    args = ap.parse_args()
    jieba.setLogLevel(60)
    jieba.initialize()
    vocabulary = default_vocabulary()
    vocabulary.tokenizer  # noqa: B018  (load the project dictionary before timing)
    vocabulary.segment("建" * (2 * SEGMENT_WINDOW))  # and what windowing looks up once
    seed_ratio(args.repeat)
    if not args.no_growth:
        growth([float(s) for s in args.sizes.split(",")], [s.strip() for s in args.shapes.split(",")], args.rounds)


if __name__ == "__main__":
    main()
