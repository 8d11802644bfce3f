"""The package's layout is its pipeline: each folder imports only from folders before it.

language → store → ingest → search → answer → service → drafting, generate → evaluation, ui → cli,
with the
base modules (config, errors, documents, answers, messages) below everything. Imports inside functions
(the lazy ones) count too.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
ORDER = (
    ("config", "errors", "documents", "answers", "messages"),
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


# --- Question first: after answer/question/ understood a question, nothing reads its text --------
# Modules after the question step: they read the Question, never the text it came from.
AFTER_QUESTION = ("search", "answer", "generate", "service.py")
# Calls that analyse text: every function language/ offers, the question-reading functions of
# answer/ and search/, and the regex and string methods a module could re-read a text with.
_ANALYSERS = {"answer_type", "counted_word", "named_doc_types", "question_words"}
_TEXT_METHODS = {"find", "findall", "finditer", "search", "match", "fullmatch", "split", "sub"}
_TEXT_METHODS |= {"lower", "casefold"}
# Expressions that are a question's text: question.text / question.topic, result.question, or a
# parameter named question that is a string.
_QUESTION_NAMES = {"question", "q", "asked", "region"}


def _is_question_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id == "question"
    if isinstance(node, ast.Attribute):
        if node.attr == "question":
            return True  # result.question: the text a retrieval was for
        return (
            node.attr in {"text", "topic", "typed"}
            and isinstance(node.value, ast.Name)
            and node.value.id in _QUESTION_NAMES
        )
    return False


def question_text_readers(source: str, where: str = "") -> list[str]:
    """Each call in ``source`` that analyses a question's text: "where:line call"."""
    tree = ast.parse(source)
    analysers = set(_ANALYSERS)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "assistant.language"
        ):
            analysers |= {alias.asname or alias.name for alias in node.names}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        read: list[ast.AST] = []
        if isinstance(func, ast.Name) and func.id in analysers:
            read = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(func, ast.Attribute) and func.attr in _TEXT_METHODS:
            if isinstance(func.value, ast.Name) and func.value.id == "self":
                continue  # a method of ours named like one of str's ("self.search")
            read = [func.value, *node.args]
        if any(_is_question_text(arg) for arg in read):
            found.append(f"{where}:{node.lineno} {ast.unparse(node)}")
    return found


def _after_question_modules(package: Path) -> list[Path]:
    out = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if rel.parts[0] not in AFTER_QUESTION or rel.parts[:2] == ("answer", "question"):
            continue
        if rel.parts == ("answer", "question.py"):  # where the question was parsed before
            continue
        # subtle: answer_type and counted_word are the question step's (parse.py calls them);
        # they live beside holds_type, which reads spans with the same words.
        if rel.parts == ("answer", "answertypes.py"):
            continue
        out.append(path)
    return out


def test_no_step_after_the_question_reads_its_text():
    found = [
        hit
        for path in _after_question_modules(PACKAGE)
        for hit in question_text_readers(
            path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE))
        )
    ]
    assert not found, f"read the Question instead of its text: {found}"


@pytest.mark.parametrize(
    "source",
    [
        "from assistant.language.text import is_swedish\nis_swedish(result.question)\n",
        "from assistant.language.analysis import analyze\nanalyze(question.topic)\n",
        "from assistant.language.places import gazetteer\ngazetteer().find(question)\n",
        "_WORD.findall(question.text)\n",
        "from assistant.answer.question.content import named_doc_types\nnamed_doc_types(question)\n",
        "bodies = [b for b in BODY_WORDS if b in question.lower()]\n",
    ],
)
def test_the_check_finds_a_step_that_reads_the_question_text(source):
    assert question_text_readers(source)


def test_the_check_lets_a_step_read_a_span_or_the_question_object():
    source = (
        "from assistant.language.analysis import analyze\n"
        "analyze(cand.text)\nchoose(question, scored)\nanalyze(question.topic_terms)\n"
    )
    assert question_text_readers(source) == []
