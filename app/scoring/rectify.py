"""退回整改: what a unit must correct in its projects, from the 自查 checks and the reviewer's opinions."""

from __future__ import annotations

from dataclasses import dataclass

from app.scoring.engine import score_project
from app.scoring.records import Level, Project, ScoreReport, Template
from app.scoring.selfcheck import Finding, project_label, self_check

REVIEW_ADVICE = "按复核意见整改"


@dataclass(frozen=True)
class Rectification:
    """One project sent back: its scores and every finding, the reviewer's first."""

    project: Project
    report: ScoreReport
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.ERROR)


def review_findings(project: Project) -> list[Finding]:
    """The reviewer's opinion on the project and the 复核意见 written beside indicators, as findings."""
    label = project_label(project)
    out: list[Finding] = []
    opinion = project.review.opinion.strip()
    if opinion:
        level = Level.ERROR if project.review.status == "退回修改" else Level.WARNING
        out.append(Finding(label, "复核意见", opinion, f"{REVIEW_ADVICE}，整改后重新报送", level, "review_opinion"))
    for (ci, gi, ii), ind in project.indicators():
        note = ind.reviewer_note.strip()
        if note:
            cat = project.categories[ci]
            path = "/".join((cat.name, cat.groups[gi].name, ind.name))
            out.append(Finding(label, path, f"复核意见：{note}", REVIEW_ADVICE, Level.WARNING, "review_note",
                               (ci, gi, ii), "reviewer_note"))
    return out


def rectification(project: Project, template: Template) -> Rectification:
    report = score_project(project, template)
    return Rectification(project, report, tuple(review_findings(project) + self_check(project, template, report)))
