"""Topics of the seed plan's 54 tasks, as an analyst reads each task's text."""

from __future__ import annotations

import re

import pytest

from graph_loader import Plan
from graph_loader.dictionary import DATA_DIR, default_vocabulary

TOPICS = ["人工智能", "数据要素", "数字政府", "数字基础设施", "数字经济", "智慧民生", "网络与数据安全", "绿色低碳", "数字文化"]

AI, DATA, GOV, INFRA, ECONOMY, SOCIETY, SECURITY, GREEN, CULTURE = TOPICS

SEED_TOPICS: dict[int, set[str]] = {
    # 一、数字经济
    1: {ECONOMY},
    2: {AI, ECONOMY, GREEN},  # 新一代信息技术、人工智能; 智能网联新能源汽车
    3: {AI, ECONOMY},
    4: {ECONOMY},
    5: {ECONOMY},
    6: {ECONOMY},  # its 决策模型 is not called AI
    7: {ECONOMY, SOCIETY, CULTURE},  # 数字教育、数字医疗、数字养老; 数字创意
    8: {ECONOMY},
    9: {DATA},
    10: {AI, DATA, GOV, SECURITY},  # 大模型; 高效办成一件事; 数据分类分级保护制度
    11: {DATA},
    12: {DATA, SECURITY},
    13: {INFRA, ECONOMY, SECURITY},  # 标识解析; 数字贸易; 数据分类分级目录
    # 二、数字政府
    14: {GOV},
    15: {AI, GOV, ECONOMY},  # 开源模型
    16: {AI, GOV},
    17: {GOV},
    18: {GOV},
    19: {GOV},
    20: {AI, DATA, GOV},
    21: {GOV},
    22: {GOV},  # 辅助决策, 预测模型: not called AI
    23: {GOV},
    # 三、数字文化
    24: {CULTURE},
    25: {CULTURE},
    26: {ECONOMY, CULTURE},  # 5G高清视频产业园 is a park, not infrastructure
    # 四、数字社会
    27: {AI, SOCIETY},
    28: {SOCIETY},
    29: {GOV, SOCIETY},  # 民生保障一件事, 免申即享
    30: {AI, SOCIETY},
    31: {AI, SOCIETY},
    32: {AI, SOCIETY},
    33: {SOCIETY, GREEN},
    34: {ECONOMY, SOCIETY},
    35: {INFRA, ECONOMY, SOCIETY},  # 网络覆盖; 数商兴农; 数字乡村
    36: {AI, SOCIETY},
    # 五、数字生态文明
    37: {AI, GREEN},
    38: {DATA, GREEN},
    39: {GREEN},
    40: {GREEN},
    41: {DATA, GREEN},
    # 六、数据基础设施
    42: {AI, INFRA},
    43: {INFRA},
    44: {DATA, INFRA},
    45: {INFRA, ECONOMY},
    46: {INFRA, GREEN},
    47: {INFRA},
    48: {INFRA},
    49: {DATA, INFRA},
    # 七、综合保障
    50: {DATA, GOV},
    51: set(),
    52: {SECURITY},
    53: {INFRA, ECONOMY},
    54: {DATA, ECONOMY},
}


def test_the_topics_are_these_nine() -> None:
    assert [t.name for t in default_vocabulary().topics] == TOPICS


def test_no_term_is_a_word_other_domains_share() -> None:
    shared = {"数字", "数字化", "智能化", "智能家电", "智能网联", "基础设施", "安全管理", "5G", "决策模型", "预测模型"}
    assert shared & set(default_vocabulary().term_topics) == set()


def test_every_seed_task_is_pinned(plan: Plan) -> None:
    assert [t.number for t in plan.tasks] == sorted(SEED_TOPICS)


@pytest.mark.parametrize(("number", "topics"), sorted(SEED_TOPICS.items()))
def test_seed_task_topics(plan: Plan, number: int, topics: set[str]) -> None:
    assert {x.name for x in plan.tasks[number - 1].topics} == topics


@pytest.mark.parametrize(
    ("project", "topic"),
    [(2, GOV), (3, CULTURE), (6, INFRA)],
)
def test_every_task_of_a_domain_project_touches_its_topic(plan: Plan, project: int, topic: str) -> None:
    # 二、实施数字政府提质工程 takes in 一网协同 and 一网统管 (tasks 18–23), not only services.
    tasks = [t for t in plan.tasks if t.project.number == project]
    assert tasks
    assert [t.number for t in tasks if topic not in {x.name for x in t.topics}] == []


_NO_TOPIC = re.compile(r"^# no topic: (?P<number>\d+) (?P<title>\S+) — (?P<why>.+)$", re.M)


def test_the_tasks_with_no_topic_are_listed_with_the_reason(plan: Plan) -> None:
    listed = {int(m["number"]): (m["title"], m["why"]) for m in _NO_TOPIC.finditer(_topics_file())}
    untagged = {t.number: t.title for t in plan.tasks if not t.topics}
    assert {n: title for n, (title, _) in listed.items()} == untagged
    assert all(len(why) > 20 for _, why in listed.values())


def _topics_file() -> str:
    return (DATA_DIR / "topics.toml").read_text(encoding="utf-8")
