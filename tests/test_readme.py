"""README examples cannot drift: every `$ assistant ask …` block is run and its output compared."""

import re
import shlex

from tests.conftest import ROOT, index_env, run_cli


def _examples() -> list[tuple[list[str], str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"```text\n(.*?)```", text, flags=re.S):
        first, _, expected = block.partition("\n")
        if first.startswith("$ assistant "):
            examples.append((shlex.split(first[2:])[1:], expected.rstrip("\n")))
    return examples


def test_readme_has_examples():
    assert len(_examples()) >= 2


def test_readme_examples_print_what_the_readme_shows(assistant):
    env = index_env(assistant.settings.corpus_dir, assistant.settings.index_dir)
    for args, expected in _examples():
        result = run_cli(*args, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.rstrip("\n") == expected, (
            f"README example drifted: assistant {' '.join(args)}"
        )
