"""assistant/drafting/organisation.py: organisation names resolve with the gazetteer only, no index."""

from __future__ import annotations

import pytest

from assistant import drafting
from assistant.errors import UnknownOrganisation


@pytest.mark.parametrize(
    ("typed", "official", "kind", "lan"),
    [
        ("Ljusdals kommun", "Ljusdals kommun", "kommun", "21"),
        ("Ljusdal", "Ljusdals kommun", "kommun", "21"),
        ("Ljusdal kommun", "Ljusdals kommun", "kommun", "21"),
        ("ljusdals  KOMMUN", "Ljusdals kommun", "kommun", "21"),
        ("Skelleftea", "Skellefteå kommun", "kommun", "24"),
        ("Region Gävleborg", "Region Gävleborg", "region", "21"),
        ("Gävleborgs län", "Region Gävleborg", "region", "21"),
        ("Västerbotten", "Region Västerbotten", "region", "24"),
        ("Uppsala", "Uppsala kommun", "kommun", "03"),
    ],
)
def test_organisation_forms_resolve(typed: str, official: str, kind: str, lan: str) -> None:
    org = drafting.resolve_organisation(typed)
    assert (org.official, org.kind, org.lan) == (official, kind, lan)
    assert org.locative == f"i {official}"


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("Ljusdahl kommun", "Ljusdals kommun"), ("Oslo kommun", ""), ("Acme AB", ""), ("", "")],
)
def test_unknown_organisation_names_the_value_and_suggestions(typed: str, suggested: str) -> None:
    with pytest.raises(UnknownOrganisation) as caught:
        drafting.resolve_organisation(typed)
    message = str(caught.value)
    assert f"'{typed}' is not a Swedish municipality or region" in message
    assert "Ljusdals kommun" in message  # the example of a valid name, or the suggestion
    if suggested:
        assert f"Did you mean: {suggested}" in message
