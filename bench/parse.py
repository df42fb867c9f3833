"""Parse time of the plan next to plain jieba segmentation of the same text, in the same run.

    .venv/bin/python -m bench.parse [--repeat N]

Both sides run after their dictionaries are loaded; the figure that matters is
the ratio (parse / segmentation), which is stable on a noisy machine where the
absolute times are not. Aim: ratio <= 2.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import jieba

from graph_loader import parse_text
from graph_loader.dictionary import default_vocabulary

PLAN = Path(__file__).resolve().parent.parent / "source_text" / "digital-qingdao-2025.txt"


def _median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    text = PLAN.read_text(encoding="utf-8")
    jieba.setLogLevel(60)
    jieba.initialize()
    default_vocabulary().tokenizer  # noqa: B018  (load the project dictionary before timing)
    parse_text(text)  # warm caches (OpenCC, regexes)
    jieba.lcut(text)

    # Interleave the two so machine noise hits both alike.
    parse_times, cut_times = [], []
    for _ in range(args.repeat):
        parse_times.append(_median_seconds(lambda: parse_text(text), 1))
        cut_times.append(_median_seconds(lambda: jieba.lcut(text), 1))
    parse_s, cut_s = statistics.median(parse_times), statistics.median(cut_times)
    print(f"plan: {PLAN.name}, {len(text)} characters, {args.repeat} runs each (median)")
    print(f"policykg parse     {parse_s * 1000:8.2f} ms")
    print(f"jieba.lcut (plain) {cut_s * 1000:8.2f} ms")
    print(f"ratio parse/lcut   {parse_s / cut_s:8.2f}x   (aim <= 2x)")


if __name__ == "__main__":
    main()
