"""The scoring core: pure Python rules that turn a project and its template into a ScoreReport."""

from app.scoring.engine import score_project
from app.scoring.records import Project, ScoreReport, Template

__all__ = ["Project", "ScoreReport", "Template", "score_project"]
