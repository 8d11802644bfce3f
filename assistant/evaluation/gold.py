"""Gold cases: evals/gold/*.jsonl -> GoldCase objects, and the drafting gold cases in
evals/gold_drafting/*.jsonl (the folder next to the gold folder) -> DraftingCase objects, in file
then line order; the devcorpus questions (evals/devcorpus/questions.jsonl, another format) ->
GoldCase objects; the fixed train/test split of a set (the rule, and evals/splits.json that records
it).

Does not: check that quotes exist in the corpus (evals/check_gold.py and index_facts.py do), run
anything, or score anything.
"""

from __future__ import annotations

import hashlib
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


def devcorpus_case(data: dict[str, Any]) -> GoldCase:
    """One line of evals/devcorpus/questions.jsonl as a GoldCase.

    `expect` (fact groups, any alternative of a group) becomes expected_facts; each of `documents`
    becomes a source with no quote (the set gives none), so a retrieved chunk is relevant when it
    comes from one of those documents and a citation is right when its document is one of them;
    the tag "en" makes the language English.

    Example: devcorpus_case({"id": "dev-1", "question": "Who?", "expect": [["IVO"]],
    "documents": ["a.md"], "tags": ["en"]}).sources[0] -> GoldSource("a.md", "", "")
    """
    tags = tuple(data.get("tags", ()))
    return GoldCase(
        id=data["id"],
        question=data["question"],
        language="en" if "en" in tags else "sv",
        tags=tags,
        expected_facts=tuple(tuple(group) for group in data.get("expect", ())),
        sources=tuple(GoldSource(d, "", "") for d in data.get("documents", ())),
        abstain=bool(data.get("abstain")),
    )


def load_devcorpus(devcorpus_dir: Path) -> list[GoldCase]:
    """The devcorpus questions (devcorpus_dir/questions.jsonl) as GoldCase objects, in line order."""
    path = Path(devcorpus_dir) / "questions.jsonl"
    if not path.is_file():
        raise AssistantError(
            f"no devcorpus questions at '{path}': restore evals/devcorpus from git, "
            "or leave the devcorpus out with --no-devcorpus"
        )
    return _read_jsonl([path], devcorpus_case, "devcorpus question", "git diff evals/devcorpus")


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


TRAIN_SHARE = 0.6  # of the id-hash range; see split_of
SPLITS = ("train", "test")


def split_of(case_id: str) -> str:
    """The fixed split of a case: "train" if the first byte of sha1(id, UTF-8) is below
    0.6 * 256 (i.e. 0..153, about 60 %), else "test". Depends on the id only, so it never moves.

    Example: split_of("al-001") -> "train"
    """
    first = hashlib.sha1(case_id.encode("utf-8")).digest()[0]
    return "train" if first < TRAIN_SHARE * 256 else "test"


def load_splits(path: Path) -> dict[str, dict[str, str]]:
    """evals/splits.json -> set name -> case id -> "train" | "test" ({} if there is no file)."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: {case_id: split for split in SPLITS for case_id in block[split]}
            for name, block in data["sets"].items()
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise AssistantError(
            f"the split file '{path}' is not valid ({exc}): restore it from git"
        ) from exc


def split_cases(
    cases: list[GoldCase], recorded: dict[str, str], set_name: str, path: Path
) -> dict[str, list[GoldCase]]:
    """ "train"/"test" -> the cases of that split, as recorded in evals/splits.json for set_name.

    A case the file does not list yet is an error (a new case must be recorded once, by the rule,
    so it can never move): run `python evals/make_splits.py`.
    """
    missing = [c.id for c in cases if c.id not in recorded]
    if missing:
        raise AssistantError(
            f"{len(missing)} {set_name} case(s) have no split in '{path}' (e.g. {missing[0]}): "
            "run `python evals/make_splits.py` and commit the file"
        )
    return {split: [c for c in cases if recorded[c.id] == split] for split in SPLITS}
