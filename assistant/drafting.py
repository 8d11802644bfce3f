"""Decision drafts (tjänsteskrivelse with "Förslag till beslut") from the corpus' own wording.

The organisation is resolved with the gazetteer; the strategy its län is asked to adopt is found by
scanning the indexed chunks for adoption att-satser ("Att anta …", "Att fastställa …"); each drafted
sentence that comes from or rests on a source carries a verified citation whose quote is the source
span verbatim. What the corpus cannot know is a visible placeholder, never invented.

Does not: write new policy wording, pick a deciding body the sources do not name, or turn errors
into messages (cli.py / ui.py do that).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.documents import Chunk, Citation, DraftResult, DraftSection
from assistant.errors import AssistantError, StrategyNotFound, UnknownOrganisation
from assistant.metadata import gazetteer
from assistant.retrieval import analyze
from assistant.textutil import find_dates, fold, normalize_ws
from assistant.verify import CitationVerifier

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from assistant.service import Assistant

PLACEHOLDERS = ("[nämnd]", "[datum]", "[paragraf]", "[diarienummer]", "[handläggare]")
MAX_BACKGROUND = 10  # sentences under "Beskrivning av ärendet"; a tjänsteskrivelse stays short

_BULLET = re.compile(r"^(?:[-–•*▪]\s*|\d+\.\s+)")
_ADOPT = re.compile(r"^(?:att\s+)?(anta|fastställa)\s+(.+)$", re.I)
_NAME_END = re.compile(r",|\.(?:\s|$)| som | för den ")
_ATT_SATS = re.compile(r"^(?:att|anta|fastställa)\b", re.I)
_TEMPLATE = re.compile(r"\bX kommun\b")
_REPEAL = re.compile(r"upphävande-?\s?att-?sats.*?beslutade om (.+?)\)?$", re.I)
_HANDOVER = re.compile(r"överlämna|skickar nu rekommendation", re.I)
_FORUM = re.compile(r"fullmäktigenivå|vilket forum", re.I)
_LEAD = re.compile(r"föreslår (\S+) att besluta|^(\S+) beslutar att", re.I)
_FEEDBACK = re.compile(r"återkoppling\b.*\bskickas\b", re.I)
_DATED = re.compile(r"\b(beslutade|godkände|daterad)\b", re.I)
_PERSON = re.compile(r"^(?!Region )[A-ZÅÄÖ][a-zåäöé]+(?:[- ][A-ZÅÄÖ][a-zåäöé]+)+$")
_BACKGROUND = ("underlag för beslut", "sammanfattning", "beskrivning av ärendet", "bakgrund")
_NOUNS = {"anta": "Antagande", "fastställa": "Fastställande"}


# --- the organisation -------------------------------------------------------------------------
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


# --- passages: a chunk's citable spans --------------------------------------------------------
@dataclass(frozen=True)
class Passage:
    """One citable span of a chunk (sentence or list item) with its place in the file."""

    chunk: Chunk
    text: str
    first: int
    last: int
    page: int | None

    def display(self) -> str:
        """The span as a draft shows it: no bullet, no emphasis marks, one space.

        Example: "• Att fastställa Färdplan  Nära vård" -> "Att fastställa Färdplan Nära vård"
        """
        return normalize_ws(_BULLET.sub("", self.text.strip()).replace("*", ""))

    def citation(self, n: int) -> Citation:
        c = self.chunk
        return Citation(
            n, c.document, c.title, c.section, self.page, (self.first, self.last), self.text
        )


def passages(chunk: Chunk) -> list[Passage]:
    return [Passage(chunk, text, first, last, page) for text, first, last, page in chunk.spans]


def _list_items(chunk: Chunk) -> list[Passage]:
    """The items of a recipients or underlag list, stopping at the signature that often follows.

    Example: ["Region Uppsala, för kännedom", "Johan Kaarme", …] -> ["Region Uppsala, för kännedom"]
    """
    items = []
    for passage in passages(chunk):
        if _PERSON.match(passage.display()):
            break
        if re.search(r"[A-Za-zÅÄÖåäö]", passage.text):
            items.append(passage)
    return items


# --- the strategy -----------------------------------------------------------------------------
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
                found.setdefault((chunk.metadata.get("lan", ""), fold(name)), []).append(passage)
    return [_strategy(lan, decisions, canonical) for (lan, _), decisions in found.items()]


def _adopted_name(passage: Passage) -> str:
    """Example: "1. anta strategi för samverkan HSVO 2024–2026, daterad 2024-03-15." -> "strategi för samverkan HSVO 2024–2026" """
    match = _ADOPT.match(passage.display())
    return _NAME_END.split(match.group(2))[0].strip() if match else ""


def _strategy(lan: str, decisions: list[Passage], canonical: list[Chunk]) -> Strategy:
    files = {p.chunk.document for p in decisions}
    chunks = tuple(c for c in canonical if c.document in files and c.metadata.get("lan", "") == lan)
    verb = _ADOPT.match(decisions[0].display()).group(1).lower()  # type: ignore[union-attr]
    return Strategy(
        _adopted_name(decisions[0]), verb, lan, gazetteer().lan_name(lan), tuple(decisions), chunks
    )


def _terms(text: str) -> set[str]:
    return {fold(t) for t in analyze(text)}


def match_score(query: str, strategy: Strategy) -> float:
    """Share of the query's words found in the strategy's name and document titles (0..1).

    A query word may be part of a compound ("välfärd" in "välfärdsstrategin"); a year that the
    strategy does not carry rules it out, so "HSVO 2021–2023" is not "HSVO 2024–2026".
    Example: match_score("Färdplan Nära vård", vasterbotten) -> 1.0
    """
    wanted = _terms(query)
    vocab = _terms(" ".join([strategy.name, *dict.fromkeys(c.title for c in strategy.chunks)]))
    if not wanted or any(t.isdigit() and t not in vocab for t in wanted):
        return 0.0
    hits = [t for t in wanted if t in vocab or (len(t) >= 4 and any(t in v for v in vocab))]
    return len(hits) / len(wanted)


def find_strategy(assistant: Assistant, query: str, org: Organisation) -> Strategy:
    """The strategy of the organisation's län that the query names, or StrategyNotFound.

    Example: find_strategy(a, "Välfärdsstrategin", resolve_organisation("Ljusdal")).lan -> "21"
    """
    strategies = find_strategies(assistant.snapshot.chunks)
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


# --- citations --------------------------------------------------------------------------------
class CitationList:
    """Numbers verified citations in order of first use; a quote that fails verification gets none.

    Example: cites.mark(passage) -> "[1]" (or None when the quote is not where it says it is)
    """

    def __init__(self, verifier: CitationVerifier) -> None:
        self.verifier = verifier
        self.items: list[Citation] = []

    def mark(self, passage: Passage) -> str | None:
        for c in self.items:
            if (c.document, c.lines, c.quote) == (
                passage.chunk.document,
                (passage.first, passage.last),
                passage.text,
            ):
                return f"[{c.n}]"
        citation = passage.citation(len(self.items) + 1)
        if not self.verifier.verify(citation):
            return None
        self.items.append(citation)
        return f"[{citation.n}]"

    def cite(self, text: str, passage: Passage) -> str | None:
        """Example: cite("Inga ekonomiska konsekvenser.", p) -> "Inga ekonomiska konsekvenser. [3]" """
        marker = self.mark(passage)
        return f"{text} {marker}" if marker else None


# --- the draft --------------------------------------------------------------------------------
@dataclass
class _Draft:
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


def draft_decision(assistant: Assistant, org: str, strategy: str, body: str = "") -> DraftResult:
    """A tjänsteskrivelse with Förslag till beslut for an organisation adopting a shared strategy.

    Example: draft_decision(a, "Ljusdals kommun", "Välfärdsstrategin", "kommunfullmäktige").sections[1].text
    -> "Kommunfullmäktige föreslås besluta\\n\\n1. Att anta Välfärdsstrategin för den samverkan
    Ljusdals kommun genomför inom ramen för Nätverk Välfärd [1]\\n2. …"
    """
    organisation = resolve_organisation(org)
    chosen = find_strategy(assistant, strategy, organisation)
    draft = _Draft(
        organisation, chosen, CitationList(CitationVerifier(assistant.settings.corpus_dir))
    )
    draft.body, draft.body_source = deciding_body(draft, body)
    builders = (_header, _proposal, _description, _economy, _basis, _recipients)
    sections = tuple(s for s in (build(draft) for build in builders) if s is not None)
    title = f"{_NOUNS.get(chosen.verb, 'Beslut om')} av {chosen.name} – {organisation.official}"
    text = "\n\n".join([title, *(f"{s.heading}\n\n{s.text}" for s in sections)])
    return DraftResult(title, text, sections, tuple(draft.cites.items), placeholders_in(text))


def placeholders_in(text: str) -> tuple[str, ...]:
    """Example: placeholders_in("[nämnd] den [datum], [nämnd]") -> ("[nämnd]", "[datum]")"""
    found = sorted((text.find(p), p) for p in PLACEHOLDERS if p in text)
    return tuple(p for _, p in found)


def decision_chunk(strategy: Strategy, org: Organisation) -> Chunk:
    """Whose wording to follow: the organisation's own, else a template naming "X kommun", else the first.

    Example: decision_chunk(valfard, ljusdal).document -> "gavleborg-valfardsstrategin-fortsatt-process.txt"
    """
    chunks = _unique_chunks(p.chunk for p in strategy.decisions)
    own = [c for c in chunks if any(org.official in p.text for p in passages(c))]
    template = [c for c in chunks if any(_TEMPLATE.search(p.text) for p in passages(c))]
    return (own or template or chunks)[0]


def _unique_chunks(chunks: Iterable[Chunk]) -> list[Chunk]:
    # subtle: Chunk holds a dict, so it cannot be a set member; its id is unique.
    return list({c.id: c for c in chunks}.values())


def deciding_body(draft: _Draft, given: str) -> tuple[str, Passage | None]:
    """The body that decides: as given; else as the organisation's own document says; else
    fullmäktige when a source recommends that level; else the placeholder [nämnd].

    Example: deciding_body(skelleftea_draft, "") -> ("kommunfullmäktige", <"… på fullmäktigenivå.">)
    """
    if normalize_ws(given):
        return normalize_ws(given), None
    chunk = decision_chunk(draft.strategy, draft.org)
    if chunk.metadata.get("org") == draft.org.official:
        for passage in passages(chunk):
            lead = _LEAD.search(passage.display())
            if lead:
                return lead.group(1) or lead.group(2), passage
    forum = [p for p in draft.matching(_FORUM) if "fullmäktige" in p.text]
    return (draft.org.assembly, forum[0]) if forum else ("[nämnd]", None)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    """A list item shown as prose ends like a sentence.

    Example: "Varje huvudman beslutar om vilket forum som ska fatta beslut" -> "… fatta beslut."
    """
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def _header(draft: _Draft) -> DraftSection:
    lines = [
        "Diarienummer: [diarienummer]",
        "Datum: [datum]",
        "Handläggare: [handläggare]",
        f"Beslutande organ: {_capital(draft.body)} {draft.org.locative}",
    ]
    return DraftSection("Ärendeuppgifter", "\n".join(lines))


def att_satser(passage: Passage, org: Organisation) -> list[str]:
    """The att-satser of one source item, with "X kommun" filled in.

    Example: "• Att anta Välfärdsstrategin för den samverkan X kommun genomför …, att den därmed ersätter …"
    -> ["Att anta Välfärdsstrategin för den samverkan Ljusdals kommun genomför …", "Att den därmed ersätter …"]
    """
    text = _TEMPLATE.sub(org.official, passage.display()).rstrip(".")
    parts = re.split(r",\s+(?=att\s)", text, flags=re.I)
    return [re.sub(r"^(?:att\s+)?", "Att ", part, flags=re.I) for part in parts]


def _proposal(draft: _Draft) -> DraftSection:
    lead = f"{_capital(draft.body)} föreslås besluta"
    if draft.body_source is not None:
        lead = draft.cites.cite(lead, draft.body_source) or lead
    items: list[str] = []
    for passage in passages(decision_chunk(draft.strategy, draft.org)):
        clauses = _clauses(passage, draft.org)
        marker = draft.cites.mark(passage) if clauses else None
        items += [f"{text} {marker}" for text in clauses] if marker else []
    numbered = [f"{n}. {item}" for n, item in enumerate(items, 1)]
    return DraftSection("Förslag till beslut", lead + "\n\n" + "\n".join(numbered))


def _clauses(passage: Passage, org: Organisation) -> list[str]:
    """The att-satser a decision item gives, the optional repeal clause a source suggests, or none.

    Example: "(Ev att ta med en upphävande-attsats … beslutade om de gemensamma utgångspunkterna)"
    -> ["(Valfri) Att upphäva tidigare beslut om de gemensamma utgångspunkterna ([nämnd], [datum], [paragraf])"]
    """
    repeal = _REPEAL.search(passage.display())
    if repeal:
        return [
            f"(Valfri) Att upphäva tidigare beslut om {repeal.group(1)} ([nämnd], [datum], [paragraf])"
        ]
    return att_satser(passage, org) if _ATT_SATS.match(passage.display()) else []


def _description(draft: _Draft) -> DraftSection:
    handover = _handover(draft)
    framing = f"Ärendet gäller beslut {draft.org.locative} om att {draft.strategy.verb} {draft.strategy.name}."
    opening = [draft.cites.cite(framing, handover) or framing]
    if not _clauses(handover, draft.org):  # the hand-over itself, unless it is the att-sats again
        opening.append(draft.cites.cite(_sentence(handover.display()), handover) or "")
    paragraphs = [" ".join(s for s in opening if s)]
    forum = draft.matching(_FORUM)
    skip = [handover, *forum]
    for group in _background(draft, skip):
        cited = [draft.cites.cite(_sentence(p.display()), p) for p in group]
        paragraphs.append(" ".join(c for c in cited if c))
    if draft.org.kind == "kommun":  # the source asks for a kommunspecifik förklaring
        paragraphs += [
            c for c in (_local_explanation(draft, p) for p in draft.matching(_TEMPLATE)) if c
        ]
    paragraphs += [c for c in (draft.cites.cite(_sentence(p.display()), p) for p in forum[:1]) if c]
    return DraftSection("Beskrivning av ärendet", "\n\n".join(p for p in paragraphs if p))


def _handover(draft: _Draft) -> Passage:
    """The passage saying the strategy was handed to the huvudmän for decision; for a region that
    is not among those addressed ("till respektive kommun"), its own decision wording instead.

    Example: HSVO -> "Den 15 mars 2024 godkände det regionala samrådet HSVO strategin och beslutade att överlämna den …"
    """
    addressed = [
        p
        for p in draft.matching(_HANDOVER)
        if draft.org.kind == "kommun" or "respektive kommun" not in p.text
    ]
    own = [
        p
        for p in draft.strategy.decisions
        if p.chunk.id == decision_chunk(draft.strategy, draft.org).id
    ]
    return (addressed + own)[0]


def _background(draft: _Draft, skip: list[Passage]) -> list[list[Passage]]:
    """Background sentences grouped by source section: the decision's own document first, then by
    how central the heading is, near-duplicates dropped, at most MAX_BACKGROUND in all.

    Example: Västerbotten -> [[Sammanfattning sentences…], [Bakgrund sentences…]]
    """
    own = decision_chunk(draft.strategy, draft.org).document
    chunks = [c for c in draft.strategy.chunks if _background_rank(c) < len(_BACKGROUND)]
    chunks.sort(key=lambda c: (c.document != own, _background_rank(c)))
    seen = [_terms(p.text) for p in skip]
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

    Example: "Utifrån strategin ska Länsledning arbeta fram årliga handlingsplaner för samverkan."
    is not novel after "Baserat på Välfärdsstrategin ska Länsledning ta fram årliga handlingsplaner …"
    """
    terms = _terms(passage.text)
    for other in seen:
        if terms and other and len(terms & other) / min(len(terms), len(other)) >= 0.7:
            return False
    seen.append(terms)
    return True


