"""A generated municipal corpus for the scale benchmark (benchmarks/scale.py).

Every kommun of a län adopts the same län strategy: a protokollsutdrag, a tjänsteskrivelse, the
strategy itself and yearly follow-up protocols, near-identical across the län with names, dates,
§ and diarienummer changed. One planted fact per kommun (the sum it sets aside) sits in its
protokollsutdrag, in a sentence every other kommun of the län also has with another sum: the
question that names one kommun must be answered from that kommun's file alone.

Does not: touch the bundled corpus, or measure anything (scale.py does).
"""

from __future__ import annotations

import json
import math
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "assistant" / "language" / "data" / "gazetteer.json"
THEMES = ("välfärd och folkhälsa", "nära vård", "kompetensförsörjning", "psykisk hälsa")
PEOPLE = ("Anna Berg", "Lars Holm", "Karin Ek", "Per Lind", "Eva Sjö", "Jonas Falk", "Sara Nyberg")
KINDS = ("protokoll", "tjansteskrivelse", "strategi", "missiv")


@dataclass(frozen=True)
class Planted:
    kommun: str  # official name, as the question says it
    slug: str  # every file of the kommun starts with it
    document: str  # the file that holds the fact
    fact: str  # the text the answer must hold
    question: str


def generate(
    target: Path, documents: int, sections: int = 0, templates: bool = False
) -> list[Planted]:
    """Write about ``documents`` files into ``target``; return the planted facts. ``sections``
    more sections per file (the kommun's own follow-up notes, text of its own) make the files
    longer: 12 bring 3,000 files to about 50k chunks, as the issue's corpus had. ``templates``
    makes the kommuner share sentence templates but not whole sections (issue #22): every
    paragraph's sentences come in a kommun's own order with a sentence naming the kommun, so no
    section is a copy of another kommun's."""
    data = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    lan = {entry["code"]: entry for entry in data["lan"]}
    kommuner = sorted(data["kommuner"], key=lambda k: (k["lan"], k["code"]))
    per_kommun = max(1, math.ceil(documents / len(kommuner)))
    chosen = kommuner[: max(1, documents // per_kommun)]
    target.mkdir(parents=True, exist_ok=True)
    planted: list[Planted] = []
    for n, kommun in enumerate(chosen):
        region = lan[kommun["lan"]]
        slug = f"{_slug(kommun['name'])}-{kommun['code']}"  # Håbo and Habo are both "habo"
        for kind_no in range(per_kommun):
            kind = KINDS[kind_no] if kind_no < len(KINDS) else f"uppfoljning-{2021 + kind_no}"
            name = f"{slug}-{kind}.txt"
            text = _document(kind, kind_no, kommun, region, n)
            text += "".join(_appendix(kommun, kind, k) for k in range(sections))
            if templates:
                text = _own_sections(text, kommun, kind_no)
            (target / name).write_text(text, encoding="utf-8")
        planted.append(
            Planted(
                kommun=kommun["official"],
                slug=slug,
                document=f"{slug}-protokoll.txt",
                fact=_amount(kommun["code"]),
                question=f"Hur mycket avsätter {kommun['official']} för genomförandet av strategin?",
            )
        )
    return planted


def pages(folder: Path) -> float:
    """Pages of text, counting 3,000 characters as a page (the files are plain text)."""
    return sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt")) / 3000


_OWN = (
    "I {name} följs detta upp av {person}.",
    "För {name} gäller det från {year}.",
    "{name} redovisar det i årsredovisningen {year}.",
    "Frågan har beretts i {name} av {person}.",
)


def _own_sections(text: str, kommun: dict, kind_no: int) -> str:
    """The same sentence templates, but every paragraph of two or more sentences in the
    kommun's own order and with one sentence of its own (its name, a person, a year)."""
    rng = random.Random(f"{kommun['code']}-{kind_no}")
    paragraphs = text.split("\n\n")
    for n, para in enumerate(paragraphs):
        sentences = re.split(r"(?<=[.!?])\s+", para.strip())
        numbered = re.match(r"\d+\. ", para.strip())  # a decision's numbered point stays whole
        if len(sentences) < 2 or numbered or "avsätter" in para:  # so does the planted fact
            continue
        rng.shuffle(sentences)
        own = rng.choice(_OWN).format(
            name=kommun["name"], person=rng.choice(PEOPLE), year=2020 + rng.randrange(8)
        )
        sentences.insert(rng.randrange(len(sentences) + 1), own)
        paragraphs[n] = " ".join(sentences)
    return "\n\n".join(paragraphs)


def _slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "-".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


def _amount(code: str) -> str:
    return f"{(int(code) * 7919) % 900 + 100} 000 kronor"


def _theme(region: dict) -> str:
    return THEMES[int(region["code"]) % len(THEMES)]


def _document(kind: str, kind_no: int, kommun: dict, region: dict, n: int) -> str:
    org, theme, short = kommun["official"], _theme(region), region["short"]
    strategy = f"Strategi för {theme} i {region['name']} 2025–2028"
    day = f"2025-{(n % 9) + 2:02d}-{(n % 27) + 1:02d}"
    paragraph = 40 + n % 150
    dnr = f"KS {2024 + kind_no % 2}/{100 + n}"
    person = PEOPLE[(n + kind_no) % len(PEOPLE)]
    if kind == "protokoll":
        return _protokoll(org, strategy, theme, day, paragraph, dnr, person, kommun["code"], short)
    if kind == "tjansteskrivelse":
        return _tjanst(org, strategy, theme, day, dnr, person, short)
    if kind == "strategi":
        return _strategi(org, strategy, theme, region)
    if kind == "missiv":
        return _missiv(org, strategy, region, day)
    return _uppfoljning(org, strategy, theme, day, paragraph + kind_no, dnr, kind_no)


_TOPICS = (
    ("bemanning", "rekrytering av undersköterskor", "introduktion av nyanställda"),
    ("digitala tjänster", "trygghetslarm", "e-tjänster för anhöriga"),
    ("förebyggande insatser", "fallprevention", "träffpunkter för äldre"),
    ("samverkan med regionen", "samordnad individuell plan", "utskrivning från slutenvård"),
    ("uppföljning", "brukarundersökningen", "nyckeltal för hemtjänsten"),
)


def _appendix(kommun: dict, kind: str, k: int) -> str:
    """One more section of a kommun's file: text of its own (its name, numbers), so it is neither
    a duplicate nor embedded from another kommun's cache."""
    area, first, second = _TOPICS[k % len(_TOPICS)]
    code = int(kommun["code"])
    share = 40 + (code * (k + 3)) % 55
    count = 3 + (code + k * 7) % 40
    return (
        f"\nUppföljning av {area} {k + 1} ({kind})\n\n"
        f"{kommun['official']} redovisar arbetet med {first} under period {k + 1}. "
        f"Andelen verksamheter som har infört arbetssättet är {share} procent, och {count} "
        f"medarbetare har deltagit i utbildning om {second}. Förvaltningen bedömer att arbetet "
        f"med {area} behöver fortsätta i {kommun['name']} och återkommer med en ny redovisning "
        f"efter period {k + 2}.\n"
    )


def _protokoll(org, strategy, theme, day, paragraph, dnr, person, code, short) -> str:  # type: ignore[no-untyped-def]
    return f"""Protokollsutdrag
Kommunstyrelsen, {org}
Sammanträdesdatum {day}

§ {paragraph}

Diarienummer {dnr}

{strategy}

Kommunstyrelsen beslutar att:

1. anta {strategy.lower()[0]}{strategy[1:]} för {org}.

2. uppdra åt kommundirektören att ta fram en handlingsplan för {theme}.

Beskrivning av ärendet

Region {short} och länets kommuner har tagit fram en gemensam strategi för {theme}. Strategin
beskriver mål, fokusområden och hur uppföljning ska ske. Varje kommun beslutar själv om
strategin och om hur arbetet ska finansieras.

Ekonomisk bedömning

{org} avsätter {_amount(code)} för genomförandet av strategin under 2025. Kostnaden ryms inom
kommunstyrelsens budgetram.

Beslutsgång

Ordföranden frågar om kommunstyrelsen kan besluta enligt förslaget och finner så.

Beslutet skickas till:

Region {short}
Socialnämnden i {org}

Justerare: {person}
"""


def _tjanst(org, strategy, theme, day, dnr, person, short) -> str:  # type: ignore[no-untyped-def]
    return f"""Tjänsteskrivelse
Kommunledningsförvaltningen, {org}
Datum {day}
Diarienummer {dnr}
Handläggare: {person}

{strategy}

Förslag till beslut

Kommunstyrelsen föreslås besluta att anta strategin.

Ärendebeskrivning

Strategin har tagits fram av Region {short} tillsammans med kommunerna i länet. Arbetet har
skett i det regionala samrådet och i nätverket för {theme}. Strategin gäller 2025–2028.

Under 2024 genomfördes dialoger med förvaltningar, brukarorganisationer och civilsamhälle.
Synpunkterna har arbetats in i den slutliga versionen.

Konsekvenser

Strategin ger stöd för prioriteringar inom {theme} och för samverkan med regionen. Den innebär
inga nya åtaganden utöver dem som beslutas i verksamhetsplanen.

Beslutsunderlag

Missiv från Region {short}
{strategy}
"""


def _strategi(org, strategy, theme, region) -> str:  # type: ignore[no-untyped-def]
    areas = ("Förebyggande arbete", "Tidiga insatser", "Kompetens och bemanning", "Digitalisering")
    parts = [
        f"{strategy}\n\nAntagen av {org}\n",
        "Inledning\n\n"
        f"Strategin är gemensam för {region['region']} och kommunerna i {region['name']}. "
        f"Den beskriver hur huvudmännen tillsammans ska utveckla arbetet med {theme}.\n",
        "Målbild\n\nInvånarna får ett samordnat stöd nära sitt hem, och verksamheterna arbetar "
        "utifrån gemensamma mål och en gemensam bild av behoven.\n",
        "Fokusområden\n",
    ]
    for letter, area in zip("ABCD", areas, strict=True):
        parts.append(
            f"{letter}. {area}\n\n"
            f"Inom området {area.lower()} ska huvudmännen samordna sina insatser och följa upp "
            f"resultaten varje år. {letter}1 Gemensamma arbetssätt tas fram senast 2026. "
            f"{letter}2 Uppföljning redovisas för det regionala samrådet.\n"
        )
    parts.append(
        "Uppföljning\n\nStrategin följs upp årligen av det regionala samrådet, som rapporterar "
        "till respektive huvudman.\n"
    )
    return "\n".join(parts)


def _missiv(org, strategy, region, day) -> str:  # type: ignore[no-untyped-def]
    return f"""{day}

Till {org}

{strategy}

{region["region"]} överlämnar härmed strategin till kommunerna för beslut. Förslag till
hantering: att respektive kommun antar strategin och meddelar regionen sitt beslut senast
tre månader efter detta missiv.

Med vänlig hälsning
Länsledning Välfärd, {region["name"]}
"""


def _uppfoljning(org, strategy, theme, day, paragraph, dnr, kind_no) -> str:  # type: ignore[no-untyped-def]
    year = 2021 + kind_no
    return f"""Protokollsutdrag
Kommunstyrelsen, {org}
Sammanträdesdatum {year}-{day[5:]}

§ {paragraph}

Diarienummer {dnr}

Uppföljning {year} av {strategy.lower()}

Kommunstyrelsen beslutar att:

1. lägga uppföljningen för {year} till handlingarna.

Beskrivning av ärendet

Uppföljningen visar att arbetet med {theme} går enligt plan. Under {year} har
kommunen deltagit i de regionala nätverken och genomfört de aktiviteter som planerats.

Beslutet skickas till:

Kommunledningsförvaltningen
"""
