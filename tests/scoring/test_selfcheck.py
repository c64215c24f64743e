"""自查: every check of the 整改清单 on a project that has the problem, and silence on the seeds."""

from __future__ import annotations

from dataclasses import replace

from app.scoring.records import PUBLISHED_REASON, Category, Group, Level, Project
from app.scoring.selfcheck import ADVICE, self_check
from tests.scoring.helpers import D, budget, ind


def _project(template, *indicators, categories=None, **kw) -> Project:  # type: ignore[no-untyped-def]
    cats = categories or (
        Category("产出指标", D(80), (Group("成本指标", None, tuple(indicators[:1])),
                                     Group("数量指标", None, tuple(indicators[1:])))),
        Category("效益指标", D(10), (Group("社会效益", None, (ind(w=10, target="≥1", actual="1"),)),)),
        Category("满意度指标", D(10), (Group("服务对象满意度", None, (ind(w=10, target="≥90%", actual="95%"),)),)),
    )
    return Project(year=2023, name="自查项目", template_id=template.id, categories=cats, **kw)


def _codes(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.code for f in findings]


def test_seeds_have_nothing_but_the_known_missing_reasons(seed000, seed003) -> None:  # type: ignore[no-untyped-def]
    assert self_check(*seed000) == []
    assert _codes(self_check(*seed003)) == ["deviation_reason", "deviation_reason"]


def test_each_check_finds_its_problem(mof) -> None:  # type: ignore[no-untyped-def]
    rows = (
        ind(name="每公里成本", w=10, target="≥2万元", actual="2万元"),  # cost written as ≥
        ind(name="验收合格率", w=10, target="≥95%", actual="105%"),  # rate above 100%
        ind(name="培训人次", w=10, target="≥XX人次", actual="50人次"),  # placeholder
        ind(name="覆盖户数", w=10, target="≥100户", actual="80户", deviation_reason="无"),  # reason too short
        ind(name="维修费用", w=10, target="≤90万元", actual="135万元", deviation_reason="材料涨价导致超支",
            override_score=D(10), override_reason=PUBLISHED_REASON),  # full marks over the ceiling
        ind(name="新建里程", w=10, target="≥10公里", actual="20公里"),  # over-achievement without reason
        ind(name="完成户数", w=10, target="≥100户", actual="100户", override_score=D(8)),  # harsh, no reason
        ind(name="整改数量", w=10, target="≥*", actual="3"),
    )
    findings = self_check(_project(mof, *rows), mof)
    by_code = {f.code: f for f in findings}
    for code in ("cost_forward", "rate_above_100", "placeholder", "reason_short", "lenient",
                 "overachievement_unexplained", "harsh", "published_differs", "unreadable"):
        assert code in by_code, code
    assert by_code["cost_forward"].indicator == "产出指标/成本指标/每公里成本"
    assert "≤" in by_code["cost_forward"].advice
    assert by_code["lenient"].indicator.endswith("维修费用") and "满分" in by_code["lenient"].problem
    assert by_code["reason_short"].problem.endswith("“无”")
    assert next(f.problem for f in findings if f.code == "placeholder").startswith("指标值")
    assert len([f for f in findings if f.code == "placeholder"]) == 2
    assert all(f.project == "自查项目（2023年）" and f.advice for f in findings)
    assert findings[0].level is Level.ERROR  # errors first
    assert by_code["published_differs"].advice == ADVICE["published_differs"]


def test_explained_overachievement_and_reasoned_adjustment_pass(mof) -> None:  # type: ignore[no-untyped-def]
    rows = (ind(name="新建里程", w=40, target="≥10公里", actual="20公里", deviation_reason="争取到追加资金，超额完成"),
            ind(name="完成户数", w=40, target="≥100户", actual="100户", override_score=D(36),
                override_reason="质量抽检有瑕疵", deviation_reason="质量抽检有瑕疵，已整改"))
    codes = _codes(self_check(_project(mof, *rows), mof))
    assert "overachievement_unexplained" not in codes and "harsh" not in codes


def test_missing_dimension_and_unscored_execution(mof) -> None:  # type: ignore[no-untyped-def]
    only_output = (Category("产出指标", D(100), (Group("数量指标", None, (ind(w=100, target="≥1", actual="1"),)),)),)
    project = _project(mof, categories=only_output, budget=budget("100", "100", "52.8"))
    findings = self_check(project, mof)
    assert [f.problem for f in findings if f.code == "dimension_missing"] == ["缺少效益指标", "缺少满意度指标"]
    execution = next(f for f in findings if f.code == "execution_unscored")
    assert execution.indicator == "资金表" and "52.80%" in execution.problem


def test_published_total_and_weights_are_listed(mof) -> None:  # type: ignore[no-untyped-def]
    project = replace(_project(mof, ind(w=90, target="≥1", actual="1")), published_total=D(94))
    findings = {f.code: f for f in self_check(project, mof)}
    assert findings["published_total"].indicator == "总分"
    assert findings["published_total"].problem == "原表总分 94，各项得分之和 100"
    # 80 + 10 + 10 with a 90-point row inside the 80-point category: the category sum is wrong
    assert "weights_category" in findings
    heavy = _project(mof, ind(w=80, target="≥1", actual="1"), categories=(
        Category("产出指标", D(90), (Group("数量指标", None, (ind(w=90, target="≥1", actual="1"),)),)),
        Category("效益指标", D(20), (Group("社会效益", None, (ind(w=20, target="≥1", actual="1"),)),)),
        Category("满意度指标", D(10), (Group("满意度", None, (ind(w=10, target="≥1", actual="1"),)),))))
    weights = [f for f in self_check(heavy, mof) if f.code == "weights_total"]
    assert weights and "120" in weights[0].problem and weights[0].indicator == "权重"
