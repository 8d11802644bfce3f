"""Gold cases: evals/gold/*.jsonl -> GoldCase objects, and the drafting gold cases in
evals/gold_drafting/*.jsonl (the folder next to the gold folder) -> DraftingCase objects, in file
then line order.

Does not: check that quotes exist in the corpus (evals/check_gold.py and index_facts.py do), run
anything, or score anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from assistant.errors import AssistantError

T = TypeVar("T")


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


@dataclass(frozen=True)
class DraftingCase:
    """One line of evals/gold_drafting/*.jsonl: a draft request and what the draft must hold.

    Example: DraftingCase.from_json({"id": "draft-001", "org": "Ljusdals kommun", ...}).body -> "kommunfullmäktige"
    """

    id: str
    org: str
    strategy: str
    body: str
    required_wording: tuple[str, ...]
    required_sources: tuple[str, ...]  # corpus file names the draft must cite

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftingCase:
        return cls(
            id=data["id"],
            org=data["org"],
            strategy=data["strategy"],
            body=data.get("body", ""),
            required_wording=tuple(data.get("required_wording", ())),
            required_sources=tuple(data.get("required_sources", ())),
        )


def _read_jsonl(
    files: list[Path], parse: Callable[[dict[str, Any]], T], what: str, check: str
) -> list[T]:
    cases = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                cases.append(parse(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise AssistantError(
                    f"{path}:{number} is not a {what} ({exc}): run `{check}`"
                ) from exc
    return cases


def load_gold(gold_dir: Path) -> list[GoldCase]:
    """Every case of every *.jsonl in gold_dir, in file then line order."""
    files = sorted(Path(gold_dir).glob("*.jsonl"))
    if not files:
        raise AssistantError(
            f"no gold cases in '{gold_dir}': give the folder with the *.jsonl files (--gold)"
        )
    return _read_jsonl(files, GoldCase.from_json, "gold case", "python evals/check_gold.py")


def drafting_dir_for(gold_dir: Path) -> Path:
    """Where the drafting gold cases live: gold_drafting next to the gold folder.

    Example: drafting_dir_for(Path("evals/gold")) -> Path("evals/gold_drafting")
    """
    return Path(gold_dir).parent / "gold_drafting"


def heldout_dir_for(gold_dir: Path) -> Path | None:
    """The held-out cases next to the gold folder (never tuned on), if any and not the gold itself.

    Example: heldout_dir_for(Path("evals/gold")) -> Path("evals/heldout")
    """
    heldout = Path(gold_dir).parent / "heldout"
    if not heldout.is_dir() or heldout.resolve() == Path(gold_dir).resolve():
        return None
    return heldout


def load_drafting_gold(drafting_dir: Path) -> list[DraftingCase]:
    """Every case of every *.jsonl in drafting_dir; [] when there is no such folder (a gold set
    without drafting cases is still a gold set; the report says drafting was not measured)."""
    return _read_jsonl(
        sorted(Path(drafting_dir).glob("*.jsonl")),
        DraftingCase.from_json,
        "drafting gold case",
        "python -m pytest tests/test_drafting.py -k gold_cases_are_well_formed",
    )