def _local_explanation(draft: _Draft, passage: Passage) -> str | None:
    """The municipality-specific sentence a source asks for, with names the corpus cannot know left open.

    Example: "… exempelvis ”i X kommun samverkar ordförande för följande nämnder …: y-nämnd, z-nämnd” osv"
    -> "I Ljusdals kommun samverkar ordförande för följande nämnder …: [nämnd], [nämnd]. [2]"
    """
    quoted = re.search(r"[”“\"](.+?)[”“\"]", passage.display())
    if quoted is None or _ATT_SATS.match(passage.display()):
        return None
    text = _TEMPLATE.sub(draft.org.official, quoted.group(1))
    text = _capital(re.sub(r"\b[a-zåäö]-nämnd\b", "[nämnd]", text).rstrip(". ")) + "."
    return draft.cites.cite(text, passage)


def _economy(draft: _Draft) -> DraftSection | None:
    cited = [draft.cites.cite(p.display(), p) for p in draft.passages("ekonomisk")]
    text = " ".join(c for c in cited if c)
    return DraftSection("Ekonomisk bedömning", text) if text else None


def _basis(draft: _Draft) -> DraftSection:
    """Beslutsunderlag: this tjänsteskrivelse, the dated items the sources list, and the source
    documents themselves with their dates ([datum] where a document states none).

    Example: HSVO -> ["- Tjänsteskrivelse, daterad [datum]", "- Strategi för samverkan HSVO, 2024–2026, daterad 2024-03-15 [2]", …]
    """
    lines = ["Tjänsteskrivelse, daterad [datum]"]
    for chunk in _unique_chunks(p.chunk for p in draft.strategy.decisions):
        lines += _documents_listed(draft, chunk) or [_document_itself(draft, chunk)]
    if not any(_is_strategy_document(line, draft.strategy.name) for line in lines):
        lines.append(f"{_capital(draft.strategy.name)}, daterad [datum]")
    return DraftSection("Beslutsunderlag", "\n".join(f"- {line}" for line in dict.fromkeys(lines)))


