"""Bad inputs through the UI's API (issue #24, case 1): a server path handed to the upload
endpoint instead of an upload. The page reads only files gradio itself received as uploads; any
other path is refused by name and left as it is, nothing of it reaches the corpus or the index.

The real gradio server and the real upload handler, a real index in tmp_path. Note on the issue's
reproduction: ``gradio_client.Client.predict`` with ``{"path": ...}`` *uploads the client's own copy*
of that file first (gradio_client's ``_upload_file``), so it is an upload, not a server path; a
caller that skips the client sends the path itself, which is what ``_call`` below does.
"""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import httpx
import pytest
from gradio.utils import get_upload_folder

from assistant.config import Settings
from assistant.service import Assistant
from assistant.ui.actions import PageActions
from assistant.ui.app import build_app, launch_options

SECRET = "Hemlig uppgift: lösenordet till serverns databas är apelsin.\n"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _file_data(path: Path | str, name: str = "x.txt") -> dict:
    return {"path": str(path), "orig_name": name, "meta": {"_type": "gradio.FileData"}}


@pytest.fixture
def site(tmp_path: Path) -> Assistant:
    (tmp_path / "corpus").mkdir()
    return Assistant(Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"))


@pytest.fixture
def secret() -> Path:
    # subtle: in the system temp folder, which gradio lets a server *return*; not an upload
    folder = Path(tempfile.mkdtemp(prefix="hemligt-"))
    path = folder / "hemlig.txt"
    path.write_text(SECRET, encoding="utf-8")
    yield path
    path.unlink(missing_ok=True)
    folder.rmdir()


def test_the_upload_handler_refuses_a_server_path_and_leaves_the_file(
    site: Assistant, secret: Path
) -> None:
    # Before the fix the handler copied the file into the corpus, indexed it and deleted it.
    report, *_ = PageActions(site).add_files([str(secret)], "sv")
    assert "hemlig.txt" in report and "ingen uppladdad fil" in report
    assert secret.read_text(encoding="utf-8") == SECRET  # not deleted, not moved
    assert list(site.settings.corpus_dir.iterdir()) == []
    assert not (site.settings.index_dir / "CURRENT").exists()  # nothing was ingested


def test_a_link_inside_the_upload_folder_that_points_out_is_refused(
    site: Assistant, secret: Path
) -> None:
    actions = PageActions(site)
    Path(get_upload_folder()).mkdir(parents=True, exist_ok=True)
    inside = Path(tempfile.mkdtemp(dir=get_upload_folder()))
    (inside / "plan.txt").symlink_to(secret)
    try:
        report, *_ = actions.add_files([str(inside / "plan.txt")], "en")
        assert "plan.txt" in report and "not an upload" in report
        assert secret.read_text(encoding="utf-8") == SECRET
        assert list(site.settings.corpus_dir.iterdir()) == []
    finally:
        (inside / "plan.txt").unlink()
        inside.rmdir()


@pytest.fixture
def server(site: Assistant):
    app = build_app(site)
    options = launch_options("127.0.0.1", _port(), None)
    app.launch(**options, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{options['server_port']}"
    app.close()


def _call(server: str, files: list[dict]) -> str:
    """One call of /add_files through gradio's HTTP API, as any client may send it."""
    started = httpx.post(f"{server}/gradio_api/call/add_files", json={"data": [files, "sv"]})
    event = started.json()["event_id"]
    return httpx.get(f"{server}/gradio_api/call/add_files/{event}", timeout=120).text


@pytest.mark.parametrize("dots", [False, True], ids=["plain", "dot-dot-from-upload-folder"])
def test_the_real_server_refuses_a_server_path_sent_through_the_api(
    server: str, site: Assistant, secret: Path, dots: bool
) -> None:
    path = f"{get_upload_folder()}/../../{secret}" if dots else str(secret)
    out = _call(server, [_file_data(path)])
    assert out.startswith("event: error")
    assert "Indexerade" not in out and "apelsin" not in out
    assert secret.read_text(encoding="utf-8") == SECRET
    assert list(site.settings.corpus_dir.iterdir()) == []


def test_the_issues_client_call_is_an_upload_of_the_clients_own_copy(
    server: str, site: Assistant, secret: Path
) -> None:
    from gradio_client import Client

    report = Client(server, verbose=False).predict(
        [_file_data(secret)], "sv", api_name="/add_files"
    )[0]
    # The client read the file and uploaded it; the server indexed what it received as an
    # upload, and the path itself was never touched by the server.
    assert "hemlig.txt" in report
    assert secret.read_text(encoding="utf-8") == SECRET
    assert [p.name for p in site.settings.corpus_dir.iterdir()] == ["hemlig.txt"]
