"""The layout shared by the PDF and OFD readers, on runs placed by hand: what a PDF built in
test_pdf.py cannot show as plainly (units other than points, one run per character, no page size,
text drawn twice, a cell merged down several rows)."""

from __future__ import annotations

from graph_loader.parser import parse_text
from graph_loader.readers.document import DocumentBuilder, ReadDocument
from graph_loader.readers.layout import Rule, TextRun, add_pages

SIZE = 4.0  # millimetres, as OFD gives them
LEFT, RIGHT = 25.0, 25.0 + 28 * SIZE


def _runs(x: float, y: float, text: str, per_char: bool = False) -> list[TextRun]:
    """``text`` from ``x`` on the line whose top is ``y``: Han characters one em wide, others half."""
    runs, left = [], x
    for ch in text if per_char else [text]:
        width = sum(SIZE if ord(c) > 0x2000 else SIZE / 2 for c in ch)
        runs.append(TextRun(ch, left, y, left + width, y + SIZE))
        left += width
    return runs


def _paragraph(text: str, top: float, per_char: bool = False) -> tuple[list[TextRun], float]:
    """``text`` wrapped at 28 Han characters, its first line indented two: the runs, and the next top."""
    lines, line, room = [], "", 26 * SIZE
    for ch in text:
        width = SIZE if ord(ch) > 0x2000 else SIZE / 2
        if width > room + 0.01:
            lines.append(line)
            line, room = "", 28 * SIZE
        line, room = line + ch, room - width
    runs: list[TextRun] = []
    for i, text_line in enumerate([*lines, line]):
        runs += _runs(LEFT + (2 * SIZE if i == 0 else 0.0), top, text_line, per_char)
        top += 1.6 * SIZE
    return runs, top


def _read(pages: list[list[TextRun]], **options: object) -> ReadDocument:
    builder = DocumentBuilder("OFD", "test.ofd")
    add_pages(builder, pages, **options)  # type: ignore[arg-type]
    return builder.build()


def _document(paragraphs_per_page: list[list[str]], header: str | None, footer: str | None,
              per_char: bool = False) -> list[list[TextRun]]:
    pages = []
    for n, paragraphs in enumerate(paragraphs_per_page, 1):
        runs, top = [], 35.0
        for text in paragraphs:
            more, top = _paragraph(text, top, per_char)
            runs += more
        if header and n > 1:
            runs += _runs(80.0, 15.0, header, per_char)
        if footer:
            runs += _runs(95.0, 275.0, footer.format(n=n), per_char)
        pages.append(runs)
    return pages


TASK = "1.数据底座。统筹推进全市数据资源体系建设,推动公共数据汇聚共享和开发利用。(责任单位:市大数据局、市财政局)"


def test_runs_of_one_character_in_millimetres_read_as_paragraphs() -> None:
    pages = _document([["数字测试2026年行动方案", "一、夯实基础", TASK], ["二、提升服务", TASK.replace("1.", "2.")]],
                      header="测试市人民政府", footer="第{n}页", per_char=True)
    read = _read(pages, page_height=297.0)
    assert read.text == f"数字测试2026年行动方案\n一、夯实基础\n{TASK}\n二、提升服务\n{TASK.replace('1.', '2.')}\n"
    assert read.place_at(read.text.index("二、提升服务")) == "page 2, line 2"  # line 1 is the header
    plan = parse_text(read.text)
    assert [[(a.name, a.role) for a in m.agencies] for t in plan.tasks for m in t.measures] == [
        [("市大数据局", "lead"), ("市财政局", "co")],
        [("市大数据局", "lead"), ("市财政局", "co")],
    ]


def test_without_page_heights_the_page_furniture_still_goes() -> None:
    pages = _document([["数字测试2026年行动方案", TASK]] * 3, header="测试市人民政府", footer="- {n} -")
    read = _read(pages)
    assert read.text == f"数字测试2026年行动方案\n{TASK}\n" * 3


def test_text_drawn_twice_over_itself_is_read_once() -> None:
    runs = _runs(LEFT, 40.0, "一、夯实基础")
    bold = [TextRun(r.text, r.left + 0.2, r.top, r.right + 0.2, r.bottom) for r in runs]
    read = _read([runs + bold + _runs(LEFT + 2 * SIZE, 50.0, "推进建设。")], page_height=297.0)
    assert read.text == "一、夯实基础\n推进建设。\n"


def test_latin_words_keep_their_space_and_han_does_not_get_one() -> None:
    line = [*_runs(LEFT, 40.0, "推进IPv6"), *_runs(LEFT + 4.3 * SIZE, 40.0, "network部署。")]
    x = LEFT + 2 * SIZE  # a paragraph of its own, indented
    spaced = [*_runs(x, 50.0, "达到 "), *_runs(x + 2.5 * SIZE, 50.0, "35%"), *_runs(x + 4 * SIZE, 50.0, " 以上。")]
    assert _read([line + spaced], page_height=297.0).text == "推进IPv6 network部署。\n达到35%以上。\n"


def test_a_header_on_the_second_of_two_pages_is_dropped() -> None:
    pages = _document([["数字测试2026年行动方案", TASK], [TASK.replace("1.", "2.")]], header="测试市人民政府", footer=None)
    assert "测试市人民政府" not in _read(pages, page_height=297.0).text


def test_a_title_centred_on_two_lines_is_one_line() -> None:
    title = [*_runs(LEFT + 10.5 * SIZE, 30.0, "数字测试2026年"), *_runs(LEFT + 12 * SIZE, 38.0, "行动方案")]
    body = _paragraph(TASK, 50.0)[0]
    assert _read([title + body], page_height=297.0).text == f"数字测试2026年行动方案\n{TASK}\n"


def test_a_cell_merged_down_gives_its_owner_to_every_row() -> None:
    xs, ys = [LEFT, LEFT + 10, LEFT + 70, LEFT + 100, LEFT + 120], [40.0, 48.0, 64.0, 80.0]
    rules = [Rule(xs[0], y, xs[-1], y) for y in (ys[0], ys[1], ys[3])]
    rules += [Rule(x0, ys[2], x1, ys[2]) for x0, x1 in ((xs[0], xs[2]), (xs[3], xs[4]))]  # 牵头单位 merged down
    rules += [Rule(x, ys[0], x, ys[-1]) for x in xs]
    cells = [("序号", "重点任务", "牵头单位", "配合单位"), ("1", "建设数据中台", "市大数据局", "市财政局"), ("2", "推进政务云扩容", "", "市公安局")]
    runs = [*_runs(LEFT, 30.0, "数字测试2026年行动方案")]
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            if text:
                runs += _runs(xs[j] + 1, ys[i] + 2 + (4 if j == 2 and i == 1 else 0), text)
    read = _read([runs], page_height=297.0, rules=[rules])
    assert read.text.splitlines()[1:] == [
        "| 序号 | 重点任务 | 牵头单位 | 配合单位 |",
        "| 1 | 建设数据中台 | 市大数据局 | 市财政局 |",
        "| 2 | 推进政务云扩容 | 市大数据局 | 市公安局 |",
    ]
    plan = parse_text(read.text)
    assert [[(a.name, a.role) for a in m.agencies] for t in plan.tasks for m in t.measures] == [
        [("市大数据局", "lead"), ("市财政局", "co")],
        [("市大数据局", "lead"), ("市公安局", "co")],
    ]
