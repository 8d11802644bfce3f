"""draft_decision: resolve the organisation, find the strategy, build the sections in
tjänsteskrivelse order and assemble the DraftResult with its citations and placeholders.

Does not: build any one section (proposal.py, description.py, basis.py, recipients.py), render
Markdown or .docx (render.py), or turn errors into messages (cli/ / ui/ do that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.answers import DraftResult
from assistant.drafting.basis import basis
from assistant.drafting.citations import CitationList
from assistant.drafting.context import DraftContext, deciding_body
from assistant.drafting.description import description, economy
from assistant.drafting.organisation import resolve_organisation
from assistant.drafting.proposal import header, proposal
from assistant.drafting.recipients import recipients
from assistant.drafting.strategies import find_strategy

if TYPE_CHECKING:
    from assistant.service import Assistant

PLACEHOLDERS = ("[nämnd]", "[datum]", "[paragraf]", "[diarienummer]", "[handläggare]")

_NOUNS = {"anta": "Antagande", "fastställa": "Fastställande"}
_BUILDERS = (header, proposal, description, economy, basis, recipients)  # tjänsteskrivelse order


def draft_decision(assistant: Assistant, org: str, strategy: str, body: str = "") -> DraftResult:
    """A tjänsteskrivelse with Förslag till beslut for an organisation adopting a shared strategy.

    Example: draft_decision(a, "Ljusdals kommun", "Välfärdsstrategin", "kommunfullmäktige").sections[1].text
    -> "Kommunfullmäktige föreslås besluta\\n\\n1. Att anta Välfärdsstrategin för den samverkan
    Ljusdals kommun genomför inom ramen för Nätverk Välfärd [1]\\n2. …"
    """
    organisation = resolve_organisation(org)
    chosen = find_strategy(assistant, strategy, organisation)
    draft = DraftContext(organisation, chosen, CitationList(assistant.verifier))
    draft.body, draft.body_source = deciding_body(draft, body)
    sections = tuple(s for s in (build(draft) for build in _BUILDERS) if s is not None)
    title = f"{_NOUNS.get(chosen.verb, 'Beslut om')} av {chosen.name} – {organisation.official}"
    text = "\n\n".join([title, *(f"{s.heading}\n\n{s.text}" for s in sections)])
    return DraftResult(title, text, sections, tuple(draft.cites.items), placeholders_in(text))


def placeholders_in(text: str) -> tuple[str, ...]:
    """Example: placeholders_in("[nämnd] den [datum], [nämnd]") -> ("[nämnd]", "[datum]")"""
    found = sorted((text.find(p), p) for p in PLACEHOLDERS if p in text)
    return tuple(p for _, p in found)
