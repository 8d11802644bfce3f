"""assistant/ui/documents_tab.py: the corpus table's rows, uploads copied in, the upload report."""

from __future__ import annotations

from pathlib import Path

from assistant.documents import IngestSummary, SkippedFile
from assistant.service import Assistant
from assistant.ui.documents_tab import (
    TABLE_COLUMNS,
    copy_uploads,
    corpus_files,
    document_rows,
    render_ingest_report,
)
from assistant.ui.labels import label


def test_document_rows_show_metadata_and_index_status(assistant: Assistant) -> None:
    files = corpus_files(assistant.settings.corpus_dir) + ["ny.txt", "trasig.pdf"]
    rows = document_rows(
        files,
        assistant.manifest()["files"],
        assistant.chunks(),
        {"trasig.pdf": "corrupt or unreadable PDF"},
    )
    by_file = {row[0]: row for row in rows}
    enkoping = by_file["enkoping-strategi-samverkan-hsvo-2024-2026.txt"]
    assert enkoping[1:3] == ["Enköpings kommun", "Uppsala län"]
    assert "KS2024/286" in enkoping[6]
    assert enkoping[7] == "indexerad" and enkoping[8] == "txt"  # status, then what read it
    assert by_file["ny.txt"][7] == "inte indexerad"
    assert by_file["trasig.pdf"][7] == "hoppades över: corrupt or unreadable PDF"
    assert len(rows[0]) == len(TABLE_COLUMNS)


def test_uploads_are_copied_and_unsupported_files_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    good, bad = tmp_path / "in" / "beslut.txt", tmp_path / "in" / "program.exe"
    good.write_text("Text", encoding="utf-8")
    bad.write_bytes(b"MZ")
    copied, refused, _ = copy_uploads(
        [str(good), str(bad)], tmp_path / "corpus", upload_root=tmp_path
    )
    assert copied == [tmp_path / "corpus" / "beslut.txt"]
    assert copied[0].read_text(encoding="utf-8") == "Text"
    assert refused == {"program.exe": label("unsupported")}


def test_ingest_report_names_each_failed_file_with_its_reason() -> None:
    summary = IngestSummary(
        skipped=[SkippedFile("tom.txt", "the file is empty")], notes=["x.txt: decoded as cp1252"]
    )
    rendered = render_ingest_report(
        summary, ["ny.txt", "tom.txt"], {"program.exe": "filtypen stöds inte"}
    )
    assert "<li>ny.txt</li>" in rendered
    assert "<strong>tom.txt</strong>: the file is empty" in rendered
    assert "<strong>program.exe</strong>: filtypen stöds inte" in rendered
    assert "decoded as cp1252" in rendered


def _upload(tmp_path: Path, name: str, data: bytes) -> str:
    folder = tmp_path / "gradio-tmp" / str(len(list(tmp_path.glob("gradio-tmp/*"))))
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    return str(folder / name)


def test_a_same_name_upload_keeps_both_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "beslut.txt").write_text("Gammal text", encoding="utf-8")
    copied, refused, notes = copy_uploads(
        [_upload(tmp_path, "beslut.txt", b"Ny text")], corpus, upload_root=tmp_path
    )
    assert copied == [corpus / "beslut-2.txt"] and not refused
    assert (corpus / "beslut.txt").read_text(encoding="utf-8") == "Gammal text"
    assert (corpus / "beslut-2.txt").read_bytes() == b"Ny text"
    assert "beslut-2.txt" in notes[0]
    again, _, notes = copy_uploads(
        [_upload(tmp_path, "beslut.txt", b"Ny text")], corpus, upload_root=tmp_path
    )
    assert again == [corpus / "beslut-2.txt"] and not notes  # the same file again: no third copy
    assert sorted(p.name for p in corpus.iterdir()) == ["beslut-2.txt", "beslut.txt"]


def test_an_over_size_upload_leaves_nothing_behind(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    upload = _upload(tmp_path, "stor.txt", b"a" * (2 * 1024 * 1024))
    copied, refused, _ = copy_uploads([upload], corpus, max_mb=1, upload_root=tmp_path)
    assert copied == [] and "2.0 MB" in refused["stor.txt"]
    assert not (corpus / "stor.txt").exists()
    assert not Path(upload).exists()  # gradio's temporary copy is gone too


def test_every_upload_temp_copy_is_removed(tmp_path: Path) -> None:
    uploads = [_upload(tmp_path, "a.txt", b"Text"), _upload(tmp_path, "b.exe", b"MZ")]
    copy_uploads(uploads, tmp_path / "corpus", upload_root=tmp_path)
    assert not any(Path(u).exists() for u in uploads)
