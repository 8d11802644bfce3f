"""assistant/drafting/: decision drafts end to end, against a real index built from the repo corpus.

Goldens (tests/golden/drafts/*.json) pin the draft JSON for organisations in all three regions;
regenerate them with UPDATE_GOLDEN=1 after a deliberate change and read the diff before committing.
Organisation names (no index) are tested in test_drafting_organisation.py, Markdown and .docx in
test_drafting_render.py.
"""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import pytest

from assistant import drafting
from assistant.answer.verify import CitationVerifier
from assistant.cli.commands import main
from assistant.config import Settings
from assistant.errors import StrategyNotFound
from assistant.language.text import normalize_for_match
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "tests" / "golden" / "drafts"
GOLD_CASES = ROOT / "evals" / "gold_drafting" / "drafting.jsonl"
PACKAGE = ROOT / "assistant" / "drafting"

# The package's modules in the direction data flows: each may import only those before it.
LAYERS = [
    "organisation",
    "passages",
    "strategies",
    "citations",
    "wording",
    "context",
    "proposal",
    "description",
    "basis",
    "recipients",
    "compose",
    "render",
]

# (golden file, organisation as typed, strategy as typed, body)
PAIRS = [
    ("ljusdal-valfardsstrategin", "Ljusdals kommun", "Välfärdsstrategin", "kommunfullmäktige"),
    ("region-gavleborg-valfardsstrategin", "Region Gävleborg", "välfärdsstrategi", ""),
    ("skelleftea-fardplan-nara-vard", "Skellefteå kommun", "Färdplan Nära vård", ""),
    ("enkoping-hsvo", "Enköpings kommun", "Strategi för samverkan HSVO 2024–2026", ""),
    ("region-uppsala-hsvo", "Region Uppsala", "HSVO", ""),
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    a = Assistant(
        Settings(corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp("drafting") / "index")
    )
    a.ingest()
    return a


@pytest.fixture(scope="module")
def drafts(assistant: Assistant) -> dict[str, drafting.DraftResult]:
    return {slug: drafting.draft_decision(assistant, org, s, body) for slug, org, s, body in PAIRS}


def _section(draft: drafting.DraftResult, heading: str) -> str:
    return next(s.text for s in draft.sections if s.heading == heading)


# --- the package's shape ---------------------------------------------------------------------
def _drafting_imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    return {
        node.module.removeprefix("assistant.drafting").lstrip(".") or "assistant.drafting"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith("assistant.drafting")
    }


def test_drafting_modules_import_only_the_modules_before_them() -> None:
    assert sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__") == sorted(LAYERS)
    for i, module in enumerate(LAYERS):
        higher = _drafting_imports(module) - set(LAYERS[:i])
        assert not higher, f"{module} imports {sorted(higher)}, which come after it"
    assert not _drafting_imports("render")  # render reads only the DraftResult


def test_package_exports_the_api_cli_and_tests_use() -> None:
    assert set(drafting.__all__) == {
        "PLACEHOLDERS",
        "DraftResult",
        "draft_decision",
        "resolve_organisation",
        "to_docx",
        "to_markdown",
    }


# --- goldens ----------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(("slug", "org", "strategy", "body"), PAIRS)
def test_draft_matches_golden(
    assistant: Assistant, slug: str, org: str, strategy: str, body: str
) -> None:
    got = drafting.draft_decision(assistant, org, strategy, body).to_json()
    path = GOLDEN / f"{slug}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert path.exists(), (
        f"no golden {path.name}: run UPDATE_GOLDEN=1 python -m pytest tests/test_drafting.py"
    )
    assert got == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_typed_variant_drafts_the_same_as_the_official_name(assistant: Assistant) -> None:
    typed = drafting.draft_decision(
        assistant, "Ljusdal kommun", "valfardsstrategin", "kommunfullmäktige"
    )
    official = drafting.draft_decision(
        assistant, "Ljusdals kommun", "Välfärdsstrategin", "kommunfullmäktige"
    )
    assert typed.to_json() == official.to_json()


