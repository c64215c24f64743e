"""Counts of attacks and of clean results across the robustness corpus, printed at the end of the run."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Tally:
    """Attacks run and how many were handled cleanly, by corpus part."""

    parts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, part: str, attacks: int, clean: int) -> None:
        old_attacks, old_clean = self.parts.get(part, (0, 0))
        self.parts[part] = (old_attacks + attacks, old_clean + clean)

    def lines(self) -> list[str]:
        if not self.parts:
            return []
        attacks = sum(a for a, _ in self.parts.values())
        clean = sum(c for _, c in self.parts.values())
        out = [f"  {part}: {a} attacks, {c} clean" for part, (a, c) in sorted(self.parts.items())]
        return [f"robustness corpus: {attacks} attacks, {clean} clean, {attacks - clean} failed", *out]


REPORT = Tally()
