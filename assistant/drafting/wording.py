"""Decision wording from one source item: its att-satser with "X kommun" filled in, or the
optional repeal clause a source suggests; and the capitalised / sentence forms a draft shows.

Does not: choose which items a draft uses (proposal.py, description.py), cite them
(citations.py), or write wording the source item does not carry.
"""

from __future__ import annotations

import re

from assistant.drafting.organisation import Organisation
from assistant.drafting.passages import Passage

TEMPLATE = re.compile(r"\bX kommun\b")  # how shared decision texts leave the huvudman open
ATT_SATS = re.compile(r"^(?:att|anta|fastställa)\b", re.I)
_REPEAL = re.compile(r"upphävande-?\s?att-?sats.*?beslutade om (.+?)\)?$", re.I)


def capital(text: str) -> str:
    """Example: "kommunfullmäktige" -> "Kommunfullmäktige" """
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """A list item shown as prose ends like a sentence.

    Example: "Varje huvudman beslutar om vilket forum som ska fatta beslut" -> "… fatta beslut."
    """
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def att_satser(passage: Passage, org: Organisation) -> list[str]:
    """The att-satser of one source item, with "X kommun" filled in.

    Example: "• Att anta Välfärdsstrategin för den samverkan X kommun genomför …, att den därmed ersätter …"
    -> ["Att anta Välfärdsstrategin för den samverkan Ljusdals kommun genomför …", "Att den därmed ersätter …"]
    """
    text = TEMPLATE.sub(org.official, passage.display()).rstrip(".")
    parts = re.split(r",\s+(?=att\s)", text, flags=re.I)
    return [re.sub(r"^(?:att\s+)?", "Att ", part, flags=re.I) for part in parts]


def clauses(passage: Passage, org: Organisation) -> list[str]:
    """The att-satser a decision item gives, the optional repeal clause a source suggests, or none.

    Example: "(Ev att ta med en upphävande-attsats … beslutade om de gemensamma utgångspunkterna)"
    -> ["(Valfri) Att upphäva tidigare beslut om de gemensamma utgångspunkterna ([nämnd], [datum], [paragraf])"]
    """
    repeal = _REPEAL.search(passage.display())
    if repeal:
        return [
            f"(Valfri) Att upphäva tidigare beslut om {repeal.group(1)} ([nämnd], [datum], [paragraf])"
        ]
    return att_satser(passage, org) if ATT_SATS.match(passage.display()) else []
