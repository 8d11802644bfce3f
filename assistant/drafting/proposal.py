"""The opening sections of a tjänsteskrivelse: Ärendeuppgifter (placeholders and the deciding
body) and Förslag till beslut (the numbered att-satser of the decision wording the draft follows).

Does not: pick the deciding body or the decision wording (context.py), or write an att-sats that
is not the source's own (wording.py fills in the organisation only).
"""

from __future__ import annotations

from assistant.answers import DraftSection
from assistant.drafting.context import DraftContext, decision_chunk
from assistant.drafting.passages import passages
from assistant.drafting.wording import capital, clauses


def header(draft: DraftContext) -> DraftSection:
    """Example: -> "Diarienummer: [diarienummer]\\nDatum: [datum]\\n…\\nBeslutande organ: Kommunfullmäktige i Ljusdals kommun" """
    lines = [
        "Diarienummer: [diarienummer]",
        "Datum: [datum]",
        "Handläggare: [handläggare]",
        f"Beslutande organ: {capital(draft.body)} {draft.org.locative}",
    ]
    return DraftSection("Ärendeuppgifter", "\n".join(lines))


def proposal(draft: DraftContext) -> DraftSection:
    """Example: -> "Kommunfullmäktige föreslås besluta\\n\\n1. Att anta Välfärdsstrategin … [1]\\n2. …" """
    lead = f"{capital(draft.body)} föreslås besluta"
    if draft.body_source is not None:
        lead = draft.cites.cite(lead, draft.body_source) or lead
    items: list[str] = []
    for passage in passages(decision_chunk(draft.strategy, draft.org)):
        found = clauses(passage, draft.org)
        marker = draft.cites.mark(passage) if found else None
        items += [f"{text} {marker}" for text in found] if marker else []
    numbered = [f"{n}. {item}" for n, item in enumerate(items, 1)]
    return DraftSection("Förslag till beslut", lead + "\n\n" + "\n".join(numbered))
