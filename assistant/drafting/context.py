"""What every section builder reads: the organisation, the chosen strategy, the shared citation
list and the deciding body; and whose decision wording the draft follows.

Does not: build any section (proposal.py, description.py, basis.py, recipients.py) or assemble
the DraftResult (compose.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.documents import Chunk
from assistant.drafting.citations import CitationList
from assistant.drafting.organisation import Organisation
from assistant.drafting.passages import Passage, passages, unique_chunks
from assistant.drafting.strategies import Strategy
from assistant.drafting.wording import TEMPLATE
from assistant.language.text import normalize_ws

HANDOVER = re.compile(r"överlämna|skickar nu rekommendation", re.I)
FORUM = re.compile(r"fullmäktigenivå|vilket forum", re.I)
_LEAD = re.compile(r"föreslår (\S+) att besluta|^(\S+) beslutar att", re.I)


@dataclass
class DraftContext:
    """A draft being built: what it is about and the citations its sections have used so far."""

    org: Organisation
    strategy: Strategy
    cites: CitationList
    body: str = "[nämnd]"
    body_source: Passage | None = None

    def passages(self, heading: str) -> list[Passage]:
        """Passages of the strategy's chunks whose last heading contains ``heading``."""
        return [
            p
            for c in self.strategy.chunks
            if heading in c.heading_path[-1].lower()
            for p in passages(c)
        ]

    def matching(self, pattern: re.Pattern[str]) -> list[Passage]:
        return [p for c in self.strategy.chunks for p in passages(c) if pattern.search(p.text)]


def decision_chunk(strategy: Strategy, org: Organisation) -> Chunk:
    """Whose wording to follow: the organisation's own, else a template naming "X kommun", else the first.

    Example: decision_chunk(valfard, ljusdal).document -> "gavleborg-valfardsstrategin-fortsatt-process.txt"
    """
    chunks = unique_chunks(p.chunk for p in strategy.decisions)
    own = [c for c in chunks if any(org.official in p.text for p in passages(c))]
    template = [c for c in chunks if any(TEMPLATE.search(p.text) for p in passages(c))]
    return (own or template or chunks)[0]


def deciding_body(draft: DraftContext, given: str) -> tuple[str, Passage | None]:
    """The body that decides: as given; else as the organisation's own document says; else
    fullmäktige when a source recommends that level; else the placeholder [nämnd].

    Example: deciding_body(skelleftea_draft, "") -> ("kommunfullmäktige", <"… på fullmäktigenivå.">)
    """
    if normalize_ws(given):
        return normalize_ws(given), None
    chunk = decision_chunk(draft.strategy, draft.org)
    if chunk.metadata.org == draft.org.official:
        for passage in passages(chunk):
            lead = _LEAD.search(passage.display())
            if lead:
                return lead.group(1) or lead.group(2), passage
    forum = [p for p in draft.matching(FORUM) if "fullmäktige" in p.text]
    return (draft.org.assembly, forum[0]) if forum else ("[nämnd]", None)
