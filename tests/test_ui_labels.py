"""assistant/ui/labels.py: the interface text in both languages."""

from __future__ import annotations

from assistant.ui.labels import LABELS, label


def test_labels_are_swedish_by_default_and_english_on_request() -> None:
    assert label("send") == "Skicka"
    assert label("send", "en") == "Send"
    assert label("send", "xx") == "Skicka"


def test_every_label_exists_in_both_languages() -> None:
    assert set(LABELS["sv"]) == set(LABELS["en"])
    assert all(LABELS["en"][k] for k in LABELS["en"])