def _subdocument(draft: _Draft, chunk: Chunk) -> list[Chunk]:
    return [
        c for c in draft.strategy.chunks if c.document == chunk.document and c.title == chunk.title
    ]


def _documents_listed(draft: _Draft, chunk: Chunk) -> list[str]:
    """The dated items of the sub-document's own Beslutsunderlag, except its tjänsteskrivelse."""
    items = [
        p
        for c in _subdocument(draft, chunk)
        if "beslutsunderlag" in c.heading_path[-1].lower()
        for p in _list_items(c)
    ]
    keep = [
        p
        for p in items
        if re.search(r"\d{4}", p.text) and not p.display().lower().startswith("tjänsteskrivelse")
    ]
    return [c for c in (draft.cites.cite(p.display(), p) for p in keep) if c]


def _document_itself(draft: _Draft, chunk: Chunk) -> str:
    """Example: "Rekommendation till beslut om Färdplan Nära vård 2030 i Västerbotten, beslutad 2023-03-24 [4]" """
    for passage in (p for c in _subdocument(draft, chunk) for p in passages(c)):
        dates = find_dates(passage.text) if _DATED.search(passage.text) else []
        cited = (
            draft.cites.cite(f"{chunk.title}, beslutad {dates[0].isoformat()}", passage)
            if dates
            else None
        )
        if cited:
            return cited
    line = f"{chunk.title}, daterad [datum]"
    titled = [
        p for c in _subdocument(draft, chunk) for p in passages(c) if p.display() in chunk.title
    ]
    titled.sort(key=lambda p: -len(p.display()))
    return (draft.cites.cite(line, titled[0]) if titled else None) or line


