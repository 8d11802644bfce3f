"""Gold set -> every system's answers and rankings -> metrics -> report files, regressions, ratchet gate.

Systems: ours (hybrid + place/body routing), three ablations of ours (BM25 only, dense only, hybrid
without routing) and the naive llama-index baseline (baseline.py), all on one gold set and one
embedding model. Sections: gold cases, per-case metrics, running, aggregates, report files,
regressions, gate, terminal rendering.

Does not: build or change the index, edit gold cases, or decide exit codes (cli.py does).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.documents import Answer, Chunk, RetrievedChunk
from assistant.errors import AssistantError
from assistant.textutil import normalize_for_match, normalize_ws

SEARCH_K = 10
MIN_CONTAINED_CHUNK = 15  # a chunk this short or shorter never counts as "inside the quote"
TOLERANCE = 0.005


# --- gold cases ------------------------------------------------------------------------------
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


# --- per-case metrics (pure functions) -------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    """A retrieved chunk as evaluation sees it: (document, text) of every member of its copy group."""

    members: tuple[tuple[str, str], ...]


def stem(document: str) -> str:
    """Example: stem("corpus/a/Beslut.PDF") -> "beslut" (so a .pdf corpus meets .txt gold sources)"""
    return Path(document).stem.casefold()


def _plain(text: str) -> str:
    return normalize_ws(text).casefold()


def source_matches(hit: Hit, source: GoldSource) -> bool:
    """A member from the source's document whose text holds the quote (or, if short, lies inside it).

    Example: Hit((("a.pdf", "Handläggare:  Elisabeth Olsson"),)) matches ("a.txt", …, "handläggare: elisabeth olsson")
    """
    quote = _plain(source.quote)
    for document, text in hit.members:
        if stem(document) != stem(source.document):
            continue
        body = _plain(text)
        if quote in body or (len(body) > MIN_CONTAINED_CHUNK and body in quote):
            return True
    return False


def match_sources(hits: list[Hit], sources: Iterable[GoldSource]) -> list[frozenset[int]]:
    """For each rank, the indexes of the gold sources that hit covers."""
    sources = list(sources)
    return [frozenset(i for i, s in enumerate(sources) if source_matches(h, s)) for h in hits]


def hit_at_k(matched: list[frozenset[int]], k: int) -> float:
    """Example: hit_at_k([set(), {0}], 1) -> 0.0; hit_at_k([set(), {0}], 5) -> 1.0"""
    return 1.0 if any(matched[:k]) else 0.0


def reciprocal_rank(matched: list[frozenset[int]]) -> float:
    """Example: reciprocal_rank([set(), set(), {0}]) -> 1/3"""
    return next((1.0 / rank for rank, m in enumerate(matched, start=1) if m), 0.0)


def recall_at_k(matched: list[frozenset[int]], n_sources: int, k: int) -> float:
    """Fraction of the case's gold sources covered in the top k. Example: ([{0}, {0}], 2, 10) -> 0.5"""
    covered = frozenset().union(*matched[:k]) if matched[:k] else frozenset()
    return len(covered) / n_sources if n_sources else 0.0


def ndcg_at_k(matched: list[frozenset[int]], n_sources: int, k: int) -> float:
    """Each gold source is one relevant item; a rank gains the sources it covers first.

    Example: ndcg_at_k([set(), {0}], 1, 10) -> 1/log2(3) = 0.63. One chunk covering two sources
    at rank 1 is perfect (capped at 1.0).
    """
    seen: set[int] = set()
    dcg = 0.0
    for rank, m in enumerate(matched[:k], start=1):
        dcg += len(m - seen) / np.log2(rank + 1)
        seen |= m
    ideal = sum(1.0 / np.log2(rank + 1) for rank in range(1, min(n_sources, k) + 1))
    return float(min(1.0, dcg / ideal)) if ideal else 0.0


def facts_found(expected_facts: Iterable[Iterable[str]], text: str) -> list[bool]:
    """Per fact: is one of its alternatives in the text (case, dashes, whitespace, date forms folded)?

    Example: facts_found([["15 mars 2024"]], "Beslut 2024-03-15 [1]") -> [True]
    """
    haystack = normalize_for_match(text)
    return [any(normalize_for_match(alt) in haystack for alt in alts) for alts in expected_facts]


