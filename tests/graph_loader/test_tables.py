"""Task-division tables in text (form 16 of docs/FORMS.md): rows read as the task lines they stand for."""

from __future__ import annotations

import pytest

from graph_loader import Plan, parse_text


def _owners(plan: Plan) -> list[list[tuple[str, str]]]:
    return [[(a.name, a.role) for a in m.agencies] for t in plan.tasks for m in t.measures]


@pytest.mark.parametrize("separator", ["|", "\t"])
def test_a_task_division_table(separator: str) -> None:  # form 16
    rows = [
        ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
        ["一、建设数字底座", "", "", "", ""],
        ["1", "建成城市级物联感知平台,接入设备10万个", "市大数据局", "市公安局、市城市管理局", "2026年6月底"],
        ["2", "推进政务云扩容", "市大数据局", "", "2026年底"],
        ["二、优化政务服务", "", "", "", ""],
        ["3", "推行高效办成一件事", "市行政审批服务局", "市直有关部门", "全年"],
    ]
    lines = [separator.join(r) if separator == "\t" else "| " + " | ".join(r) + " |" for r in rows]
    if separator == "|":
        lines.insert(1, "|---|---|---|---|---|")
    source = "威海市2026年数字政府建设重点任务分工方案\n" + "\n".join(lines) + "\n"
    plan = parse_text(source)
    assert [p.title for p in plan.projects] == ["建设数字底座", "优化政务服务"]
    assert [(t.number, t.title) for t in plan.tasks] == [
        (1, "建成城市级物联感知平台,接入设备10万个"),
        (2, "推进政务云扩容"),
        (3, "推行高效办成一件事"),
    ]
    assert _owners(plan) == [
        [("市大数据局", "lead"), ("市公安局", "co"), ("市城市管理局", "co")],
        [("市大数据局", "lead")],
        [("市行政审批服务局", "lead"), ("市直有关部门、单位", "co")],
    ]
    mention = plan.tasks[0].measures[0].agencies[2]
    assert source[slice(*mention.span)] == "市城市管理局"
    assert [(g.value, g.unit) for g in plan.tasks[0].goals] == [(100_000, "个")]
    assert [m.deadline for t in plan.tasks for m in t.measures] == ["2026年6月底", "2026年底", "全年"]
