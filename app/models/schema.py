"""The .jxdb tables as SQLAlchemy 2.0 typed ORM classes (schema version 3; see docs/file-format.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Dialect, ForeignKey, Index, Integer, Text, types
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: ``PRAGMA application_id`` of every .jxdb file: the ASCII bytes "JXDB".
APPLICATION_ID = 0x4A58_4442
#: ``PRAGMA user_version``: the schema version this program writes.
SCHEMA_VERSION = 3


class DecimalText(types.TypeDecorator[Decimal]):
    """A Decimal stored as its exact text (``str(d)``), so "3.00" stays "3.00"; never a float."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"not a finite Decimal: {value!r}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    pass


def _text() -> Mapped[str]:
    return mapped_column(Text, nullable=False, default="", server_default="")


class TemplateRow(Base):
    """A scoring template, stored whole as the JSON of ``app.scoring.codec.template_to``."""

    __tablename__ = "templates"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = _text()
    data: Mapped[str] = mapped_column(Text, nullable=False)


class ProjectRow(Base):
    """A project's identity and review information."""

    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = _text()
    template_id: Mapped[str] = mapped_column(Text, ForeignKey("templates.id"), nullable=False)
    department: Mapped[str] = _text()
    unit: Mapped[str] = _text()
    contact: Mapped[str] = _text()
    phone: Mapped[str] = _text()
    region: Mapped[str] = _text()
    # added in schema version 2
    review_agency: Mapped[str] = _text()
    review_reviewers: Mapped[str] = _text()
    review_date: Mapped[str] = _text()
    # added in schema version 3
    review_status: Mapped[str] = mapped_column(Text, nullable=False, default="待复核", server_default="待复核")
    review_opinion: Mapped[str] = _text()
    __table_args__ = (Index("ix_projects_year_name", "year", "name"),)


class NarrativeRow(Base):
    """One narrative section (key of ``NARRATIVE_SECTIONS``) of a project."""

    __tablename__ = "narratives"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    text: Mapped[str] = _text()


class BudgetCellRow(Base):
    """One typed cell of the budget grid (row key × column key, or the row's stated_total)."""

    __tablename__ = "budget_cells"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    row: Mapped[str] = mapped_column(Text, primary_key=True)
    col: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[Decimal] = mapped_column(DecimalText, nullable=False)


class CategoryRow(Base):
    """A first-level category (一级指标) of a project."""

    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = _text()
    short_name: Mapped[str] = _text()
    weight: Mapped[Decimal] = mapped_column(DecimalText, nullable=False)
    __table_args__ = (Index("ix_categories_project", "project_id", "position"),)


class GroupRow(Base):
    """A second-level group (二级指标); weight NULL means the sum of its indicators."""

    __tablename__ = "indicator_groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = _text()
    weight: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    __table_args__ = (Index("ix_indicator_groups_category", "category_id", "position"),)


class IndicatorRow(Base):
    """A third-level indicator with its rule (params as JSON text) and everything typed about it."""

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("indicator_groups.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = _text()
    weight: Mapped[Decimal] = mapped_column(DecimalText, nullable=False)
    rule_kind: Mapped[str] = mapped_column(Text, nullable=False)
    rule_params: Mapped[str] = mapped_column(Text, nullable=False, default="{}", server_default="{}")
    target: Mapped[str] = _text()
    actual: Mapped[str] = _text()
    explanation: Mapped[str] = _text()
    benchmark: Mapped[str] = _text()
    criteria: Mapped[str] = _text()
    has_checks: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    level: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    tier: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tier_percent: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    manual_score: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    deviation_reason: Mapped[str] = _text()
    override_score: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    override_reason: Mapped[str] = _text()
    reviewer_score: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    reviewer_note: Mapped[str] = _text()
    not_applicable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    __table_args__ = (Index("ix_indicators_group", "group_id", "position"),)


class CheckRow(Base):
    """Whether checklist condition ``position`` of an indicator is met."""

    __tablename__ = "indicator_checks"
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    met: Mapped[bool] = mapped_column(Boolean, nullable=False)


class SubItemRow(Base):
    """A fourth-level quantitative item of an average_completion indicator."""

    __tablename__ = "subitems"
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = _text()
    target: Mapped[str] = _text()
    actual: Mapped[str] = _text()
    explanation: Mapped[str] = _text()


class MaterialRow(Base):
    """One entry of the list of supporting materials (附件2). Added in schema version 2."""

    __tablename__ = "materials"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = _text()


class PenaltyInputRow(Base):
    """What the user said about a template penalty item (扣分项)."""

    __tablename__ = "penalty_inputs"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = _text()
    value: Mapped[str] = _text()
    applied: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class HistoryRow(Base):
    """One change of a score, an override or the review state of a project: who, when, before, after.
    Written by the program only (Document.update_project); never edited. Added in schema version 3."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    at: Mapped[str] = _text()  # local time, ISO 8601 to the second
    who: Mapped[str] = _text()
    what: Mapped[str] = _text()  # e.g. "产出指标 / 数量指标 / 档案数字化量：复核得分"
    before: Mapped[str] = _text()
    after: Mapped[str] = _text()
    __table_args__ = (Index("ix_history_project", "project_id", "id"),)


metadata = Base.metadata
