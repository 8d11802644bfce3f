"""Which chunks a question may be answered from: the user's filters and the places it names, as
sets of chunk ids precomputed from the chunks' metadata (no per-question pass over every chunk).

A question that names a kommun with documents of its own is answered from those documents and
from documents no kommun owns (its region's, a län's) that name the kommun or its län, never from
another kommun's near-identical copy. A kommun without documents of its own routes, as a län does,
to every document that names it or its län.

Does not: rank (hybrid.py) or read places from text (language/places.py).
"""

from __future__ import annotations

from assistant.documents import Chunk, Filters
from assistant.language.places import Place, gazetteer
from assistant.language.text import fold


class Scope:
    """Chunk id sets by kommun, län, owner, type, year and organisation list."""

    def __init__(self, chunks: list[Chunk]) -> None:
        owners = {entry["official"]: code for code, entry in gazetteer().kommuner.items()}
        self.all = frozenset(c.id for c in chunks)
        self.by_kommun: dict[str, set[str]] = {}
        self.by_lan: dict[str, set[str]] = {}
        self.by_owner: dict[str, set[str]] = {}
        self.by_type: dict[str, set[str]] = {}
        self.by_year: dict[int, set[str]] = {}
        self.by_orgs: dict[tuple[str, ...], set[str]] = {}
        for chunk in chunks:
            meta = chunk.metadata
            for code in meta.kommuner:
                self.by_kommun.setdefault(code, set()).add(chunk.id)
            for code in meta.lans:
                self.by_lan.setdefault(code, set()).add(chunk.id)
            self.by_owner.setdefault(owners.get(meta.org, ""), set()).add(chunk.id)
            self.by_type.setdefault(meta.doc_type, set()).add(chunk.id)
            for year in meta.years:
                self.by_year.setdefault(year, set()).add(chunk.id)
            self.by_orgs.setdefault(meta.orgs, set()).add(chunk.id)

    def allowed(self, filters: Filters, places: list[Place]) -> frozenset[str]:
        """Chunk ids that pass the filters and the routing to the places named."""
        allowed = self.all
        if filters.doc_type:
            allowed = allowed & self.by_type.get(filters.doc_type, set())
        if filters.year:
            allowed = allowed & self.by_year.get(filters.year, set())
        if filters.org:
            wanted = fold(filters.org)
            named = {
                cid
                for key, ids in self.by_orgs.items()
                if wanted in fold("|".join(key))
                for cid in ids
            }
            allowed = allowed & (self.of_places(gazetteer().find(filters.org)) | named)
        if places:
            allowed = allowed & self.of_places(places)
        return allowed

    def of_places(self, places: list[Place]) -> set[str]:
        out: set[str] = set()
        for place in places:
            naming = self.by_kommun.get(place.code, set()) | self.by_lan.get(place.lan, set())
            own = self.by_owner.get(place.code, set()) if place.kind == "kommun" else set()
            if own:
                out |= own | (naming & self.by_owner.get("", set()))
            else:
                out |= naming
        return out