def _is_strategy_document(line: str, name: str) -> bool:
    """True when an underlag line is the strategy itself, not a letter about it.

    Example: ("Valfärdsstrategi 220303 slutversion", "Välfärdsstrategin") -> True;
    ("Rekommendation till beslut om Färdplan Nära vård 2030 …", "Färdplan Nära vård 2030 …") -> False
    """
    listed, wanted = [fold(t) for t in analyze(line)], [fold(t) for t in analyze(name)]
    return bool(listed and wanted) and listed[0] == wanted[0]


def _recipients(draft: _Draft) -> DraftSection:
    """Beslutet skickas till: the organisation's own list where it has one, the region where another
    huvudman sent its decision there, whoever asks for feedback; [nämnd] for the internal recipients.

    Example: Skellefteå -> ["- Återkoppling av fattat beslut skickas senast 2023-08-31 till katarina.a.lindahl@… [5]", "- [nämnd]"]
    """
    org, found = draft.org, []
    for chunk in draft.strategy.chunks:
        if re.search(r"skickas till|expedieras", chunk.heading_path[-1], re.I):
            own = chunk.metadata.get("org") == org.official
            found += [
                p
                for p in _list_items(chunk)
                if own or (org.kind == "kommun" and org.region in p.text)
            ]
    found += draft.matching(_FEEDBACK)
    lines = [c for c in (draft.cites.cite(p.display(), p) for p in found) if c]
    if not lines and org.kind == "kommun":
        sender = [p for p in draft.matching(_HANDOVER) if org.region in p.text]
        lines += [c for c in (draft.cites.cite(org.region, p) for p in sender[:1]) if c]
    lines.append("[nämnd]")
    return DraftSection(
        "Beslutet skickas till", "\n".join(f"- {line}" for line in dict.fromkeys(lines))
    )


