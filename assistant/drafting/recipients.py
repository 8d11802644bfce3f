"""Beslutet skickas till: the organisation's own list where it has one, the region where another
huvudman sent its decision there, whoever asks for feedback; [nämnd] for the internal recipients.

Does not: name an internal recipient the sources cannot know, or add one without a citation.
"""

from __future__ import annotations

import re

from assistant.answers import DraftSection
from assistant.drafting.context import HANDOVER, DraftContext
from assistant.drafting.passages import list_items

_FEEDBACK = re.compile(r"återkoppling\b.*\bskickas\b", re.I)


def recipients(draft: DraftContext) -> DraftSection:
    """Example: Skellefteå -> ["- Återkoppling av fattat beslut skickas senast 2023-08-31 till katarina.a.lindahl@… [5]", "- [nämnd]"]"""
    org, found = draft.org, []
    for chunk in draft.strategy.chunks:
        if re.search(r"skickas till|expedieras", chunk.heading_path[-1], re.I):
            own = chunk.metadata.org == org.official
            found += [
                p
                for p in list_items(chunk)
                if own or (org.kind == "kommun" and org.region in p.text)
            ]
    found += draft.matching(_FEEDBACK)
    lines = [c for c in (draft.cites.cite(p.display(), p) for p in found) if c]
    if not lines and org.kind == "kommun":
        sender = [p for p in draft.matching(HANDOVER) if org.region in p.text]
        lines += [c for c in (draft.cites.cite(org.region, p) for p in sender[:1]) if c]
    lines.append("[nämnd]")
    return DraftSection(
        "Beslutet skickas till", "\n".join(f"- {line}" for line in dict.fromkeys(lines))
    )
