"""The bundled model's server: llama.cpp (xllamacpp) serving the OpenAI API on 127.0.0.1, in-process.

Started by the assistant when ASSISTANT_LLM=bundled and stopped with it (``with BundledServer(…)``),
or kept up by ``assistant llm serve`` for other processes to use as ASSISTANT_LLM=openai-like.

Does not: assemble or download the model (model.py) or talk to it (llm.py).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from assistant.config import Settings
from assistant.errors import LanguageModelUnavailable
from assistant.generate.model import INSTALL_HINT, SHA256, check_model, default_model_path

MODEL_ALIAS = "bundled"


def model_path_of(settings: Settings) -> tuple[Path, str | None]:
    """The GGUF to serve and the sha256 it must have (None for a user's own file)."""
    if settings.llm_model:
        return Path(settings.llm_model).expanduser(), None
    return default_model_path(), SHA256


class BundledServer:
    """Example: with BundledServer(settings) as server: OpenAILike(api_base=server.api_base, …)"""

    def __init__(self, settings: Settings, port: int = 0, host: str = "127.0.0.1") -> None:
        self.settings = settings
        self.port = port  # 0 = any free port
        self.host = host
        self._server: Any = None
        self._lock = threading.Lock()
        self.base_url = ""

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/v1"

    def start(self) -> BundledServer:
        with self._lock:
            if self._server is not None:
                return self
            path, sha256 = model_path_of(self.settings)
            check_model(path, sha256)
            # Busy-waiting OpenMP threads starve each other on a shared 2-core machine (10x slower).
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            try:
                import xllamacpp
            except ImportError as exc:
                raise LanguageModelUnavailable(
                    f"the bundled model's runtime (xllamacpp) is not installed: {INSTALL_HINT}"
                ) from exc
            params = xllamacpp.CommonParams()
            params.model.path = str(path)
            params.model_alias = {MODEL_ALIAS}
            params.n_ctx = self.settings.llm_context
            params.n_predict = self.settings.llm_max_tokens
            params.n_parallel = 1
            threads = self.settings.llm_threads
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = min(2 * threads, os.cpu_count() or 1)
            params.hostnames = [self.host]
            params.port = self.port
            params.ui = False
            params.verbosity = 0
            try:
                self._server = xllamacpp.Server(params)
            except Exception as exc:  # the C++ server reports a bad file as a plain RuntimeError
                raise LanguageModelUnavailable(
                    f"the language model {path} could not be loaded ({exc}): delete it and "
                    f"{INSTALL_HINT}"
                ) from exc
            self.base_url = str(self._server.listening_address).rstrip("/")
            return self

    def stop(self) -> None:
        with self._lock:
            # The C++ server shuts down when its Python object goes away.
            self._server = None
            self.base_url = ""

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> BundledServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
