"""Hostile files of issue #24, made on the spot (shared by tests/test_bad_inputs_hostile.py and
benchmarks/hostile.py): .docx zip bombs and Markdown lines that made parsing quadratic.

Each .docx is a real Word file made by python-docx with one answerable sentence, then repacked
with the bomb streamed in (nothing of it is ever held in memory here).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

MB = 1024 * 1024
SENTENCE = "Förvaltningen ska återkoppla till nämnden senast den 3 mars 2031."
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _base_docx(sentence: str = SENTENCE) -> dict[str, bytes]:
    import docx

    document = docx.Document()
    document.add_heading("Återkoppling", level=1)
    document.add_paragraph(sentence)
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as packed:
        return {name: packed.read(name) for name in packed.namelist()}


def _stream(member: zipfile.ZipFile, name: str, chunk: bytes, total: int) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with member.open(info, "w", force_zip64=True) as out:
        left = total
        while left > 0:
            out.write(chunk[: min(len(chunk), left)])
            left -= len(chunk)


def docx_with_media_bomb(path: Path, unpacked_mb: int = 3072) -> Path:
    """A .docx whose word/media/big.bin (zeros, deflated) is referenced from the document's
    relationships, so a reader that loads every part unpacks it (issue #24, case 2)."""
    parts = _base_docx()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdBig" Type="{_IMAGE_REL}" Target="media/big.bin"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", '<Default Extension="bin" ContentType="image/png"/></Types>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, data in parts.items():
            packed.writestr(name, data)
        _stream(packed, "word/media/big.bin", bytes(MB), unpacked_mb * MB)
    return path


def docx_with_whitespace_document(path: Path, unpacked_mb: int = 1536) -> Path:
    """A .docx whose word/document.xml is mostly whitespace between two elements (issue #24,
    case 3): valid XML that unpacks to ``unpacked_mb``."""
    parts = _base_docx()
    document = parts.pop("word/document.xml")
    cut = document.index(b"<w:body>") + len(b"<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, data in parts.items():
            packed.writestr(name, data)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with packed.open(info, "w", force_zip64=True) as out:
            out.write(document[:cut])
            left = unpacked_mb * MB
            while left > 0:
                out.write(b" " * min(MB, left))
                left -= MB
            out.write(document[cut:])
    return path


def plain_docx(path: Path, sentence: str = SENTENCE) -> Path:
    """A small ordinary .docx (the control: it must still be read)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, data in _base_docx(sentence).items():
            packed.writestr(name, data)
    return path


MARKDOWN_LINES = {
    # name -> (one unit, repeated to the line's length): each made the old regexes quadratic
    "brackets": "[",
    "image-brackets": "![",
    "emphasis": "**a ",
    "underscores": "_a ",
    "autolinks": "<http:",
    "link-targets": "[a](",
}


def markdown_with_line(path: Path, unit: str, chars: int) -> Path:
    """A .md file: a heading, the answerable sentence, then one hostile line of ``chars``."""
    line = unit * (chars // len(unit))
    path.write_text(f"# Återkoppling\n\n{SENTENCE}\n\n{line}\n", encoding="utf-8")
    return path


_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "seconds = time.perf_counter() - t\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "sys.stdout.buffer.write(done.stdout)\n"
    "sys.stderr.buffer.write(done.stderr)\n"
    "sys.stderr.write(f'\\n@@measured {peak:.1f} {seconds:.3f}\\n')\n"
    "sys.exit(done.returncode)\n"
)


def run_measured(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 600
) -> tuple[int, str, str, float, float]:
    """Run ``python -m assistant *args`` as the child of a fresh process, so its peak RSS
    (resource.getrusage of the children) is its own: (exit code, stdout, stderr, MB, seconds)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", "assistant", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )
    err = done.stderr.decode("utf-8", "replace")
    err, _, measured = err.rpartition("\n@@measured ")
    peak, seconds = (float(x) for x in measured.split())
    return done.returncode, done.stdout.decode("utf-8", "replace"), err, peak, seconds


def odt_with_media_bomb(path: Path, unpacked_mb: int = 1024) -> Path:
    """An .odt (odfpy) whose Pictures/big.png (zeros, deflated) is listed in its manifest, so
    odfpy's load() unpacks it into memory (the .odt form of issue #24, case 2)."""
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Återkoppling"))
    document.text.addElement(P(text=SENTENCE))
    out = io.BytesIO()
    document.write(out)
    with zipfile.ZipFile(out) as packed:
        parts = [(info, packed.read(info)) for info in packed.infolist()]
    entry = '<manifest:file-entry manifest:full-path="Pictures/big.png" manifest:media-type="image/png"/>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as repacked:
        for info, data in parts:
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b"</manifest:manifest>", entry.encode() + b"</manifest:manifest>"
                )
            repacked.writestr(info, data)
        _stream(repacked, "Pictures/big.png", bytes(MB), unpacked_mb * MB)
    return path
