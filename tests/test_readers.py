"""Readers on real files: the bundled text, real PDF and DOCX output, and broken input."""

from pathlib import Path

import pytest

from assistant.errors import UnreadableFile
from assistant.ingest.readers import read_source
from tests.conftest import CORPUS, DATA


def test_text_file_keeps_lines_one_based():
    source = read_source(CORPUS / "alingsas-fardplan-god-och-nara-vard-remissvar.txt", "a.txt")
    assert source.lines[2] == "Datum: 2021-12-01"  # line 3 in an editor
    assert source.pages is None


def test_pdf_keeps_page_of_every_line():
    source = read_source(DATA / "enkoping-strategi-samverkan-hsvo-2024-2026.pdf", "e.pdf")
    assert source.kind == "pdf"
    assert source.pages is not None and max(source.pages) >= 10
    line = next(i for i, text in enumerate(source.lines) if text.startswith("Missiv, Strategi"))
    assert source.page_of(line + 1) >= 1


def test_docx_marks_no_false_headings_and_reads_text():
    source = read_source(
        DATA / "vasterbotten-fardplan-nara-vard-2030-rekommendation.docx", "v.docx"
    )
    assert any("2023-08-31" in line for line in source.lines)


def test_cp1252_text_is_decoded_with_a_note(tmp_path: Path):
    path = tmp_path / "gammal.txt"
    path.write_bytes(
        "Förslag till beslut\n\nKommunstyrelsen beslutar att anta strategin.".encode("cp1252")
    )
    source = read_source(path, "gammal.txt")
    assert source.lines[0] == "Förslag till beslut"
    assert source.notes == ("decoded as cp1252 (not UTF-8)",)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("tom.txt", b"", "empty"),
        ("blank.md", b"   \n\n \t", "no text"),
        ("bild.txt", bytes(range(256)) * 20, "binary"),
        ("trasig.pdf", b"%PDF-1.4\n garbage that is not a pdf", "PDF"),
        ("trasig.docx", b"PK\x03\x04 not a real zip", "DOCX"),
    ],
)
def test_bad_files_raise_a_reason(tmp_path: Path, name: str, content: bytes, reason: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason):
        read_source(path, name)


def test_encrypted_pdf_says_so(tmp_path: Path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(DATA / "alingsas-fardplan-god-och-nara-vard-remissvar.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="hemligt", owner_password="hemligt")
    path = tmp_path / "krypterad.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(UnreadableFile, match="encrypted"):
        read_source(path, "krypterad.pdf")


def test_too_large_file_names_the_limit(tmp_path: Path):
    path = tmp_path / "stor.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(UnreadableFile, match="too large"):
        read_source(path, "stor.txt", max_mb=20)


def _read(tmp_path: Path, raw: bytes, name: str = "t.txt"):
    path = tmp_path / name
    path.write_bytes(raw)
    return read_source(path, name)


TEXT = "Förvaltningen ska återkoppla senast 2024-03-15.\nÄrendet gäller Gävleborg.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_a_bom_decides_the_encoding(tmp_path: Path, encoding: str):
    raw = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    assert _read(tmp_path, raw).lines[:2] == tuple(TEXT.splitlines())


def test_one_stray_byte_garbles_only_its_own_line(tmp_path: Path):
    raw = TEXT.encode("utf-8") + "Gävle kommun\n".encode("cp1252") + "Sista raden här.\n".encode()
    source = _read(tmp_path, raw)
    assert source.lines[:4] == (*TEXT.splitlines(), "Gävle kommun", "Sista raden här.")
    assert "line 3" in source.notes[0]


@pytest.mark.parametrize(
    "raw",
    [bytes(range(128, 256)) * 40, bytes([0xC3, 0x28, 0xE9, 0x80]) * 500, b"\x1b\x07" * 400],
    ids=["high-bytes", "broken-utf8", "escapes"],
)
def test_mostly_unprintable_text_is_refused(tmp_path: Path, raw: bytes):
    with pytest.raises(UnreadableFile, match="text"):
        _read(tmp_path, raw)
