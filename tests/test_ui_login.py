"""A real server with a login: nothing of the corpus before login, a growing delay per client
after failed logins, and a lockout noted in the log."""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import gradio as gr
import pytest
from starlette.middleware import Middleware

from assistant.service import Assistant
from assistant.ui.app import build_app, launch_options
from assistant.ui.corpus import filter_choices
from assistant.ui.login import LoginThrottle

USERS = [("anna", "hemligt")]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(assistant: Assistant, request: pytest.FixtureRequest):
    throttle = getattr(request, "param", {})
    app = build_app(assistant)
    options = launch_options("127.0.0.1", _port(), USERS)
    if throttle:
        options["app_kwargs"] = {"middleware": [Middleware(LoginThrottle, **throttle)]}
    app.launch(**options, prevent_thread_lock=True)
    yield app, f"http://127.0.0.1:{options['server_port']}"
    app.close()


def _login(base: str, password: str) -> int:
    data = urllib.parse.urlencode({"username": "anna", "password": password}).encode()
    try:
        return urllib.request.urlopen(urllib.request.Request(f"{base}/login", data=data)).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_launch_options_throttle_logins_and_cap_uploads():
    options = launch_options("0.0.0.0", 7860, USERS, max_file_mb=20)
    assert [m.cls for m in options["app_kwargs"]["middleware"]] == [LoginThrottle]
    assert options["max_file_size"] == "20mb"


def test_nothing_of_the_corpus_is_served_before_login(server, assistant: Assistant):
    _, base = server
    page = urllib.request.urlopen(f"{base}/").read().decode("utf-8")
    choices = filter_choices(assistant.snapshot.chunks)
    secrets = [o for o, _ in choices["org"][1:]] + [t for t, _ in choices["doc_type"][1:]]
    secrets += [y for y, _ in choices["year"][1:]] + sorted(
        {c.document for c in assistant.snapshot.chunks}
    )
    assert len(secrets) > 10
    leaked = [s for s in secrets if s in page or json.dumps(s)[1:-1] in page]
    assert leaked == []
    for path in ("/config", "/gradio_api/info"):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{base}{path}")
        assert info.value.code == 401


def test_after_login_the_page_gets_the_corpus_filters(assistant: Assistant):
    from assistant.ui.actions import PageActions

    org, doc_type, year, table = PageActions(assistant).corpus_view("sv")
    assert "Region Västerbotten" in [o for o, _ in org["choices"]]
    assert any("alingsas" in row[0] for row in table["data"])


@pytest.mark.parametrize(
    "server", [{"base": 0.2, "cap": 5.0, "lockout_after": 4, "lockout_seconds": 60}], indirect=True
)
def test_failed_logins_wait_longer_each_time_then_lock_out(server, caplog):
    _, base = server
    caplog.set_level(logging.WARNING, logger="assistant.ui.login")
    took = []
    for _ in range(4):
        started = time.perf_counter()
        assert _login(base, "fel") == 400
        took.append(time.perf_counter() - started)
    assert took[3] > took[2] > took[1] >= 0.2 and took[3] >= 0.8  # 0, 0.2, 0.4, 0.8 s
    assert _login(base, "hemligt") == 429  # locked out: even the right password waits
    assert "4 failed logins in a row from 127.0.0.1" in caplog.text


@pytest.mark.parametrize("server", [{"base": 0.2, "lockout_after": 10}], indirect=True)
def test_a_right_password_resets_the_delay(server):
    _, base = server
    assert _login(base, "fel") == 400
    assert _login(base, "hemligt") == 200
    started = time.perf_counter()
    assert _login(base, "fel") == 400
    assert time.perf_counter() - started < 0.2


def test_gradio_is_new_enough_for_the_file_explorer_fix():
    major, minor = (int(x) for x in gr.__version__.split(".")[:2])
    assert (major, minor) >= (6, 16)
