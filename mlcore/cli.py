"""The `python -m mlcore` command line: JSON lines out, one per item, a stable contract."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from mlcore.matching.cli import configure_fit, configure_fit_pairs, configure_train_fit
from mlcore.matching.student import configure_distil_fit
from mlcore.models_cli import configure_models
from mlcore.sentiment.cli import configure_sentiment, configure_train_sentiment

# Each subcommand registers itself here: fit, fit-pairs, sentiment, train-fit and
# train-sentiment will add a (configure, run) pair without touching the others.
Command = Callable[[argparse.Namespace, TextIO], int]


def _emit(item: dict[str, object], out: TextIO) -> None:
    out.write(json.dumps(item, ensure_ascii=False) + "\n")
    out.flush()  # a consumer reading the pipe sees each file as soon as it is done


def _configure_parse(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from mlcore.parsing.resume import DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES, DEFAULT_TIME_BUDGET_S

    cmd = sub.add_parser(
        "parse",
        help="parse resume files (PDF, DOCX, text) into one JSON object per line",
        description="Parse resumes. A file that cannot be parsed gives a 'failed' line; "
        "the command goes on with the next one. Exit status 0, or 2 when a path was missing.",
    )
    cmd.add_argument("files", nargs="+", type=Path, metavar="FILE")
    cmd.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    cmd.add_argument("--max-pages", type=int, default=DEFAULT_MAX_PAGES)
    cmd.add_argument("--time-budget", type=float, default=DEFAULT_TIME_BUDGET_S, metavar="SECONDS")
    cmd.set_defaults(run=_run_parse)


def _run_parse(args: argparse.Namespace, out: TextIO) -> int:
    from mlcore.parsing import parse_resume
    from mlcore.parsing.results import ParsedResume
    from mlcore.parsing.resume import PARSER_VERSION

    missing = 0
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:  # missing or unreadable: a failed line, then the next file
            missing += isinstance(exc, FileNotFoundError | IsADirectoryError)
            reason = "no such file" if isinstance(exc, FileNotFoundError) else f"cannot read: {exc}"
            result = ParsedResume(status="failed", parser_version=PARSER_VERSION, error=reason)
        else:
            result = parse_resume(
                data,
                path.name,
                max_bytes=args.max_bytes,
                max_pages=args.max_pages,
                time_budget_s=args.time_budget,
            )
        _emit(result.to_json_dict(str(path)), out)
    if missing:
        # Every other file was still parsed; the status tells a shell script a path was wrong.
        print(f"mlcore parse: {missing} path(s) not found", file=sys.stderr)
        return 2
    return 0


_SUBCOMMANDS = [
    _configure_parse,
    configure_fit,
    configure_fit_pairs,
    configure_train_fit,
    configure_distil_fit,
    configure_sentiment,
    configure_train_sentiment,
    configure_models,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mlcore", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for configure in _SUBCOMMANDS:
        configure(sub)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args, out or sys.stdout))