# --- the wording ------------------------------------------------------------------------------
@pytest.mark.slow
def test_att_satser_are_the_corpus_wording_with_the_organisation_filled_in(drafts: dict) -> None:
    proposal = _section(drafts["ljusdal-valfardsstrategin"], "Förslag till beslut")
    assert proposal.startswith("Kommunfullmäktige föreslås besluta")
    assert (
        "1. Att anta Välfärdsstrategin för den samverkan Ljusdals kommun genomför inom ramen för Nätverk Välfärd [1]"
        in proposal
    )
    assert (
        "2. Att den därmed ersätter tidigare överenskommelser rörande länssamverkan [1]" in proposal
    )
    assert (
        "3. (Valfri) Att upphäva tidigare beslut om de gemensamma utgångspunkterna ([nämnd], [datum], [paragraf])"
        in proposal
    )
    first = drafts["ljusdal-valfardsstrategin"].citations[0]
    assert "X kommun" in first.quote  # the quote stays the verbatim source span ...
    assert all("X kommun" not in d.text for d in drafts.values())  # ... the draft never shows it
    assert "1. Att fastställa Färdplan Nära vård 2030 i Västerbotten" in _section(
        drafts["skelleftea-fardplan-nara-vard"], "Förslag till beslut"
    )
    assert "1. Att anta strategi för samverkan HSVO 2024–2026, daterad 2024-03-15" in _section(
        drafts["enkoping-hsvo"], "Förslag till beslut"
    )


@pytest.mark.slow
def test_deciding_body_comes_from_the_user_the_sources_or_a_placeholder(drafts: dict) -> None:
    starts = {slug: _section(d, "Förslag till beslut").split("\n")[0] for slug, d in drafts.items()}
    assert starts["ljusdal-valfardsstrategin"] == "Kommunfullmäktige föreslås besluta"  # given
    assert re.fullmatch(
        r"Kommunfullmäktige föreslås besluta \[\d+\]", starts["skelleftea-fardplan-nara-vard"]
    )  # fullmäktigenivå
    assert re.fullmatch(
        r"Kommunstyrelsen föreslås besluta \[\d+\]", starts["enkoping-hsvo"]
    )  # own document
    assert re.fullmatch(
        r"Regionfullmäktige föreslås besluta \[\d+\]", starts["region-gavleborg-valfardsstrategin"]
    )
    assert starts["region-uppsala-hsvo"] == "[nämnd] föreslås besluta"  # the sources name no body


@pytest.mark.slow
def test_economy_section_only_where_a_source_states_one(drafts: dict) -> None:
    headings = {slug: [s.heading for s in d.sections] for slug, d in drafts.items()}
    assert "Ekonomisk bedömning" in headings["enkoping-hsvo"]
    assert "Ekonomisk bedömning" not in headings["ljusdal-valfardsstrategin"]
    assert "Ekonomisk bedömning" not in headings["skelleftea-fardplan-nara-vard"]
    assert _section(drafts["enkoping-hsvo"], "Ekonomisk bedömning").startswith(
        "Inga ekonomiska konsekvenser."
    )


@pytest.mark.slow
def test_sections_in_tjansteskrivelse_order(drafts: dict) -> None:
    order = [
        "Ärendeuppgifter",
        "Förslag till beslut",
        "Beskrivning av ärendet",
        "Ekonomisk bedömning",
        "Beslutsunderlag",
        "Beslutet skickas till",
    ]
    for draft in drafts.values():
        headings = [s.heading for s in draft.sections]
        assert headings == [h for h in order if h in headings]
        assert {
            "Förslag till beslut",
            "Beskrivning av ärendet",
            "Beslutsunderlag",
            "Beslutet skickas till",
        } <= set(headings)