# --- rendering --------------------------------------------------------------------------------
def source_line(citation: Citation) -> str:
    """Example: "[2] vasterbotten-….txt, Rekommendation till beslut, rad 21–21: ”- Att fastställa …”" """
    page = f", s. {citation.page}" if citation.page is not None else ""
    first, last = citation.lines
    return (
        f"[{citation.n}] {citation.document}, {citation.section}{page}, "
        f"rad {first}–{last}: ”{normalize_ws(citation.quote)}”"
    )


def to_markdown(draft: DraftResult) -> str:
    """The draft as Markdown: title, sections, numbered att-satser, Källor, placeholders to fill in.

    Example: to_markdown(d).splitlines()[0] -> "# Antagande av Välfärdsstrategin – Ljusdals kommun"
    """
    parts = [f"# {draft.title}"]
    for section in draft.sections:
        parts += [f"## {section.heading}", _markdown_block(section.text)]
    parts += ["## Källor", "\n".join(f"- {source_line(c)}" for c in draft.citations)]
    if draft.placeholders:
        parts += [
            "## Att fylla i",
            "Platshållare som ska ersättas: " + ", ".join(draft.placeholders),
        ]
    return "\n\n".join(parts) + "\n"


def _markdown_block(text: str) -> str:
    # subtle: lines of a plain paragraph need a hard break ("  ") or Markdown joins them.
    blocks = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        listed = all(re.match(r"(?:\d+\.|-) ", line) for line in lines)
        blocks.append("\n".join(lines) if listed else "  \n".join(lines))
    return "\n\n".join(blocks)


def to_docx(draft: DraftResult, path: Path | str) -> None:
    """Write the draft as .docx: Word headings, a numbered list for the att-satser, a Källor list.

    Example: to_docx(d, "utkast.docx") -> a file LibreOffice and Word open without repair
    """
    from docx import Document

    document = Document()
    document.core_properties.title = draft.title
    document.core_properties.language = "sv-SE"
    document.add_heading(draft.title, level=0)
    for section in draft.sections:
        document.add_heading(section.heading, level=1)
        for line in section.text.split("\n"):
            _docx_line(document, line)
    document.add_heading("Källor", level=1)
    for citation in draft.citations:
        document.add_paragraph(source_line(citation))
    if draft.placeholders:
        document.add_heading("Att fylla i", level=1)
        document.add_paragraph("Platshållare som ska ersättas: " + ", ".join(draft.placeholders))
    document.save(str(path))


def _docx_line(document: DocxDocument, line: str) -> None:
    numbered, bullet = re.match(r"\d+\. ", line), line.startswith("- ")
    if numbered:
        document.add_paragraph(line[numbered.end() :], style="List Number")
    elif bullet:
        document.add_paragraph(line[2:], style="List Bullet")
    elif line.strip():
        document.add_paragraph(line)