def word_overlap(a: str, b: str) -> float:
    """Shared words / words of the shorter text. Example: ("senast 31 december", "31 december 2021") -> 2/3"""
    wa, wb = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def citation_is_precise(
    quote: str, expected_facts: Iterable[Iterable[str]], gold_quotes: Iterable[str]
) -> bool:
    """A citation earns its place if its quote holds an expected fact or overlaps a gold quote (>= 50%)."""
    if any(facts_found([alts], quote)[0] for alts in expected_facts):
        return True
    return any(word_overlap(quote, gold) >= 0.5 for gold in gold_quotes)


def percentile(values: list[float], q: float) -> float | None:
    """Example: percentile([10, 20, 30], 50) -> 20.0"""
    return float(np.percentile(values, q)) if values else None


# --- running the systems ---------------------------------------------------------------------
@dataclass(frozen=True)
class CaseResult:
    """What one system did with one gold case. Retrieval fields are None for unanswerable cases."""

    id: str
    tags: tuple[str, ...]
    question: str
    abstain_expected: bool
    abstained: bool
    correct: bool  # answerable: not abstained and every fact found; unanswerable: abstained
    answer_correct: bool  # answerable: every fact in the answer text alone (quotes not counted)
    facts_found: int
    facts_total: int
    citations: int
    citations_precise: int
    citations_verbatim: int
    sources_total: int  # distinct gold document stems
    sources_cited: int
    latency_ms: float
    hit1: float | None = None
    hit5: float | None = None
    rr: float | None = None
    recall10: float | None = None
    ndcg10: float | None = None
    missing_facts: tuple[str, ...] = ()
    answer: str = ""
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseResult:
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["tags"], data["missing_facts"] = (
            tuple(data.get("tags", ())),
            tuple(data.get("missing_facts", ())),
        )
        return cls(**data)


@dataclass
class SystemUnderTest:
    """A system behind one interface: ask(question) -> Answer, search(question) -> top-10 chunks."""

    name: str
    label: str
    ask: Callable[[str], Answer]
    search: Callable[[str], list[RetrievedChunk]]
    groups: dict[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict
    )  # chunk id -> copy group

    def hit(self, chunk: Chunk) -> Hit:
        return Hit(self.groups.get(chunk.id, ((chunk.document, shown_text(chunk)),)))


def shown_text(chunk: Chunk) -> str:
    """Headings and text, as a reader sees the chunk. Example: ("Beslutet ska skickas till",) + "Socialnämnden"
    -> "Beslutet ska skickas till Socialnämnden" (gold quotes may run from a heading into its text)."""
    return " ".join([*chunk.heading_path, chunk.text])


