"""A local, private assistant over Swedish public-sector strategy documents.

Public API: ``Assistant``, ``Settings`` and the answer types. Importing this package is cheap:
models, chromadb and gradio are loaded only when first used.
"""

from assistant.answers import Answer, Citation, DraftResult
from assistant.config import Settings
from assistant.documents import Chunk, RetrievedChunk

__all__ = ["Answer", "Assistant", "Chunk", "Citation", "DraftResult", "RetrievedChunk", "Settings"]


def __getattr__(name: str):  # lazy: the service pulls in the heavy parts
    if name == "Assistant":
        from assistant.service import Assistant

        return Assistant
    raise AttributeError(name)
