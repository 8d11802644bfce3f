"""Near-duplicate collapse: the prefix-filtered search finds exactly what comparing every pair finds."""

import random
from dataclasses import replace

from assistant.documents import Chunk
from assistant.ingest.chunking import _key, _shingles, chunk_source, collapse_duplicates
from assistant.ingest.readers import read_source
from tests.conftest import CORPUS


def _every_pair(chunks: list[Chunk], threshold: float = 0.9) -> list[str | None]:
    """The reference: each chunk compared with every earlier canonical chunk, in order."""
    canon: list[tuple[tuple[str, str], set[str], str]] = []
    out: list[str | None] = []
    for chunk in chunks:
        key, grams = (chunk.metadata.org, _key(chunk.text)), _shingles(chunk.text)
        target = next((cid for k, _, cid in canon if k == key), None)
        if target is None and len(key[1]) >= 40:
            for (org, _), other, cid in canon:
                if org != chunk.metadata.org:
                    continue
                union = len(grams | other)
                if union and len(grams & other) / union >= threshold:
                    target = cid
                    break
        out.append(target)
        if target is None:
            canon.append((key, grams, chunk.id))
    return out


def _corpus_chunks() -> list[Chunk]:
    chunks: list[Chunk] = []
    for path in sorted(CORPUS.glob("*.txt")):
        chunks.extend(chunk_source(read_source(path, path.name))[0])
    return chunks


def test_collapse_matches_comparing_every_pair_on_edited_copies():
    rng = random.Random(7)
    base = _corpus_chunks()
    edited: list[Chunk] = []
    for n in range(4):
        for chunk in base:
            words = chunk.text.split()
            for _ in range(rng.randint(0, 3)):  # 0-3 words changed: some copies stay near, some not
                if words:
                    words[rng.randrange(len(words))] = rng.choice(["Nora", "2025-01-01", "§ 12"])
            meta = replace(chunk.metadata, org=("Nora kommun", "Örebro kommun")[n % 2])
            edited.append(replace(chunk, id=f"{n}-{chunk.id}", text=" ".join(words), metadata=meta))
    result = collapse_duplicates(edited)
    assert [c.duplicate_of for c in result] == _every_pair(edited)
    assert 0 < sum(1 for c in result if c.duplicate_of) < len(edited)


def test_the_enkoping_strategy_printed_twice_is_collapsed_onto_its_first_copy():
    result = collapse_duplicates(_corpus_chunks())
    copies = [c for c in result if c.duplicate_of]
    assert copies and {c.document for c in copies} == {
        "enkoping-strategi-samverkan-hsvo-2024-2026.txt"
    }
    first = {c.id: n for n, c in enumerate(result)}
    assert all(first[c.duplicate_of] < first[c.id] for c in copies)


def test_another_organisations_word_for_word_copy_stays_its_own():
    base = [c for c in _corpus_chunks() if c.document.startswith("alingsas")]
    nora = [
        replace(c, id=f"nora-{c.id}", metadata=replace(c.metadata, org="Nora kommun")) for c in base
    ]
    again = [replace(c, id=f"again-{c.id}") for c in base]
    result = collapse_duplicates(base + nora + again)
    assert not any(c.duplicate_of for c in result[: 2 * len(base)])
    assert [c.duplicate_of for c in result[2 * len(base) :]] == [c.id for c in base]
