"""The index store against real Chroma: batched writes, failed writes, generations."""

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.service import Assistant
from assistant.store.chroma import IndexStore
from assistant.store.snapshot import text_key
from tests.conftest import fresh_corpus

SMALL = [
    "alingsas-fardplan-god-och-nara-vard-remissvar.txt",
    "vasterbotten-fardplan-nara-vard-2030-rekommendation.txt",
]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    tmp = tmp_path_factory.mktemp("small")
    a = Assistant(Settings(corpus_dir=fresh_corpus(tmp, SMALL), index_dir=tmp / "index"))
    a.ingest()
    return a


def test_write_in_batches_smaller_than_the_collection_keeps_every_chunk(
    small: Assistant, tmp_path: Path
):
    snap = small.snapshot
    canonical = [c for c in snap.chunks if c.duplicate_of is None]
    assert len(canonical) > 7
    store = IndexStore(tmp_path / "index", max_batch=3)
    store.write(snap.chunks, snap.vectors, snap.manifest)
    loaded = store.load()
    assert loaded._collection.count() == len(canonical)
    first = canonical[-1]
    hits = loaded.dense_query(snap.vectors[text_key(first.embed_text())], 1)
    assert hits[0][0] == first.id


def test_failed_store_write_leaves_the_live_generation_and_no_half_folder(
    small: Assistant, tmp_path: Path
):
    snap = small.snapshot
    store = IndexStore(tmp_path / "index", max_batch=3)
    live = store.write(snap.chunks, snap.vectors, snap.manifest)
    canonical = [c for c in snap.chunks if c.duplicate_of is None]
    # A chunk whose vector is missing fails the write after some batches went in.
    broken = snap.chunks + [replace(canonical[0], id="extra-0001", text="ett helt nytt stycke")]
    with pytest.raises(KeyError):
        store.write(broken, snap.vectors, snap.manifest)
    assert store.current() == live
    assert [p.name for p in (tmp_path / "index").glob("gen-*")] == [live.name]
    assert store.load()._collection.count() == len(canonical)


def test_vectors_are_memory_mapped_and_equal_to_those_written(small: Assistant, tmp_path: Path):
    import numpy as np

    from assistant.store.vectors import VectorTable, save_npz

    snap = small.snapshot
    store = IndexStore(tmp_path / "index")
    folder = store.write(snap.chunks, snap.vectors, snap.manifest)
    loaded = store.load().vectors
    assert isinstance(loaded, VectorTable) and set(loaded) == set(snap.vectors)
    key = next(iter(snap.vectors))
    assert np.array_equal(loaded[key], snap.vectors[key])
    # A generation written before vectors.npy (vectors.npz) still loads.
    (folder / "vectors.npy").unlink()
    with (folder / "vectors.npz").open("wb") as fh:
        save_npz(fh, snap.vectors)
    assert np.array_equal(store.load().vectors[key], snap.vectors[key])


def test_chunk_table_reads_back_equal_and_shares_metadata(small: Assistant, tmp_path: Path):
    snap = small.snapshot
    folder = IndexStore(tmp_path / "index").write(snap.chunks, snap.vectors, snap.manifest)
    reloaded = IndexStore(tmp_path / "index").load()
    loaded = reloaded.chunks
    assert loaded == snap.chunks
    table = reloaded.manifest["chunk_table"]
    assert table == {"chunks": len(loaded), "bytes": (folder / "chunks.pickle").stat().st_size}
    by_doc = [c for c in loaded if c.document == loaded[0].document]
    assert len({id(c.metadata) for c in by_doc}) < len(by_doc)  # one object per sub-document


def test_a_tampered_chunk_table_is_damage_and_runs_no_code(small: Assistant, tmp_path: Path):
    import pickle

    from assistant.errors import IndexDamaged

    snap = small.snapshot
    store = IndexStore(tmp_path / "index")
    folder = store.write(snap.chunks, snap.vectors, snap.manifest)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (Path.touch, (marker,))

    (folder / "chunks.pickle").write_bytes(pickle.dumps([Payload()]))
    with pytest.raises(IndexDamaged, match="chunks.pickle"):
        store.load()
    assert not marker.exists()
    with pytest.raises(IndexDamaged, match="chunks.pickle"):
        store.check_intact()  # the size no longer matches the manifest's


def test_an_index_written_before_the_chunk_table_was_a_pickle_asks_for_an_ingest(
    small: Assistant, tmp_path: Path
):
    from assistant.errors import IndexDamaged

    snap = small.snapshot
    store = IndexStore(tmp_path / "index")
    folder = store.write(snap.chunks, snap.vectors, snap.manifest)
    (folder / "chunks.pickle").rename(folder / "chunks.jsonl")
    with pytest.raises(IndexDamaged, match="older version.*assistant ingest"):
        store.load()
    with pytest.raises(IndexDamaged, match="older version"):
        store.check_intact()