@pytest.mark.slow
def test_beslutsunderlag_lists_the_sources_with_dates(drafts: dict) -> None:
    hsvo = _section(drafts["enkoping-hsvo"], "Beslutsunderlag")
    assert "- Strategi för samverkan HSVO, 2024–2026, daterad 2024-03-15 [" in hsvo
    assert "- Missiv, Strategi för samverkan HSVO 2024–2026, daterad 2024-01-26 [" in hsvo
    assert "- Tjänsteskrivelse, daterad [datum]" in hsvo  # ours, not Enköping's of 2024-04-05
    vb = _section(drafts["skelleftea-fardplan-nara-vard"], "Beslutsunderlag")
    assert (
        "Rekommendation till beslut om Färdplan Nära vård 2030 i Västerbotten, beslutad 2023-03-24 ["
        in vb
    )
    assert "- Färdplan Nära vård 2030 i Västerbotten, daterad [datum]" in vb


# --- citations and placeholders ---------------------------------------------------------------
@pytest.mark.slow
def test_every_citation_verifies_and_quotes_a_span_verbatim(
    assistant: Assistant, drafts: dict
) -> None:
    verifier = CitationVerifier(CORPUS)
    spans = {
        (c.document, s.line_start, s.line_end, s.text) for c in assistant.chunks() for s in c.spans
    }
    for slug, draft in drafts.items():
        assert draft.citations, slug
        assert [c.n for c in draft.citations] == list(range(1, len(draft.citations) + 1))
        for c in draft.citations:
            assert verifier.verify(c), (slug, c)
            assert (c.document, c.lines[0], c.lines[1], c.quote) in spans, (slug, c)


@pytest.mark.slow
def test_markers_and_citations_match(drafts: dict) -> None:
    for slug, draft in drafts.items():
        used = {int(n) for n in re.findall(r"\[(\d+)\]", draft.text)}
        assert used == {c.n for c in draft.citations}, slug


@pytest.mark.slow
def test_background_sentences_carry_citations(drafts: dict) -> None:
    for slug, draft in drafts.items():
        for paragraph in _section(draft, "Beskrivning av ärendet").split("\n\n"):
            assert re.search(r"\[\d+\]$", paragraph), (slug, paragraph)


@pytest.mark.slow
def test_placeholders_are_listed_and_visible(drafts: dict) -> None:
    for slug, draft in drafts.items():
        assert draft.placeholders, slug
        assert set(draft.placeholders) <= set(drafting.PLACEHOLDERS)
        for placeholder in draft.placeholders:
            assert placeholder in draft.text
        assert {"[diarienummer]", "[handläggare]", "[datum]"} <= set(draft.placeholders)
    ljusdal = drafts["ljusdal-valfardsstrategin"]
    assert "[paragraf]" in ljusdal.placeholders  # the optional repeal clause
    assert (
        "I Ljusdals kommun samverkar ordförande för följande nämnder och styrelser inom Nätverk Välfärd: [nämnd], [nämnd]."
        in ljusdal.text
    )


# --- errors -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_unknown_strategy_names_the_value_and_the_closest_strategies(assistant: Assistant) -> None:
    with pytest.raises(StrategyNotFound) as caught:
        drafting.draft_decision(assistant, "Ljusdals kommun", "Klimatstrategin")
    message = str(caught.value)
    assert "no strategy in the corpus matches 'Klimatstrategin'" in message
    assert "for Gävleborgs län the corpus holds: Välfärdsstrategin" in message
    assert "Closest matches:" in message
    assert "Färdplan Nära vård 2030 i Västerbotten (Västerbottens län)" in message


@pytest.mark.slow
def test_strategy_of_another_region_is_refused(assistant: Assistant) -> None:
    with pytest.raises(StrategyNotFound) as caught:
        drafting.draft_decision(assistant, "Ljusdal", "Färdplan Nära vård 2030")
    message = str(caught.value)
    assert (
        "'Färdplan Nära vård 2030' matches Färdplan Nära vård 2030 i Västerbotten (Västerbottens län)"
        in message
    )
    assert "Ljusdals kommun is in Gävleborgs län" in message
    assert "Välfärdsstrategin" in message


