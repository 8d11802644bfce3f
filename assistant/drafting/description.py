"""The prose sections: Beskrivning av ärendet (the hand-over, background sentences grouped by
source section, the municipality-specific sentence a source asks for, the recommended forum) and
Ekonomisk bedömning (only where a source states one). Every sentence carries a citation.

Does not: write sentences of its own beyond the one-line framing of the ärende, or keep a
sentence whose citation fails verification.
"""

from __future__ import annotations

import re

from assistant.answers import DraftSection
from assistant.documents import Chunk
from assistant.drafting.context import FORUM, HANDOVER, DraftContext, decision_chunk
from assistant.drafting.passages import Passage, passages
from assistant.drafting.strategies import terms
from assistant.drafting.wording import ATT_SATS, TEMPLATE, capital, clauses, sentence

MAX_BACKGROUND = 10  # sentences under "Beskrivning av ärendet"; a tjänsteskrivelse stays short

_BACKGROUND = ("underlag för beslut", "sammanfattning", "beskrivning av ärendet", "bakgrund")


def description(draft: DraftContext) -> DraftSection:
    handover = _handover(draft)
    framing = f"Ärendet gäller beslut {draft.org.locative} om att {draft.strategy.verb} {draft.strategy.name}."
    opening = [draft.cites.cite(framing, handover) or framing]
    if not clauses(handover, draft.org):  # the hand-over itself, unless it is the att-sats again
        opening.append(draft.cites.cite(sentence(handover.display()), handover) or "")
    paragraphs = [" ".join(s for s in opening if s)]
    forum = draft.matching(FORUM)
    skip = [handover, *forum]
    for group in _background(draft, skip):
        cited = [draft.cites.cite(sentence(p.display()), p) for p in group]
        paragraphs.append(" ".join(c for c in cited if c))
    if draft.org.kind == "kommun":  # the source asks for a kommunspecifik förklaring
        paragraphs += [
            c for c in (_local_explanation(draft, p) for p in draft.matching(TEMPLATE)) if c
        ]
    paragraphs += [c for c in (draft.cites.cite(sentence(p.display()), p) for p in forum[:1]) if c]
    return DraftSection("Beskrivning av ärendet", "\n\n".join(p for p in paragraphs if p))


def _handover(draft: DraftContext) -> Passage:
    """The passage saying the strategy was handed to the huvudmän for decision; for a region that
    is not among those addressed ("till respektive kommun"), its own decision wording instead.

    Example: HSVO -> "Den 15 mars 2024 godkände det regionala samrådet HSVO strategin och beslutade att överlämna den …"
    """
    addressed = [
        p
        for p in draft.matching(HANDOVER)
        if draft.org.kind == "kommun" or "respektive kommun" not in p.text
    ]
    own = [
        p
        for p in draft.strategy.decisions
        if p.chunk.id == decision_chunk(draft.strategy, draft.org).id
    ]
    return (addressed + own)[0]


def _background(draft: DraftContext, skip: list[Passage]) -> list[list[Passage]]:
    """Background sentences grouped by source section: the decision's own document first, then by
    how central the heading is, near-duplicates dropped, at most MAX_BACKGROUND in all.

    Example: Västerbotten -> [[Sammanfattning sentences…], [Bakgrund sentences…]]
    """
    own = decision_chunk(draft.strategy, draft.org).document
    chunks = [c for c in draft.strategy.chunks if _background_rank(c) < len(_BACKGROUND)]
    chunks.sort(key=lambda c: (c.document != own, _background_rank(c)))
    seen = [terms(p.text) for p in skip]
    groups: list[list[Passage]] = []
    for chunk in chunks:
        group = [p for p in passages(chunk) if _novel(p, seen) and len(p.display()) > 20]
        group = group[: MAX_BACKGROUND - sum(len(g) for g in groups)]
        if group:
            groups.append(group)
    return groups


def _background_rank(chunk: Chunk) -> int:
    heading = chunk.heading_path[-1].lower()
    return next((i for i, h in enumerate(_BACKGROUND) if h in heading), len(_BACKGROUND))


def _novel(passage: Passage, seen: list[set[str]]) -> bool:
    """False when most of a passage's words (or of an earlier one's) were already said; records it.

    Example: "Utifrån planen ska nämnden arbeta fram årliga handlingsplaner för skolan."
    is not novel after "Baserat på planen ska nämnden ta fram årliga handlingsplaner …"
    """
    found = terms(passage.text)
    for other in seen:
        if found and other and len(found & other) / min(len(found), len(other)) >= 0.7:
            return False
    seen.append(found)
    return True


def _local_explanation(draft: DraftContext, passage: Passage) -> str | None:
    """The municipality-specific sentence a source asks for, with names the corpus cannot know left open.

    Example: "… exempelvis ”i X kommun samverkar ordförande för följande nämnder …: y-nämnd, z-nämnd” osv"
    -> "I Ljusdals kommun samverkar ordförande för följande nämnder …: [nämnd], [nämnd]. [2]"
    """
    quoted = re.search(r"[”“\"](.+?)[”“\"]", passage.display())
    if quoted is None or ATT_SATS.match(passage.display()):
        return None
    text = TEMPLATE.sub(draft.org.official, quoted.group(1))
    text = capital(re.sub(r"\b[a-zåäö]-nämnd\b", "[nämnd]", text).rstrip(". ")) + "."
    return draft.cites.cite(text, passage)


def economy(draft: DraftContext) -> DraftSection | None:
    """Ekonomisk bedömning in the sources' words, or None where no source states one."""
    cited = [draft.cites.cite(p.display(), p) for p in draft.passages("ekonomisk")]
    text = " ".join(c for c in cited if c)
    return DraftSection("Ekonomisk bedömning", text) if text else None
