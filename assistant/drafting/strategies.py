"""The strategies the corpus asks huvudmän to adopt, found by their adoption att-satser
("Att anta …", "Att fastställa …"), and the one a user's query names for an organisation's län.

Does not: write any draft wording (wording.py and the section modules do), search the index except
to rank the closest strategies in a StrategyNotFound message, or turn that error into a message for
people (cli/ / ui/ do that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from assistant.documents import Chunk
from assistant.drafting.organisation import Organisation
from assistant.drafting.passages import Passage, passages
from assistant.errors import AssistantError, StrategyNotFound
from assistant.language.analysis import analyze
from assistant.language.places import gazetteer
from assistant.language.text import fold, normalize_ws

if TYPE_CHECKING:
    from assistant.service import Assistant

_ADOPT = re.compile(r"^(?:att\s+)?(anta|fastställa)\s+(.+)$", re.I)
_NAME_END = re.compile(r",|\.(?:\s|$)| som | för den ")


@dataclass(frozen=True)
class Strategy:
    """A strategy the corpus asks huvudmän to adopt, with the chunks of the files that ask.

    Example: Strategy(name="Välfärdsstrategin", verb="anta", lan="21", …)
    """

    name: str
    verb: str  # anta | fastställa
    lan: str
    lan_name: str
    decisions: tuple[Passage, ...]  # the adoption att-satser, corpus order
    chunks: tuple[Chunk, ...]  # canonical chunks of the files holding a decision, same län

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.chunk.document for p in self.decisions))

    def label(self) -> str:
        return f"{self.name} ({self.lan_name})"


def find_strategies(chunks: list[Chunk]) -> list[Strategy]:
    """Every strategy with adoption wording, one per (län, name), in corpus order.

    Example: find_strategies(snapshot.chunks)[0].name -> "strategi för samverkan HSVO 2024–2026"
    """
    canonical = [c for c in chunks if c.duplicate_of is None]
    found: dict[tuple[str, str], list[Passage]] = {}
    for chunk in canonical:
        if not re.search(r"förslag|beslut|rekommendation", chunk.heading_path[-1], re.I):
            continue
        for passage in passages(chunk):
            name = _adopted_name(passage)
            if name:
                found.setdefault((chunk.metadata.lan, fold(name)), []).append(passage)
    return [_strategy(lan, decisions, canonical) for (lan, _), decisions in found.items()]


def _adopted_name(passage: Passage) -> str:
    """Example: "1. anta strategi för samverkan HSVO 2024–2026, daterad 2024-03-15." -> "strategi för samverkan HSVO 2024–2026" """
    match = _ADOPT.match(passage.display())
    return _NAME_END.split(match.group(2))[0].strip() if match else ""


def _strategy(lan: str, decisions: list[Passage], canonical: list[Chunk]) -> Strategy:
    files = {p.chunk.document for p in decisions}
    chunks = tuple(c for c in canonical if c.document in files and c.metadata.lan == lan)
    verb = _ADOPT.match(decisions[0].display()).group(1).lower()  # type: ignore[union-attr]
    return Strategy(
        _adopted_name(decisions[0]), verb, lan, gazetteer().lan_name(lan), tuple(decisions), chunks
    )


def terms(text: str) -> set[str]:
    """The folded words of a text as the retriever analyses them, for overlap tests."""
    return {fold(t) for t in analyze(text)}


def match_score(query: str, strategy: Strategy) -> float:
    """Share of the query's words found in the strategy's name and document titles (0..1).

    A query word may be part of a compound ("välfärd" in "välfärdsstrategin"); a year that the
    strategy does not carry rules it out, so "HSVO 2021–2023" is not "HSVO 2024–2026".
    Example: match_score("Färdplan Nära vård", vasterbotten) -> 1.0
    """
    wanted = terms(query)
    vocab = terms(" ".join([strategy.name, *dict.fromkeys(c.title for c in strategy.chunks)]))
    if not wanted or any(t.isdigit() and t not in vocab for t in wanted):
        return 0.0
    hits = [t for t in wanted if t in vocab or (len(t) >= 4 and any(t in v for v in vocab))]
    return len(hits) / len(wanted)


def find_strategy(assistant: Assistant, query: str, org: Organisation) -> Strategy:
    """The strategy of the organisation's län that the query names, or StrategyNotFound.

    Example: find_strategy(a, "Välfärdsstrategin", resolve_organisation("Ljusdal")).lan -> "21"
    """
    strategies = find_strategies(assistant.chunks())
    scored = sorted(((match_score(query, s), s) for s in strategies), key=lambda x: -x[0])
    matching = [s for score, s in scored if score >= 0.6]
    local = [s for s in matching if s.lan == org.lan]
    if local:
        return local[0]
    raise StrategyNotFound(_not_found_message(assistant, query, org, strategies, matching))


def _not_found_message(
    assistant: Assistant,
    query: str,
    org: Organisation,
    strategies: list[Strategy],
    matching: list[Strategy],
) -> str:
    if not strategies:
        return (
            "the corpus holds no adoption wording ('Att anta …', 'Att fastställa …') for any strategy: "
            "add the documents to the corpus folder and run `assistant ingest`"
        )
    in_lan = [s.name for s in strategies if s.lan == org.lan]
    there = (
        f"for {org.lan_name} the corpus holds: {', '.join(in_lan)}"
        if in_lan
        else f"the corpus holds no strategy to adopt for {org.lan_name}"
    )
    if matching:
        return (
            f"'{query}' matches {', '.join(s.label() for s in matching)}, but {org.official} is in "
            f"{org.lan_name}; {there}. Name a strategy of {org.lan_name}, or check the organisation."
        )
    closest = ", ".join(_closest(assistant, query, strategies))
    what = (
        f"no strategy in the corpus matches '{query}'"
        if normalize_ws(query)
        else "no strategy was named"
    )
    return f"{what}; {there}. Closest matches: {closest}. Name one of these as the strategy."


def _closest(assistant: Assistant, query: str, strategies: list[Strategy]) -> list[str]:
    """Strategy labels ranked by where a corpus search for the query lands, then by spelling.

    Example: _closest(a, "välfärdsplan", strategies)[0] -> "Välfärdsstrategin (Gävleborgs län)"
    """
    try:
        documents = [r.chunk.document for r in assistant.search(query, top_k=8).chunks]
    except AssistantError:
        documents = []

    def rank(strategy: Strategy) -> tuple[int, float]:
        hits = [i for i, d in enumerate(documents) if d in strategy.documents]
        return (
            min(hits) if hits else len(documents),
            -SequenceMatcher(None, fold(query), fold(strategy.name)).ratio(),
        )

    return [s.label() for s in sorted(strategies, key=rank)[:3]]