@pytest.mark.slow
def test_region_without_a_strategy_is_refused(assistant: Assistant) -> None:
    with pytest.raises(StrategyNotFound) as caught:
        drafting.draft_decision(assistant, "Alingsås kommun", "Färdplan god och nära vård")
    assert "the corpus holds no strategy to adopt for Västra Götalands län" in str(caught.value)


@pytest.mark.slow
def test_a_year_the_strategy_does_not_carry_is_not_a_match(assistant: Assistant) -> None:
    with pytest.raises(StrategyNotFound, match="'HSVO 2021–2023'"):
        drafting.draft_decision(assistant, "Enköpings kommun", "HSVO 2021–2023")


# --- CLI --------------------------------------------------------------------------------------
def _cli(assistant: Assistant, *args: str) -> int:
    return main(
        ["--corpus", str(CORPUS), "--index", str(assistant.settings.index_dir), "draft", *args]
    )


@pytest.mark.slow
def test_cli_draft_writes_json_markdown_and_docx(
    assistant: Assistant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md, docx = tmp_path / "utkast.md", tmp_path / "utkast.docx"
    code = _cli(
        assistant,
        "--org",
        "Skellefteå",
        "--strategy",
        "Färdplan Nära vård",
        "--json",
        "--md",
        str(md),
        "--docx",
        str(docx),
    )
    assert code == 0
    golden = json.loads((GOLDEN / "skelleftea-fardplan-nara-vard.json").read_text(encoding="utf-8"))
    assert json.loads(capsys.readouterr().out) == golden
    assert md.read_text(encoding="utf-8").startswith(
        "# Fastställande av Färdplan Nära vård 2030 i Västerbotten"
    )
    assert docx.stat().st_size > 0


@pytest.mark.slow
def test_cli_unknown_organisation_exits_1_with_suggestions(
    assistant: Assistant, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(assistant, "--org", "Ljusdahl kommun", "--strategy", "Välfärdsstrategin") == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "error: 'Ljusdahl kommun' is not a Swedish municipality or region. Did you mean: Ljusdals kommun"
    )


@pytest.mark.slow
def test_cli_unknown_strategy_exits_1_with_closest_matches(
    assistant: Assistant, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(assistant, "--org", "Umeå", "--strategy", "Klimatstrategin") == 1
    err = capsys.readouterr().err
    assert "error: no strategy in the corpus matches 'Klimatstrategin'" in err
    assert "Färdplan Nära vård 2030 i Västerbotten" in err


# --- the drafting gold set --------------------------------------------------------------------
def _gold_cases() -> list[dict]:
    return [
        json.loads(line)
        for line in GOLD_CASES.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_gold_cases_are_well_formed() -> None:
    cases = _gold_cases()
    assert len(cases) >= 6
    assert len({c["id"] for c in cases}) == len(cases)
    regions = {drafting.resolve_organisation(c["org"]).lan for c in cases}
    assert {"03", "21", "24"} <= regions
    for case in cases:
        assert set(case) == {
            "id",
            "org",
            "strategy",
            "body",
            "required_wording",
            "required_sources",
        }
        assert case["required_wording"], case["id"]
        assert case["required_sources"], case["id"]
        for source in case["required_sources"]:
            assert (CORPUS / source).is_file(), source


@pytest.mark.slow
@pytest.mark.parametrize("case", _gold_cases(), ids=lambda c: c["id"])
def test_gold_case_wording_and_sources(assistant: Assistant, case: dict) -> None:
    draft = drafting.draft_decision(assistant, case["org"], case["strategy"], case["body"])
    text = normalize_for_match(draft.text)
    missing = [w for w in case["required_wording"] if normalize_for_match(w) not in text]
    assert not missing, missing
    cited = {c.document for c in draft.citations}
    assert set(case["required_sources"]) <= cited
