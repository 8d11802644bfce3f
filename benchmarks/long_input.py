"""Long-input benchmark: reading, structure parsing and splitting of one long text, for sizes that
grow 5x, so linear and quadratic time can be told apart (issue #12: a 5 MB one-line text did not
finish in 10 minutes). Metadata (the gazetteer scan) is left out: it is measured elsewhere.

Run: python benchmarks/long_input.py   (writes benchmarks/long_input_results.json, prints a table)
Target: time grows about linearly with size (ratio 5x size -> under ~8x time); every chunk part
stays within 1.5 x max_chunk_chars.
"""

from __future__ import annotations

import json
import platform
import tempfile
import time
from pathlib import Path

from assistant.ingest.chunking import _split
from assistant.ingest.readers import read_source
from assistant.ingest.structure import parse

UNITS = {
    "sentences": "Förvaltningen ska återkoppla till nämnden senast i mars. ",
    "no-sentence-ends": "förvaltningen ska återkoppla till nämnden senast i mars och ",
}
SIZES_MB = (0.2, 1.0, 5.0)
MAX_CHARS = 1200


def measure(kind: str, mb: float, folder: Path) -> dict[str, object]:
    size = int(mb * 1024 * 1024)
    unit = UNITS[kind]
    path = folder / f"{kind}-{mb}.txt"
    path.write_text((unit * (size // len(unit) + 1))[:size], encoding="utf-8")
    started = time.perf_counter()
    source = read_source(path, path.name, max_mb=50)
    _, sections = parse(source)
    parts = [part for section in sections for part in _split(section, MAX_CHARS)]
    seconds = time.perf_counter() - started
    longest = max(sum(len(t) + 1 for t, *_ in part) - 1 for part in parts)
    return {
        "kind": kind,
        "mb": mb,
        "seconds": round(seconds, 2),
        "parts": len(parts),
        "longest": longest,
    }


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in UNITS:
            for mb in SIZES_MB:
                row = measure(kind, mb, Path(tmp))
                rows.append(row)
                print(
                    f"{kind:<18} {mb:>4} MB  {row['seconds']:>7} s  {row['parts']:>6} parts  longest {row['longest']}"
                )
    out = Path(__file__).with_name("long_input_results.json")
    out.write_text(
        json.dumps(
            {"machine": platform.platform(), "cpus": __import__("os").cpu_count(), "rows": rows},
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
