"""A municipality or region as a decision text names it, resolved from what a user typed.

Resolution uses the gazetteer only (no index, no corpus): "Ljusdal", "ljusdals  KOMMUN" and
"Ljusdal kommun" all give Ljusdals kommun; "Gävleborgs län" gives Region Gävleborg.

Does not: look at the corpus, guess an organisation outside Sweden, or turn UnknownOrganisation
into a message for people (cli/ / ui/ do that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.errors import UnknownOrganisation
from assistant.language.places import gazetteer
from assistant.language.text import fold, normalize_ws


@dataclass(frozen=True)
class Organisation:
    """A Swedish municipality or region, with the forms a decision text needs.

    Example: resolve_organisation("Ljusdal").locative -> "i Ljusdals kommun"
    """

    kind: str  # kommun | region
    official: str  # "Ljusdals kommun", "Region Gävleborg"
    lan: str  # county code, "21"
    lan_name: str  # "Gävleborgs län"
    region: str  # the län's region, "Region Gävleborg"

    @property
    def locative(self) -> str:
        return f"i {self.official}"

    @property
    def assembly(self) -> str:
        return "kommunfullmäktige" if self.kind == "kommun" else "regionfullmäktige"


def resolve_organisation(name: str) -> Organisation:
    """The municipality or region a user means, forgiving case, å/ä/ö and a missing genitive s.

    Example: resolve_organisation("Ljusdal kommun").official -> "Ljusdals kommun";
    resolve_organisation("Gävleborgs län").official -> "Region Gävleborg"
    """
    text = normalize_ws(name or "")
    entry = _kommun(text)
    if entry is not None:
        lan = gazetteer().lan[entry["lan"]]
        return Organisation("kommun", entry["official"], entry["lan"], lan["name"], lan["region"])
    lan = _lan(text)
    if lan is not None:
        return Organisation("region", lan["region"], lan["code"], lan["name"], lan["region"])
    raise UnknownOrganisation(_unknown_org_message(text))


def _kommun(text: str) -> dict[str, Any] | None:
    g = gazetteer()
    bare = re.sub(r"\s+kommun$", "", text, flags=re.I)
    for candidate in (text, bare, bare[:-1] if bare.endswith("s") else ""):
        entry = g.kommun_by_name(candidate) if candidate else None
        if entry is not None:
            return entry
    return None


def _lan(text: str) -> dict[str, Any] | None:
    key = fold(text)
    for entry in gazetteer().lan.values():
        short = entry["short"]
        names = {
            entry["name"],
            entry["region"],
            short,
            f"Region {short}",
            f"{short}s län",
            *entry.get("aliases", []),
        }
        if key in {fold(n) for n in names}:
            return entry
    return None


def _unknown_org_message(text: str) -> str:
    close = gazetteer().suggestions(text) if text else []
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return (
        f"'{text}' is not a Swedish municipality or region.{hint} "
        "Give the official name, e.g. 'Ljusdals kommun', 'Ljusdal' or 'Region Gävleborg'."
    )
