"""``serve(settings, host, port)``: check the login rules, warm the index up, build the page, start it.

Off loopback a login is required (``auth_from_env``). Does not: lay out the page; app.py (and with
it gradio) is imported only when serving, so importing ``assistant.ui`` stays light.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.errors import ConfigError, IndexMissing

if TYPE_CHECKING:
    import gradio as gr

    from assistant.service import Assistant

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
AUTH_ENV = ("ASSISTANT_UI_USER", "ASSISTANT_UI_PASSWORD", "ASSISTANT_UI_AUTH_FILE")


def is_loopback(host: str) -> bool:
    """Example: is_loopback("127.0.0.1") -> True; is_loopback("0.0.0.0") -> False"""
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def auth_from_env(
    host: str, environ: Mapping[str, str] | None = None
) -> list[tuple[str, str]] | None:
    """Login pairs from ASSISTANT_UI_USER/ASSISTANT_UI_PASSWORD or ASSISTANT_UI_AUTH_FILE ("user:password" lines).

    Required when the host is not loopback; raises ConfigError saying how to set it.
    """
    env = os.environ if environ is None else environ
    pairs: list[tuple[str, str]] = []
    if env.get("ASSISTANT_UI_USER") and env.get("ASSISTANT_UI_PASSWORD"):
        pairs.append((env["ASSISTANT_UI_USER"], env["ASSISTANT_UI_PASSWORD"]))
    if env.get("ASSISTANT_UI_AUTH_FILE"):
        pairs += _read_auth_file(Path(env["ASSISTANT_UI_AUTH_FILE"]))
    if not pairs and not is_loopback(host):
        raise ConfigError(
            f"serving on '{host}' makes the documents reachable from the network, so a login is required: set "
            "ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD, or ASSISTANT_UI_AUTH_FILE to a file of 'user:password' "
            "lines; or serve on 127.0.0.1 (the default)"
        )
    return pairs or None


def _read_auth_file(path: Path) -> list[tuple[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"ASSISTANT_UI_AUTH_FILE '{path}' cannot be read ({exc.strerror}): "
            "point it at a file of 'user:password' lines"
        ) from exc
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        user, sep, password = line.strip().partition(":")
        if not sep or not user or not password:
            raise ConfigError(
                f"ASSISTANT_UI_AUTH_FILE '{path}' line {number} is not 'user:password'"
            )
        pairs.append((user, password))
    if not pairs:
        raise ConfigError(f"ASSISTANT_UI_AUTH_FILE '{path}' has no 'user:password' lines")
    return pairs


def warm_up(assistant: Assistant) -> str:
    """Load the index and the model before the first visitor, so the first answer is quick."""
    try:
        assistant.ask("Vad gäller för återkoppling?")
    except IndexMissing as exc:
        return str(exc)
    return ""


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = 7860, block: bool = True
) -> gr.Blocks:
    """Start the page. Off loopback a login is required (see ``auth_from_env``)."""
    # subtle: imported here, not at the top, so gradio loads only when serving
    from assistant.service import Assistant
    from assistant.ui.app import build_app, launch_options

    credentials = auth_from_env(host)
    assistant = Assistant(settings)
    problem = warm_up(assistant)
    app = build_app(assistant)
    app.queue(default_concurrency_limit=4)
    shown = f"[{host}]" if ":" in host else host
    print(
        f"Assistant UI on http://{shown}:{port}/  (corpus {settings.corpus_dir}, index {settings.index_dir})",
        flush=True,
    )
    if credentials:
        print(f"Login required: {len(credentials)} user(s) from {', '.join(AUTH_ENV)}", flush=True)
    if problem:
        print(f"note: {problem}; you can add documents in the page's Documents tab", flush=True)
    app.launch(
        **launch_options(host, port, credentials, settings.max_file_mb),
        prevent_thread_lock=not block,
    )
    return app
