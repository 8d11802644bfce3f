"""Sanity checks for assistant/language/data/gazetteer.json (Swedish län and kommuner)."""

import json
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "assistant" / "language" / "data" / "gazetteer.json"

EXPECTED_COUNTS = {
    "01": 26,
    "03": 8,
    "04": 9,
    "05": 13,
    "06": 13,
    "07": 8,
    "08": 12,
    "09": 1,
    "10": 5,
    "12": 33,
    "13": 6,
    "14": 49,
    "17": 16,
    "18": 12,
    "19": 10,
    "20": 15,
    "21": 10,
    "22": 7,
    "23": 8,
    "24": 15,
    "25": 14,
}


@pytest.fixture(scope="module")
def gaz():
    with open(DATA, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def by_name(gaz):
    return {k["name"]: k for k in gaz["kommuner"]}


def test_lan(gaz):
    lan = gaz["lan"]
    assert len(lan) == 21
    codes = [entry["code"] for entry in lan]
    assert len(set(codes)) == 21
    assert set(codes) == set(EXPECTED_COUNTS)
    for entry in lan:
        for key in ("name", "short", "region"):
            assert entry[key].strip()
        assert isinstance(entry["aliases"], list)


def test_kommuner_unique(gaz):
    kom = gaz["kommuner"]
    assert len(kom) == 290
    assert len({k["code"] for k in kom}) == 290
    assert len({k["name"] for k in kom}) == 290
    for k in kom:
        assert len(k["code"]) == 4 and k["code"].isdigit()
        for key in ("name", "official", "genitive"):
            assert k[key].strip()


def test_kommun_lan_codes(gaz):
    lan_codes = {entry["code"] for entry in gaz["lan"]}
    for k in gaz["kommuner"]:
        assert k["lan"] in lan_codes, k
        assert k["lan"] == k["code"][:2], k


def test_counts_per_lan(gaz):
    counts = Counter(k["lan"] for k in gaz["kommuner"])
    assert dict(counts) == EXPECTED_COUNTS


@pytest.mark.parametrize(
    ("name", "lan", "official"),
    [
        ("Enköping", "03", "Enköpings kommun"),
        ("Alingsås", "14", "Alingsås kommun"),
        ("Ljusdal", "21", "Ljusdals kommun"),
        ("Umeå", "24", "Umeå kommun"),
        ("Gävle", "21", "Gävle kommun"),
        ("Stockholm", "01", "Stockholms stad"),
        ("Malmö", "12", "Malmö stad"),
        ("Gotland", "09", "Region Gotland"),
        ("Göteborg", "14", "Göteborgs stad"),
        ("Falun", "20", "Falu kommun"),
    ],
)
def test_spot_checks(by_name, name, lan, official):
    k = by_name[name]
    assert k["lan"] == lan
    assert k["official"] == official


def test_genitive_matches_official(gaz):
    for k in gaz["kommuner"]:
        if k["official"].startswith("Region "):
            continue
        base = k["official"].rsplit(" ", 1)[0]
        assert k["genitive"] == base, k
