"""The index on a real Chroma server (`chroma run`, as users start it): ingest, incremental ingest
and questions through ASSISTANT_CHROMA_HOST; old generations deleted on the server; an index
moved between embedded and server Chroma is uploaded again instead of failing."""

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.service import Assistant
from assistant.store.chroma import IndexStore
from assistant.store.snapshot import text_key
from tests.conftest import fresh_corpus, made_up_section

SMALL = [
    "alingsas-fardplan-god-och-nara-vard-remissvar.txt",
    "vasterbotten-fardplan-nara-vard-2030-rekommendation.txt",
]
QUESTION = "När ska återkoppling skickas?"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`chroma run --path <tmp> --port <free port>`, stopped after the module's tests."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    exe = Path(sys.executable).parent / "chroma"
    command = str(exe) if exe.exists() else shutil.which("chroma")
    assert command, "the chromadb package ships the `chroma` command"
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [command, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                chromadb.HttpClient(
                    host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
                ).heartbeat()
                break
            except Exception:  # not listening yet
                time.sleep(0.25)
        else:
            pytest.fail("chroma run did not start within 30 s")
        yield f"127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _collections(host: str) -> set[str]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    name, _, port = host.partition(":")
    client = chromadb.HttpClient(
        host=name, port=int(port), settings=ChromaSettings(anonymized_telemetry=False)
    )
    return {c.name for c in client.list_collections()}


def test_ingest_incremental_ingest_and_ask_against_a_server(chroma_server: str, tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chroma_host=chroma_server)
    a = Assistant(settings)
    a.ingest()
    first = IndexStore(settings.index_dir).current()
    assert first is not None and f"chunks-{first.name}" in _collections(chroma_server)
    assert not a.ask(QUESTION).abstained
    assert not (first / "chroma").exists()  # nothing embedded locally

    path = corpus / SMALL[1]
    path.write_text(path.read_text(encoding="utf-8").replace("2023-08-31", "2023-09-15"))
    summary = a.ingest()
    assert (summary.changed, summary.unchanged) == (1, 1)
    second = IndexStore(settings.index_dir).current()
    assert second is not None and second != first
    ours = {n for n in _collections(chroma_server) if n.startswith("chunks-gen-")}
    assert f"chunks-{second.name}" in ours and f"chunks-{first.name}" not in ours
    answer = a.ask(QUESTION)
    assert "2023-09-15" in answer.answer


def test_an_embedded_index_moves_to_a_server_and_back(chroma_server: str, tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    embedded = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    a = Assistant(embedded)
    a.ingest()
    before = a.ask(QUESTION)
    folder = IndexStore(embedded.index_dir).current()
    assert folder is not None

    served = Assistant(replace(embedded, chroma_host=chroma_server))
    assert served.ask(QUESTION).citations == before.citations  # uploaded on first use
    assert f"chunks-{folder.name}" in _collections(chroma_server)
    assert served.ingest().changed == 0  # nothing changed: the uploaded collection serves

    shutil.rmtree(folder / "chroma")  # the embedded copy is gone: back to embedded uploads it
    back = Assistant(embedded)
    assert back.ask(QUESTION).citations == before.citations


def test_a_server_that_is_not_running_is_named_with_the_fix(tmp_path: Path):
    from assistant.errors import ConfigError

    store = IndexStore(tmp_path / "index", chroma_host=f"127.0.0.1:{_free_port()}")
    # One chunk with its vector: a generation without vectors (answerable by word search while
    # they are filled in) has no collection and does not reach the server.
    chunk = made_up_section(("Planen antogs den 3 maj 2031.",))
    vectors = {text_key(chunk.embed_text()): np.ones(384, dtype=np.float32)}
    with pytest.raises(ConfigError, match="chroma run --path"):
        store.write([chunk], vectors, {})
    assert store.current() is None and not list((tmp_path / "index").glob("gen-*"))
