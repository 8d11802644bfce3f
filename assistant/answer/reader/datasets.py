"""The reading-comprehension data the reader is trained and measured on, as sentence-ranking items.

Each item is one question over one text cut into sentences (assistant.language's splitter, the one
the answerer uses): which sentences hold the answer span (none for an unanswerable question) and
which hold a distractor span (SweQUAD-MC's wrong choices; hard negatives). Sentences carry the
heading they stand under ("Heading: sentence"), as spans carry their section at run time.

Sources (copied into evals/qa/ with their licences; never read from elsewhere):
- SweQUAD-MC (CC BY 4.0): splits as published.
- SQuAD 2.0 dev, machine-translated to Swedish (Apache-2.0 over CC BY-SA 4.0): split by whole
  article (`squad_split`).

Does not: tokenize, sample negatives or train (training.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.language.text import split_sentences

QA_DIR = Path(__file__).resolve().parents[3] / "evals" / "qa"
SWEQUAD_FILES = {
    "train": "swequad-mc/training.json",
    "dev": "swequad-mc/dev.json",
    "test": "swequad-mc/test.json",
}
SQUAD_FILE = "squad-v2-sv/squad_dev_v2_sv.json.gz"
_HEADING_MAX = 90
_WS = re.compile(r"\s")


@dataclass(frozen=True)
class Item:
    question: str
    sentences: tuple[str, ...]
    positives: frozenset[int]  # empty: the text does not answer the question
    distractors: frozenset[int]
    group: str  # the text or article; held-out splits never share one with training


@dataclass(frozen=True)
class _Sentence:
    text: str
    start: int
    end: int


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Whitespace collapsed as normalize_ws does, with each kept character's source offset.

    Example: "a \u00a0b" -> ("a b", [0, 1, 3])
    """
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\u200b":
            continue
        if ch == "\u00a0" or _WS.match(ch):
            if chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
            continue
        chars.append(ch)
        where.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def _sentences(line: str, offset: int) -> list[_Sentence]:
    norm, where = _normalise_with_offsets(line)
    out: list[_Sentence] = []
    cursor = 0
    for part in split_sentences(line):
        at = norm.find(part, cursor)
        if at < 0:
            at = cursor
        end = min(at + len(part), len(where))
        if at >= len(where):
            break
        out.append(_Sentence(part, offset + where[at], offset + where[end - 1] + 1))
        cursor = at + len(part)
    return out


def _is_heading(line: str, following: str | None) -> bool:
    stripped = line.strip()
    return (
        bool(following)
        and len(stripped) <= _HEADING_MAX
        and not stripped.endswith((".", "!", "?", ":", ";", ","))
    )


def split_text(context: str, title: str = "") -> tuple[list[str], list[tuple[int, int]]]:
    """A text -> its sentences prefixed with their heading, and each sentence's source span.

    Example: "Visum\\nDu behöver visum. Det kostar." -> ["Visum", "Visum: Du behöver visum.",
    "Visum: Det kostar."], spans into the text.
    """
    lines: list[tuple[str, int]] = []
    pos = 0
    for raw in re.split(r"(\r?\n)", context):
        if raw.strip() and not raw.startswith(("\r", "\n")):
            lines.append((raw, pos))
        pos += len(raw)
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    heading = title
    for i, (line, start) in enumerate(lines):
        following = lines[i + 1][0] if i + 1 < len(lines) else None
        if _is_heading(line, following):
            heading = " ".join(line.split())
            texts.append(heading)
            norm, where = _normalise_with_offsets(line)
            spans.append((start + where[0], start + where[-1] + 1))
            continue
        for s in _sentences(line, start):
            texts.append(f"{heading}: {s.text}" if heading else s.text)
            spans.append((s.start, s.end))
    return texts, spans


def _overlapping(spans: list[tuple[int, int]], start: int, end: int) -> frozenset[int]:
    return frozenset(i for i, (a, b) in enumerate(spans) if a < end and start < b)


def swequad(split: str, qa_dir: Path = QA_DIR) -> list[Item]:
    """SweQUAD-MC `split` ("train", "dev", "test") as items."""
    data = json.loads((qa_dir / SWEQUAD_FILES[split]).read_text("utf-8"))["data"]
    items: list[Item] = []
    for record in data:
        context = record["context"]
        texts, spans = split_text(context)
        positives: set[int] = set()
        distractors: set[int] = set()
        for choice in record["choices"]:
            hit = _overlapping(spans, choice["start"], choice["end"])
            (positives if choice["type"] == "Correct answer" else distractors).update(hit)
        if not positives:
            continue
        group = hashlib.sha1(context.encode()).hexdigest()[:12]
        items.append(
            Item(
                record["question"],
                tuple(texts),
                frozenset(positives),
                frozenset(distractors - positives),
                group,
            )
        )
    return items


def _squad_articles(qa_dir: Path) -> list[dict]:  # type: ignore[type-arg]
    with gzip.open(qa_dir / SQUAD_FILE, "rt", encoding="utf-8") as f:
        return list(json.load(f)["data"])


def squad_items(article: dict) -> list[Item]:  # type: ignore[type-arg]
    """One SQuAD-sv article's questions as items; answers whose text is not at its offset are
    looked for nearby (the translation moved some), and a question whose answer is not found is
    dropped."""
    items: list[Item] = []
    for paragraph in article["paragraphs"]:
        context = paragraph["context"]
        texts, spans = split_text(context)
        for qa in paragraph["qas"]:
            positives: set[int] = set()
            if not qa.get("is_impossible"):
                for answer in qa["answers"]:
                    text, start = answer["text"], int(answer["answer_start"])
                    if context[start : start + len(text)] != text:
                        found = context.find(text, max(0, start - 40))
                        if found < 0 or abs(found - start) > 80:
                            continue
                        start = found
                    positives.update(_overlapping(spans, start, start + len(text)))
                if not positives:
                    continue
            items.append(
                Item(
                    qa["question"],
                    tuple(texts),
                    frozenset(positives),
                    frozenset(),
                    article["title"],
                )
            )
    return items


def squad_split(
    qa_dir: Path = QA_DIR, held_out_min: int = 1000, seed: int = 20
) -> tuple[list[Item], list[Item]]:
    """SQuAD-sv as (train, held_out), split by whole article: articles are drawn in a seeded order
    into the held-out side until it holds at least `held_out_min` questions."""
    articles = sorted(_squad_articles(qa_dir), key=lambda a: a["title"])
    random.Random(seed).shuffle(articles)
    train: list[Item] = []
    held: list[Item] = []
    for article in articles:
        items = squad_items(article)
        (held if len(held) < held_out_min else train).extend(items)
    return train, held
