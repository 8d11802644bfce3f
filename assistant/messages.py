"""What the assistant says that is not a quote, in Swedish or English: why it did not answer.

Does not: decide whether to answer (answer/) or format citations (cli/render.py, ui/render.py).
"""

from __future__ import annotations

from dataclasses import replace

from assistant.answers import Abstention, Answer


def abstention_text(abstention: Abstention, language: str) -> str:
    """The abstention as a sentence or two in ``language`` ("sv" or "en").

    Example: abstention_text(Abstention("not_in_documents"), "sv") -> "Det framgår inte av dokumenten. "
    """
    sv = language == "sv"
    if abstention.reason == "place_not_covered":
        covered = ", ".join(abstention.covered)
        text = (
            f"Dokumenten handlar inte om {abstention.subject}. Korpusen omfattar: {covered}."
            if sv
            else f"The documents do not cover {abstention.subject}. The corpus covers: {covered}."
        )
    elif abstention.reason == "document_not_held":
        text = (
            f"Dokumenten innehåller inte {abstention.subject}: inget dokument är eller nämner det. "
            if sv
            else f"The documents do not include {abstention.subject}: no document is or mentions "
            "it. "
        )
    elif abstention.reason == "detail_not_given":
        text = (
            f"Det framgår inte av dokumenten ({abstention.subject}). "
            if sv
            else f"The documents do not say ({abstention.subject}). "
        )
        if abstention.searched:
            text += ("Sökte i: " if sv else "Searched: ") + "; ".join(abstention.searched) + "."
    else:
        text = "Det framgår inte av dokumenten. " if sv else "The documents do not say. "
        if abstention.reason == "name_not_mentioned":
            name = abstention.subject
            text += (
                f"Inget dokument nämner ”{name}”. " if sv else f"No document mentions “{name}”. "
            )
        if abstention.searched:
            text += ("Sökte i: " if sv else "Searched: ") + "; ".join(abstention.searched) + "."
    if abstention.filters:
        text += (" Filter: " if sv else " Filters: ") + ", ".join(abstention.filters) + "."
    return text


def worded(answer: Answer, language: str | None = None) -> Answer:
    """The answer with its abstention put into words (in ``language``, else the question's).

    Example: worded(Answer(q, "", True, abstention=Abstention("not_in_documents"))).answer
    -> "Det framgår inte av dokumenten. "
    """
    if answer.abstention is None:
        return answer
    return replace(answer, answer=abstention_text(answer.abstention, language or answer.language))