def copy_groups(chunks: list[Chunk]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Canonical chunk id -> (document, shown text) of itself and every chunk collapsed into it."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for chunk in chunks:
        groups.setdefault(chunk.duplicate_of or chunk.id, []).append(
            (chunk.document, shown_text(chunk))
        )
    return {cid: tuple(members) for cid, members in groups.items()}


def run_case(system: SystemUnderTest, case: GoldCase, verify: Callable[[Any], bool]) -> CaseResult:
    """Ask and search one case; an AssistantError is recorded on the case and the run goes on."""
    error, answer = "", Answer(case.question, "", abstained=False)
    started = time.perf_counter()
    try:
        answer = system.ask(case.question)
    except AssistantError as exc:
        error = str(exc)
    latency = (time.perf_counter() - started) * 1000
    found = facts_found(
        case.expected_facts, " ".join([answer.answer, *(c.quote for c in answer.citations)])
    )
    gold_quotes = [s.quote for s in case.sources]
    gold_docs = {stem(s.document) for s in case.sources}
    retrieval: dict[str, float | None] = {}
    if not case.abstain:
        try:
            matched = match_sources(
                [system.hit(r.chunk) for r in system.search(case.question)], case.sources
            )
        except AssistantError as exc:
            error, matched = error or str(exc), []
        n = len(case.sources)
        retrieval = {
            "hit1": hit_at_k(matched, 1),
            "hit5": hit_at_k(matched, 5),
            "rr": reciprocal_rank(matched),
            "recall10": recall_at_k(matched, n, SEARCH_K),
            "ndcg10": ndcg_at_k(matched, n, SEARCH_K),
        }
    answered = not answer.abstained and not error
    return CaseResult(
        id=case.id,
        tags=case.tags,
        question=case.question,
        abstain_expected=case.abstain,
        abstained=answer.abstained,
        correct=answer.abstained if case.abstain else answered and all(found),
        answer_correct=answered
        and not case.abstain
        and all(facts_found(case.expected_facts, answer.answer)),
        facts_found=sum(found),
        facts_total=len(found),
        citations=len(answer.citations),
        citations_precise=sum(
            citation_is_precise(c.quote, case.expected_facts, gold_quotes) for c in answer.citations
        ),
        citations_verbatim=sum(bool(verify(c)) for c in answer.citations),
        sources_total=len(gold_docs),
        sources_cited=len(gold_docs & {stem(c.document) for c in answer.citations}),
        latency_ms=latency,
        missing_facts=tuple(
            alts[0] for alts, ok in zip(case.expected_facts, found, strict=True) if not ok
        ),
        answer=answer.answer[:300],
        error=error,
        **retrieval,
    )


# --- aggregates --------------------------------------------------------------------------------
@dataclass(frozen=True)
class MetricSpec:
    key: str
    label: str
    higher_is_better: bool = True
    target: float | None = None
    gated: bool = True  # ratcheted against evals/baseline.json


METRICS = (
    MetricSpec("hit@1", "hit@1"),
    MetricSpec("hit@5", "hit@5", target=0.95),
    MetricSpec("recall@10", "recall@10"),
    MetricSpec("mrr", "MRR"),
    MetricSpec("ndcg@10", "nDCG@10"),
    MetricSpec("fact_accuracy", "fact acc", target=0.90),
    MetricSpec("per_fact_accuracy", "facts found"),
    MetricSpec("answer_fact_accuracy", "fact acc (answer only)"),
    MetricSpec("citation_precision", "cite prec"),
    MetricSpec("citation_recall", "cite recall"),
    MetricSpec("verbatim_rate", "verbatim", target=1.0),
    MetricSpec("abstention_accuracy", "abstain acc", target=0.85),
    MetricSpec("false_abstention_rate", "false abstain", higher_is_better=False, target=0.05),
    MetricSpec("latency_p50_ms", "p50 ms", higher_is_better=False, gated=False),
    MetricSpec("latency_p95_ms", "p95 ms", higher_is_better=False, gated=False),
)
SPECS = {m.key: m for m in METRICS}
RETRIEVAL_KEYS = ("hit@1", "hit@5", "recall@10", "mrr", "ndcg@10")


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return float(np.mean(kept)) if kept else None


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def summarize(cases: list[CaseResult]) -> dict[str, float | None]:
    """The metrics of one system over some cases (all of them, or one tag's).

    Example: summarize([answerable case found right]) -> {"fact_accuracy": 1.0, "abstention_accuracy": None, …}
    """
    answerable = [c for c in cases if not c.abstain_expected]
    unanswerable = [c for c in cases if c.abstain_expected]
    return {
        "hit@1": _mean(c.hit1 for c in answerable),
        "hit@5": _mean(c.hit5 for c in answerable),
        "recall@10": _mean(c.recall10 for c in answerable),
        "mrr": _mean(c.rr for c in answerable),
        "ndcg@10": _mean(c.ndcg10 for c in answerable),
        "fact_accuracy": _mean(float(c.correct) for c in answerable),
        "answer_fact_accuracy": _mean(float(c.answer_correct) for c in answerable),
        "per_fact_accuracy": _ratio(
            sum(c.facts_found for c in answerable), sum(c.facts_total for c in answerable)
        ),
        "citation_precision": _ratio(
            sum(c.citations_precise for c in answerable), sum(c.citations for c in answerable)
        ),
        "citation_recall": _ratio(
            sum(c.sources_cited for c in answerable), sum(c.sources_total for c in answerable)
        ),
        "verbatim_rate": _ratio(
            sum(c.citations_verbatim for c in cases), sum(c.citations for c in cases)
        ),
        "abstention_accuracy": _mean(float(c.abstained) for c in unanswerable),
        "false_abstention_rate": _mean(float(c.abstained) for c in answerable),
        "latency_p50_ms": percentile([c.latency_ms for c in cases], 50),
        "latency_p95_ms": percentile([c.latency_ms for c in cases], 95),
    }


def per_tag(cases: list[CaseResult]) -> dict[str, dict[str, float | None]]:
    """Tag -> cases, fact accuracy, abstention accuracy, hit@5, for every tag in the gold set."""
    out = {}
    for tag in sorted({t for c in cases for t in c.tags}):
        subset = [c for c in cases if tag in c.tags]
        m = summarize(subset)
        out[tag] = {
            "cases": float(len(subset)),
            "fact_accuracy": m["fact_accuracy"],
            "abstention_accuracy": m["abstention_accuracy"],
            "hit@5": m["hit@5"],
        }
    return out


@dataclass
class SystemResult:
    name: str
    label: str
    metrics: dict[str, float | None]
    tags: dict[str, dict[str, float | None]]
    cases: list[CaseResult]
    seconds: float = 0.0
    stored_failing: dict[str, list[str]] = field(default_factory=dict)  # when cases were not kept

    @classmethod
    def from_cases(
        cls, name: str, label: str, cases: list[CaseResult], seconds: float = 0.0
    ) -> SystemResult:
        return cls(name, label, summarize(cases), per_tag(cases), cases, seconds)

    def failing(self) -> dict[str, list[str]]:
        """Tag -> ids of the cases this system got wrong."""
        if not self.cases:
            return self.stored_failing
        out: dict[str, list[str]] = {}
        for case in self.cases:
            if not case.correct:
                for tag in case.tags or ("untagged",):
                    out.setdefault(tag, []).append(case.id)
        return dict(sorted(out.items()))

    def to_json(self, with_cases: bool = True) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "seconds": round(self.seconds, 2),
            "metrics": self.metrics,
            "tags": self.tags,
            "failing": self.failing(),
            "cases": [c.to_json() for c in self.cases] if with_cases else [],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SystemResult:
        return cls(
            data["name"],
            data.get("label", data["name"]),
            data.get("metrics", {}),
            data.get("tags", {}),
            [CaseResult.from_json(c) for c in data.get("cases", [])],
            data.get("seconds", 0.0),
            data.get("failing", {}),
        )


def evaluate_system(
    system: SystemUnderTest, cases: list[GoldCase], verify: Callable[[Any], bool]
) -> SystemResult:
    started = time.perf_counter()
    results = [run_case(system, case, verify) for case in cases]
    return SystemResult.from_cases(
        system.name, system.label, results, time.perf_counter() - started
    )


# --- the report ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Regression:
    """A case our system had right in the previous report and has wrong now."""

    id: str
    tags: tuple[str, ...]
    question: str
    was: str
    now: str


@dataclass
class EvalReport:
    created: str
    model: str
    gold_cases: int
    quick: bool
    seconds: float
    systems: dict[str, SystemResult]
    index: dict[str, Any] = field(default_factory=dict)  # bytes, chunks, ingest timings
    regressions: list[Regression] = field(default_factory=list)
    previous: str | None = None
    notes: list[str] = field(default_factory=list)
    files: dict[str, str] = field(
        default_factory=dict
    )  # kind -> path written (not stored in the JSON)

    @property
    def ours(self) -> SystemResult:
        return self.systems["ours"]

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "model": self.model,
            "gold_cases": self.gold_cases,
            "quick": self.quick,
            "seconds": round(self.seconds, 2),
            "index": self.index,
            "previous": self.previous,
            "regressions": [asdict(r) for r in self.regressions],
            "notes": self.notes,
            # Per-case detail for ours only (regressions need it); the others keep failing ids per tag.
            "systems": {
                name: s.to_json(with_cases=name == "ours") for name, s in self.systems.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvalReport:
        return cls(
            created=data.get("created", ""),
            model=data.get("model", ""),
            gold_cases=data.get("gold_cases", 0),
            quick=data.get("quick", False),
            seconds=data.get("seconds", 0.0),
            systems={n: SystemResult.from_json(s) for n, s in data.get("systems", {}).items()},
            index=data.get("index", {}),
            previous=data.get("previous"),
            notes=data.get("notes", []),
            regressions=[
                Regression(r["id"], tuple(r["tags"]), r["question"], r["was"], r["now"])
                for r in data.get("regressions", [])
            ],
        )


def _state(case: CaseResult) -> str:
    if case.error:
        return f"error: {case.error}"
    if case.abstain_expected:
        return "abstained" if case.abstained else "answered instead of abstaining"
    if case.correct:
        return "correct"
    if case.abstained:
        return "abstained"
    return (
        f"missing {', '.join(repr(f) for f in case.missing_facts)}"
        if case.missing_facts
        else "wrong"
    )


def find_regressions(previous: EvalReport, current: EvalReport) -> list[Regression]:
    """Cases our system had right before (correct, or abstaining correctly) and has wrong now."""
    if "ours" not in previous.systems or "ours" not in current.systems:
        return []
    before = {c.id: c for c in previous.ours.cases}
    return [
        Regression(c.id, c.tags, c.question, _state(before[c.id]), _state(c))
        for c in current.ours.cases
        if c.id in before and before[c.id].correct and not c.correct
    ]


def latest_report(reports_dir: Path) -> tuple[str, EvalReport] | None:
    """The newest readable report JSON in reports_dir (names are timestamps), or None."""
    for path in sorted(Path(reports_dir).glob("*.json"), reverse=True):
        try:
            return path.name, EvalReport.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            continue  # a hand-edited or truncated file: the one before it will do
    return None


def write_report(report: EvalReport, reports_dir: Path) -> dict[str, str]:
    """Write <timestamp>.json, .md and .png into reports_dir; returns kind -> path."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base, n = reports_dir / stamp, 1
    while base.with_suffix(".json").exists():  # two runs in one second
        base, n = reports_dir / f"{stamp}-{n}", n + 1
    paths = {
        "json": base.with_suffix(".json"),
        "md": base.with_suffix(".md"),
        "png": base.with_suffix(".png"),
    }
    paths["json"].write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    paths["md"].write_text(render_markdown(report), encoding="utf-8")
    render_chart(report, paths["png"])
    report.files = {k: str(p) for k, p in paths.items()}
    return report.files


def _fmt(value: float | None, key: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if key.endswith("_ms") else f"{value:.3f}"


def target_warnings(report: EvalReport) -> list[str]:
    """Targets our system does not reach yet (enforced by the gate only once baseline.json marks them met)."""
    out = []
    for spec in METRICS:
        value = report.ours.metrics.get(spec.key)
        if spec.target is not None and value is not None and not _meets(value, spec):
            sign = ">=" if spec.higher_is_better else "<="
            out.append(f"{spec.key} is {value:.3f}, target {sign} {spec.target:.2f}")
    return out


def render_markdown(report: EvalReport) -> str:
    head = [m.label for m in METRICS]
    lines = [
        f"# Evaluation {report.created}",
        "",
        f"Model `{report.model}`, {report.gold_cases} gold cases, {report.seconds:.0f} s"
        f"{' (quick: ours only)' if report.quick else ''}. Index: {_index_line(report.index)}.",
        "",
        "| system | " + " | ".join(head) + " |",
        "|---" * (len(head) + 1) + "|",
    ]
    for s in report.systems.values():
        lines.append(
            f"| {s.label} | "
            + " | ".join(_fmt(s.metrics.get(m.key), m.key) for m in METRICS)
            + " |"
        )
    lines += ["", "## Targets not met yet", ""] + [
        f"- {w}" for w in target_warnings(report) or ["none"]
    ]
    lines += [
        "",
        "## Ours per tag",
        "",
        "| tag | cases | fact acc | abstain acc | hit@5 |",
        "|---|---|---|---|---|",
    ]
    for tag, m in report.ours.tags.items():
        lines.append(
            f"| {tag} | {m['cases']:.0f} | {_fmt(m['fact_accuracy'])} | {_fmt(m['abstention_accuracy'])} | {_fmt(m['hit@5'])} |"
        )
    lines += ["", f"## Regressions since {report.previous or '(no previous report)'}", ""]
    lines += [
        f"- **{r.id}** ({', '.join(r.tags)}): was {r.was}, now {r.now}. {r.question}"
        for r in report.regressions
    ] or ["none"]
    lines += ["", "## Our failing cases by tag", ""]
    lines += [f"- **{tag}**: {', '.join(ids)}" for tag, ids in report.ours.failing().items()] or [
        "none"
    ]
    lines += ["", "## Our failing cases", ""]
    lines += [
        f"- **{c.id}** {c.question} — {_state(c)}" for c in report.ours.cases if not c.correct
    ] or ["none"]
    if report.notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def _index_line(index: dict[str, Any]) -> str:
    parts = [f"{index['bytes'] / 1e6:.1f} MB" if index.get("bytes") else "size unknown"]
    if index.get("chunks"):
        parts.append(f"{index['chunks']} chunks")
    if index.get("ingest_s") is not None:
        parts.append(f"ingest {index['ingest_s']:.1f} s")
    if index.get("ingest_nochange_s") is not None:
        parts.append(f"no-change re-ingest {index['ingest_nochange_s']:.2f} s")
    return ", ".join(parts)


def render_chart(report: EvalReport, path: Path) -> None:
    """Per-tag fact accuracy (one bar per system) and the latency histogram of ask."""
    import matplotlib

    matplotlib.use("Agg")  # subtle: no display in CI; must be set before pyplot is imported
    import matplotlib.pyplot as plt

    tags = [t for t, m in report.ours.tags.items() if m.get("fact_accuracy") is not None]
    fig, (bars, hist) = plt.subplots(1, 2, figsize=(15, 5.5), gridspec_kw={"width_ratios": [3, 1]})
    width = 0.8 / max(len(report.systems), 1)
    for n, system in enumerate(report.systems.values()):
        values = [system.tags.get(t, {}).get("fact_accuracy") or 0.0 for t in tags]
        bars.bar(np.arange(len(tags)) + n * width, values, width, label=system.label)
    bars.set_xticks(np.arange(len(tags)) + 0.4 - width / 2, tags, rotation=40, ha="right")
    bars.set_ylim(0, 1.05)
    bars.set_title("Fact accuracy per tag", pad=26)
    bars.legend(
        fontsize=7, ncol=len(report.systems), loc="lower center", bbox_to_anchor=(0.5, 1.06)
    )
    shown = [s for name, s in report.systems.items() if name in ("ours", "llamaindex")]
    latencies = [c.latency_ms for s in shown for c in s.cases]
    edges = np.histogram_bin_edges(latencies, bins=30) if latencies else 30
    for system in shown:
        hist.hist([c.latency_ms for c in system.cases], bins=edges, alpha=0.6, label=system.label)
    hist.set_title("ask latency per question (ms)")
    hist.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# --- run -------------------------------------------------------------------------------------
def _our_systems(assistant: Any, cases: list[GoldCase], quick: bool) -> list[SystemUnderTest]:
    groups = copy_groups(assistant.snapshot.chunks)
    variants = [("ours", "ours (hybrid + routing)", "hybrid", True)]
    if not quick:
        variants += [
            ("bm25", "ablation: BM25 only", "bm25", True),
            ("dense", "ablation: dense only", "dense", True),
            ("no-routing", "ablation: hybrid, no routing", "hybrid", False),
        ]
    # subtle: ask() embeds each question itself (that is the latency we report); the top-10 searches
    # reuse one batch of query vectors, identical to single embeddings and many times cheaper.
    texts = []
    for case in cases:
        with contextlib.suppress(AssistantError):  # a bad question is recorded by run_case
            texts.append(assistant.check_question(case.question))
    vectors = (
        dict(zip(texts, assistant.embedder.embed_queries(texts), strict=True)) if texts else {}
    )

    def system(name: str, label: str, mode: str, routing: bool) -> SystemUnderTest:
        def search(question: str) -> list[RetrievedChunk]:
            text = assistant.check_question(question)
            return assistant.retriever.retrieve(
                text, SEARCH_K, None, mode, routing, query_vector=vectors.get(text)
            ).chunks

        return SystemUnderTest(
            name, label, lambda q: assistant.ask(q, mode=mode, routing=routing), search, groups
        )

    return [system(*v) for v in variants]


def _baseline_system(settings: Settings, embedder: Any) -> SystemUnderTest:
    from assistant.baseline import NaiveLlamaIndexBaseline

    naive = NaiveLlamaIndexBaseline(settings.corpus_dir, embedder)
    # Its answers use its own top 5; its ranking is scored on the top 10, exactly like ours.
    return SystemUnderTest(
        "llamaindex", "baseline: naive llama-index", naive.ask, lambda q: naive.search(q, SEARCH_K)
    )


def run(settings: Settings, gold_dir: Path, reports_dir: Path, quick: bool = False) -> EvalReport:
    """Every gold case through ours (and, unless quick, the ablations and the baseline); writes the report.

    Example: run(Settings(), Path("evals/gold"), Path("evals/reports"), quick=True).ours.metrics["hit@5"] -> 0.9…
    """
    from assistant.service import Assistant
    from assistant.verify import CitationVerifier

    # subtle: OpenMP threads that spin-wait make one-question embeddings 5-10x slower on a busy 2-core
    # machine (450 ms instead of 30). Sleeping waits keep the run fast and the latencies honest; it
    # only takes effect if set before the model loads. (Belongs in embeddings.py; see evals/README.md.)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    started = time.perf_counter()
    cases = load_gold(gold_dir)
    assistant = Assistant(settings)
    verifier = CitationVerifier(settings.corpus_dir)
    systems = _our_systems(assistant, cases, quick)
    results = {s.name: evaluate_system(s, cases, verifier.verify) for s in systems}
    if not quick:
        naive = _baseline_system(settings, assistant.embedder)
        results[naive.name] = evaluate_system(naive, cases, verifier.verify)
    report = EvalReport(
        created=time.strftime("%Y-%m-%dT%H:%M:%S"),
        model=assistant.snapshot.manifest.get("model", settings.embedding_model),
        gold_cases=len(cases),
        quick=quick,
        seconds=0.0,
        systems=results,
        index=index_facts(settings, assistant.snapshot),
        notes=unfindable_quotes(cases, assistant.snapshot.chunks),
    )
    previous = latest_report(reports_dir)
    if previous is not None:
        report.previous = previous[0]
        report.regressions = find_regressions(previous[1], report)
    report.seconds = time.perf_counter() - started
    write_report(report, reports_dir)
    return report


def unfindable_quotes(cases: list[GoldCase], chunks: list[Chunk]) -> list[str]:
    """Gold quotes that no chunk of the index holds whole: retrieval cannot hit them as chunked."""
    hits = [Hit(((c.document, shown_text(c)),)) for c in chunks]
    missing = [
        f"{case.id}: {s.quote[:60]}"
        for case in cases
        for s in case.sources
        if not any(source_matches(h, s) for h in hits)
    ]
    return [f"gold quote in no single chunk (split by chunking?) — {m}" for m in missing]


def index_facts(settings: Settings, snapshot: Any) -> dict[str, Any]:
    """Size of the live index folder, chunk count, and ingest timings where they are cheap to know."""
    folder = Path(snapshot.folder)
    facts: dict[str, Any] = {
        "bytes": sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
        "chunks": len(snapshot.chunks),
        "canonical_chunks": sum(1 for c in snapshot.chunks if c.duplicate_of is None),
        "ingest_s": snapshot.manifest.get("seconds", snapshot.manifest.get("ingest_seconds")),
        "ingest_nochange_s": None,
    }
    if _corpus_matches_manifest(settings, snapshot.manifest):
        from assistant.ingest import ingest_corpus

        started = time.perf_counter()
        ingest_corpus(settings)  # nothing changed, so this only hashes files and returns
        facts["ingest_nochange_s"] = round(time.perf_counter() - started, 3)
    return facts


def _corpus_matches_manifest(settings: Settings, manifest: dict[str, Any]) -> bool:
    # subtle: the no-change re-ingest is timed only when it cannot rebuild: same model, same files, same bytes.
    from assistant.ingest import MANIFEST_VERSION

    if (
        manifest.get("model") != settings.embedding_model
        or manifest.get("version") != MANIFEST_VERSION
    ):
        return False
    corpus = Path(settings.corpus_dir)
    present = {
        p.relative_to(corpus).as_posix(): p
        for p in corpus.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.name != "README.md"
    }
    files = manifest.get("files", {})
    if set(present) != set(files):
        return False
    return all(
        hashlib.sha1(present[rel].read_bytes()).hexdigest() == info.get("sha1")
        for rel, info in files.items()
    )


# --- the gate and the ratchet baseline ---------------------------------------------------------
def _meets(value: float, spec: MetricSpec) -> bool:
    assert spec.target is not None
    return value >= spec.target - 1e-9 if spec.higher_is_better else value <= spec.target + 1e-9


def load_baseline(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise AssistantError(
            f"the ratchet baseline '{path}' is not valid JSON ({exc}): restore it from git"
        ) from exc


def check_gate(report: EvalReport, baseline_path: Path) -> list[str]:
    """Failure messages: our metrics below the committed baseline (the ratchet, minus a 0.005
    tolerance), or below a target the baseline marks as met. Latency is never gated.

    Example: hit@5 0.90 with baseline 0.93 -> ["hit@5 fell to 0.900, below the ratchet baseline 0.930 …"]
    """
    baseline = load_baseline(baseline_path)
    if not baseline:
        return [
            f"no ratchet baseline at '{baseline_path}': run `assistant eval --update-baseline` and commit the file"
        ]
    tolerance = float(baseline.get("tolerance", TOLERANCE))
    failures = []
    for key, entry in baseline.get("metrics", {}).items():
        spec = SPECS.get(key)
        if spec is None or not spec.gated:
            continue
        value = report.ours.metrics.get(key)
        if value is None:
            failures.append(
                f"{key} is missing from this run (the baseline has {entry['value']:.3f}): is the gold set complete?"
            )
            continue
        worse = (
            value < entry["value"] - tolerance
            if spec.higher_is_better
            else value > entry["value"] + tolerance
        )
        if worse:
            failures.append(
                f"{key} fell to {value:.3f}, below the ratchet baseline {entry['value']:.3f} in {baseline_path} "
                f"(tolerance {tolerance}): see the report's regressions and fix them"
            )
        elif entry.get("targets_met") and spec.target is not None and not _meets(value, spec):
            failures.append(
                f"{key} is {value:.3f}, short of its target {spec.target:.2f}, which {baseline_path} marks as met"
            )
    return failures


def raise_baseline(report: EvalReport, baseline_path: Path) -> dict[str, Any]:
    """Write our metrics to the baseline, never loosening a stored value; a target once met stays enforced.

    Example: stored hit@5 0.95, this run 0.93 -> stays 0.95; this run 0.97 -> 0.97
    """
    baseline = load_baseline(baseline_path)
    stored = baseline.get("metrics", {})
    metrics = {}
    for spec in METRICS:
        value, old = report.ours.metrics.get(spec.key), stored.get(spec.key)
        if not spec.gated or value is None:
            continue
        if old is not None:
            value = max(value, old["value"]) if spec.higher_is_better else min(value, old["value"])
        met = bool(old and old.get("targets_met")) or (
            spec.target is not None and _meets(value, spec)
        )
        metrics[spec.key] = {"value": round(value, 4), "target": spec.target, "targets_met": met}
    data = {
        "_about": "Ratchet for `assistant eval --gate`: ours may not fall below these (tolerance below). "
        "Raise with `assistant eval --update-baseline`; see evals/README.md.",
        "tolerance": float(baseline.get("tolerance", TOLERANCE)),
        "model": report.model,
        "gold_cases": report.gold_cases,
        "updated": report.created,
        "metrics": metrics,
    }
    Path(baseline_path).parent.mkdir(parents=True, exist_ok=True)
    Path(baseline_path).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return data


# --- terminal --------------------------------------------------------------------------------
def print_report(report: EvalReport) -> None:
    """Rich tables: one row per system; ours per tag; target warnings; regressions."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        console = Console(width=170)  # subtle: a pipe gets 80 columns and would squash the table
    for title, keys in (
        ("Retrieval (answerable cases, top 10)", RETRIEVAL_KEYS),
        ("Answers", [m.key for m in METRICS if m.key not in RETRIEVAL_KEYS]),
    ):
        table = Table(title=title)
        table.add_column("system")
        for key in keys:
            table.add_column(SPECS[key].label, justify="right")
        for s in report.systems.values():
            table.add_row(s.label, *(_fmt(s.metrics.get(k), k) for k in keys))
        console.print(table)
    tags = Table(title="Ours per tag")
    for col in ("tag", "cases", "fact acc", "abstain acc", "hit@5"):
        tags.add_column(col, justify="left" if col == "tag" else "right")
    for tag, m in report.ours.tags.items():
        tags.add_row(
            tag,
            f"{m['cases']:.0f}",
            _fmt(m["fact_accuracy"]),
            _fmt(m["abstention_accuracy"]),
            _fmt(m["hit@5"]),
        )
    console.print(tags)
    console.print(f"Index: {_index_line(report.index)}. Run time {report.seconds:.0f} s.")
    for warning in target_warnings(report):
        console.print(
            f"[yellow]warning: {warning} (not gated until evals/baseline.json marks it met)[/yellow]"
        )
    if report.previous:
        console.print(f"Regressions since {report.previous}: {len(report.regressions) or 'none'}")
    for r in report.regressions:
        console.print(
            f"[red]  {r.id}[/red] ({', '.join(r.tags)}): was {r.was}, now {r.now} — {r.question}"
        )
    if report.files:
        console.print(
            f"Report: {report.files.get('md')} (failing cases by tag), {report.files.get('json')}, {report.files.get('png')}"
        )
