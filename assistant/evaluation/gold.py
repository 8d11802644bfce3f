"""Gold cases: evals/gold/*.jsonl -> GoldCase objects, in file then line order.

Does not: check that quotes exist in the corpus (evals/check_gold.py and index_facts.py do), run
anything, or score anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError


@dataclass(frozen=True)
class GoldSource:
    document: str
    section: str
    quote: str


@dataclass(frozen=True)
class GoldCase:
    """One line of evals/gold/*.jsonl. Example: GoldCase.from_json({"id": "al-001", ...}).abstain -> False"""

    id: str
    question: str
    language: str
    tags: tuple[str, ...]
    expected_facts: tuple[tuple[str, ...], ...]
    sources: tuple[GoldSource, ...]
    abstain: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GoldCase:
        return cls(
            id=data["id"],
            question=data["question"],
            language=data.get("language", "sv"),
            tags=tuple(data.get("tags", ())),
            expected_facts=tuple(tuple(f) for f in data.get("expected_facts", ())),
            sources=tuple(GoldSource(**s) for s in data.get("sources", ())),
            abstain=bool(data.get("abstain")),
        )


def load_gold(gold_dir: Path) -> list[GoldCase]:
    """Every case of every *.jsonl in gold_dir, in file then line order."""
    files = sorted(Path(gold_dir).glob("*.jsonl"))
    if not files:
        raise AssistantError(
            f"no gold cases in '{gold_dir}': give the folder with the *.jsonl files (--gold)"
        )
    cases = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                cases.append(GoldCase.from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise AssistantError(
                    f"{path}:{number} is not a gold case ({exc}): run `python evals/check_gold.py`"
                ) from exc
    return cases
