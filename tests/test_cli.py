"""The CLI as a user runs it: exit codes and messages."""

import json

from tests.conftest import run_cli


def test_ask_json_prints_one_object_per_question_in_order(shared_index_env):
    result = run_cli(
        "ask",
        "--json",
        "När ska återkoppling skickas?",
        "Vad heter Norges huvudstad?",
        env=shared_index_env,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["question"] for x in lines] == [
        "När ska återkoppling skickas?",
        "Vad heter Norges huvudstad?",
    ]
    assert lines[0]["abstained"] is False and lines[1]["abstained"] is True


def test_ask_prints_sources_for_people(shared_index_env):
    result = run_cli("ask", "Vem är handläggare för remissvaret i Alingsås?", env=shared_index_env)
    assert result.returncode == 0
    assert "Elisabeth Olsson" in result.stdout and "Källor:" in result.stdout


def test_ask_follow_up_reads_the_question_with_the_previous_one(shared_index_env):
    previous = "Vem är handläggare för remissvaret i Alingsås?"
    followed = run_cli(
        "ask", "--json", "--follow-up", previous, "och i Enköping?", env=shared_index_env
    )
    whole = run_cli(
        "ask", "--json", "Vem är handläggare för remissvaret i Enköping?", env=shared_index_env
    )
    assert followed.returncode == whole.returncode == 0, followed.stderr + whole.stderr
    answer, direct = json.loads(followed.stdout), json.loads(whole.stdout)
    assert answer["question"] == "Vem är handläggare för remissvaret i Enköping?"
    # The follow-up is answered exactly as the whole question would be.
    assert answer["answer"] == direct["answer"]
    assert answer["citations"] == direct["citations"]
    # Without --follow-up the same words are a question of their own.
    alone = json.loads(run_cli("ask", "--json", "och i Enköping?", env=shared_index_env).stdout)
    assert alone["question"] == "och i Enköping?"


def test_retrieve_json_shows_scores_and_metadata(shared_index_env):
    result = run_cli("retrieve", "--json", "-k", "3", "kompetensförsörjning", env=shared_index_env)
    data = json.loads(result.stdout)
    assert len(data["chunks"]) == 3
    assert {"bm25", "dense", "rrf"} & set(data["chunks"][0]["scores"])
    assert data["chunks"][0]["metadata"]["doc_type"]


def test_empty_question_is_an_error_with_a_message(shared_index_env):
    result = run_cli("ask", "   ", env=shared_index_env)
    assert result.returncode == 1
    assert "error: the question is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_an_index_it_says_to_ingest(tmp_path):
    result = run_cli("ask", "När?", env={"ASSISTANT_INDEX_DIR": str(tmp_path / "none")})
    assert result.returncode == 1
    assert "run `assistant ingest` first" in result.stderr


def test_unknown_model_fails_with_what_to_install(tmp_path, corpus_copy):
    result = run_cli(
        "--model",
        "no-such/model",
        "ingest",
        env={
            "ASSISTANT_CORPUS_DIR": str(corpus_copy),
            "ASSISTANT_INDEX_DIR": str(tmp_path / "i"),
        },
    )
    assert result.returncode == 1
    assert "not available offline" in result.stderr and "pip install" in result.stderr
