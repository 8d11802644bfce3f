"""A real server refuses an upload over the size limit before it reaches the disk."""

import socket
import urllib.error
import urllib.request
import uuid

import pytest

from assistant.service import Assistant
from assistant.ui.app import build_app, launch_options


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post_file(url: str, name: str, data: bytes) -> int:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        return urllib.request.urlopen(request).status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def server(assistant: Assistant):
    app = build_app(assistant)
    options = launch_options("127.0.0.1", _port(), None, max_file_mb=1)
    app.launch(**options, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{options['server_port']}"
    app.close()


def test_an_upload_over_the_limit_is_refused_by_the_server(server):
    assert _post_file(f"{server}/gradio_api/upload", "liten.txt", b"Text") == 200
    assert _post_file(f"{server}/gradio_api/upload", "stor.txt", b"a" * (2 * 1024 * 1024)) == 413
