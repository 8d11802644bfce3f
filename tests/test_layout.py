"""The package's layout is its pipeline: each folder imports only from folders before it.

language → store → ingest → search → answer → service → drafting, generate → evaluation, ui → cli,
with the
base modules (config, errors, documents, messages) below everything. Imports inside functions
(the lazy ones) count too.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
ORDER = (
    ("config", "errors", "documents", "messages"),
    ("language",),
    ("store",),
    ("ingest",),
    ("search",),
    ("answer",),
    ("service", "__init__"),
    ("drafting", "generate"),
    ("evaluation", "ui"),
    ("cli", "__main__"),
)
LEVEL = {name: n for n, names in enumerate(ORDER) for name in names}


def _unit(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    return rel.parts[0]


def _imported_units(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("assistant"):
            if node.module == "assistant":
                found |= {alias.name for alias in node.names}
            else:
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("assistant.")}
    return found


def test_every_module_belongs_to_a_known_stage():
    units = {_unit(p) for p in PACKAGE.rglob("*.py")}
    assert units <= set(LEVEL), f"unplaced: {sorted(units - set(LEVEL))}"


def test_no_import_runs_back_up_the_pipeline():
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _unit(path)
        for other in _imported_units(path) - {me}:
            assert LEVEL[other] <= LEVEL[me] or (me, other) == ("__init__", "service"), (
                f"{path.relative_to(PACKAGE)} ({me}) imports {other}, a later stage"
            )


def test_no_module_is_much_over_300_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 330
    }
    assert not long, f"split these modules: {long}"
