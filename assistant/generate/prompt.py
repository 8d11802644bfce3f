"""The prompt for a generated answer: fixed instructions, then the question and the numbered evidence.

The instructions come first and never change, so a long-lived llama.cpp server reuses their
processed tokens between questions; only the question and the evidence are new each time.

Does not: choose the evidence (generator.py) or check what comes back (claims.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.generate.claims import ABSTAIN

INSTRUCTIONS = (
    "Du besvarar frågor om offentliga dokument med hjälp av citaten som följer frågan.\n"
    "- Svara kort, med en till tre hela meningar, på samma språk som frågan.\n"
    "- Använd citatens egna ord. Avsluta varje mening med id:t för citaten den bygger på, "
    "t.ex. [S1] eller [S1][S2].\n"
    "- Skriv namn, datum, belopp och siffror exakt som i citaten.\n"
    f"- Om citaten inte besvarar frågan, svara exakt: {ABSTAIN}"
)


@dataclass(frozen=True)
class Message:
    role: str  # system | user
    content: str


def evidence_lines(evidence: Sequence[str]) -> str:
    """Example: ["A.", "B."] -> "[S1] A.\\n[S2] B." """
    return "\n".join(f"[S{n}] {text}" for n, text in enumerate(evidence, start=1))


def build_messages(question: str, evidence: Sequence[str]) -> list[Message]:
    """The chat messages for one question; ``evidence`` are verbatim source sentences."""
    user = f"Fråga: {question}\n\nCitat:\n{evidence_lines(evidence)}"
    return [Message("system", INSTRUCTIONS), Message("user", user)]
