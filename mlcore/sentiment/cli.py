"""`python -m mlcore sentiment` and `python -m mlcore train-sentiment`: JSON lines in and out."""

from __future__ import annotations

import argparse
import io
import json
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

DEFAULT_BATCH = 32


def _emit(item: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(item, ensure_ascii=False) + "\n")


def configure_sentiment(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser(
        "sentiment",
        help="sentiment, topics (and explanations) for one text per line on stdin",
        description="Reads one text per line on standard input and prints one JSON line per "
        'input line, in order: {"label", "probs", "topics", "model_version"}; --explain adds '
        '"attributions". An empty line gives an error line and the others go on; exit 0.',
    )
    cmd.add_argument("--explain", action="store_true", help="add word attributions (slower)")
    cmd.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, metavar="N")
    cmd.add_argument("--model-version", default=None, help="a registry version (default: active)")
    cmd.set_defaults(run=run_sentiment)


def _stdin() -> TextIO:
    # Bad bytes in one answer must not stop the stream: replace them rather than crash.
    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")


def _batches(lines: TextIO, size: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        batch.append((number, line.rstrip("\r\n")))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_sentiment(args: argparse.Namespace, out: TextIO, stdin: TextIO | None = None) -> int:
    from mlcore import encoder
    from mlcore.registry import RegistryError
    from mlcore.sentiment.model import SentimentError, get_model

    encoder.set_threads()
    if args.batch_size < 1:
        print("mlcore sentiment: --batch-size must be at least 1", file=sys.stderr)
        return 2
    try:
        model = get_model(args.model_version)
    except (RegistryError, SentimentError) as exc:
        print(f"mlcore sentiment: {exc}", file=sys.stderr)
        return 1
    for batch in _batches(stdin or _stdin(), args.batch_size):
        texts = [(n, t) for n, t in batch if t.strip()]
        results = (
            iter(model.predict([t for _, t in texts], explain=args.explain)) if texts else None
        )
        for number, text in batch:
            if text.strip():
                _emit(next(results).to_json_dict(), out)  # type: ignore[arg-type]
            else:
                _emit(
                    {
                        "error": f"empty text on line {number}",
                        "line": number,
                        "label": None,
                        "probs": None,
                        "topics": [],
                        "model_version": model.version,
                    },
                    out,
                )
        out.flush()  # a consumer reading the pipe gets each batch as soon as it is done
    return 0


def configure_train_sentiment(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from mlcore.sentiment.data import default_data_path

    cmd = sub.add_parser(
        "train-sentiment",
        help="fine-tune the sentiment model on the shared employee reviews and register it",
        description="Fine-tunes LoRA adapters + a head on the training split, calibrates on "
        "validation, measures the held-out split and writes a registry version. Progress bars "
        "on stderr; one JSON summary line on stdout.",
    )
    cmd.add_argument(
        "--data", type=Path, default=None, help=f"CSV (default: {default_data_path()})"
    )
    cmd.add_argument(
        "--recipe",
        choices=("workplace", "indeed-cv"),
        default="workplace",
        help="workplace corpus, one member (default) or the Indeed reviews' K-fold ensemble",
    )
    cmd.add_argument("--epochs", type=int, default=None, help="per member (default: 1)")
    cmd.add_argument(
        "--folds", type=int, default=None, help="indeed-cv ensemble members (default: 5)"
    )
    cmd.add_argument("--seed", type=int, default=None)
    cmd.add_argument("--out-version", default=None, help="version name (default: a timestamp)")
    cmd.add_argument(
        "--activate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="make it the active sentiment model (default: yes)",
    )
    cmd.add_argument("--device", default=None, help="cpu, cuda, ... (default: GPU when present)")
    _add_corpus_options(cmd)
    cmd.add_argument(
        "--negative-beta",
        type=float,
        default=None,
        help="the decision biases count the negative class by its F-beta (default: 1, F1)",
    )
    cmd.add_argument(
        "--join",
        action="append",
        default=None,
        metavar="VERSION",
        help="no training: an ensemble of these workplace versions' members, calibrated "
        "afresh on the validation employers (give two or more)",
    )
    cmd.set_defaults(run=run_train_sentiment)


def _add_corpus_options(cmd: argparse.ArgumentParser) -> None:
    """The workplace corpus's sizes and extra sources (mlcore.sentiment.corpus)."""
    cmd.add_argument(
        "--per-source",
        type=int,
        default=None,
        metavar="N",
        help="workplace: rows per source at most, label-balanced (default: 2500)",
    )
    cmd.add_argument(
        "--fragments",
        type=int,
        default=None,
        metavar="N",
        help="workplace: Glassdoor pros and cons sentences of each polarity (default: 1250)",
    )
    cmd.add_argument(
        "--mixed",
        type=int,
        default=None,
        metavar="N",
        help="workplace: mixed 'pros, but cons' answers to add (default: 2500; 0: none)",
    )
    cmd.add_argument(
        "--extra",
        type=int,
        default=None,
        metavar="N",
        help="workplace: label-balanced rows of each training-only extra source (complaint "
        "and sarcastic tweets, shared/data/sentiment_extra) to add (default: 0, none)",
    )
    cmd.add_argument(
        "--extra-source",
        action="append",
        choices=("complaints", "sarcasm"),
        default=None,
        help="with --extra: only this extra source (repeat for several; default: all)",
    )


def run_train_sentiment(args: argparse.Namespace, out: TextIO) -> int:
    from dataclasses import replace

    from mlcore.registry import RegistryError
    from mlcore.sentiment.train import TrainConfig, train

    config = TrainConfig(recipe=args.recipe)
    if args.epochs is not None:
        if args.epochs < 1:
            print("mlcore train-sentiment: --epochs must be at least 1", file=sys.stderr)
            return 2
        config = replace(config, epochs=args.epochs)
    if args.folds is not None:
        if args.folds < 2:
            print("mlcore train-sentiment: --folds must be at least 2", file=sys.stderr)
            return 2
        config = replace(config, folds=args.folds)
    if args.seed is not None:
        config = replace(config, seed=args.seed)
    for name in ("per_source", "fragments", "mixed", "extra"):
        value = getattr(args, name)
        if value is not None:
            if value < 0:
                flag = name.replace("_", "-")
                print(f"mlcore train-sentiment: --{flag} must be 0 or more", file=sys.stderr)
                return 2
            config = replace(config, **{name: value})
    if args.extra_source:
        config = replace(config, extra_sources=tuple(dict.fromkeys(args.extra_source)))
    if args.negative_beta is not None:
        if args.negative_beta <= 0:
            print("mlcore train-sentiment: --negative-beta must be positive", file=sys.stderr)
            return 2
        config = replace(config, negative_beta=args.negative_beta)
    command = "python -m mlcore " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    if args.join:
        return _run_join(args, config, command, out)
    try:
        outcome = train(
            data=args.data,
            config=config,
            version=args.out_version,
            activate=args.activate,
            device=args.device,
            command=command,
        )
    except (FileNotFoundError, RegistryError) as exc:
        print(f"mlcore train-sentiment: {exc}", file=sys.stderr)
        return 2
    meta = outcome.meta
    _emit(
        {
            "version": outcome.version,
            "path": str(outcome.path),
            "activated": outcome.activated,
            "seconds": round(outcome.seconds, 1),
            "torch_threads": meta["training"]["torch_threads"],
            "folds": meta["training"]["folds"],
            "out_of_fold": meta["metrics"]["out_of_fold"],
            "temperature": meta["calibration"]["temperature"],
            "held_out": meta["metrics"]["held_out"],
        },
        out,
    )
    return 0


def _run_join(args: argparse.Namespace, config: Any, command: str, out: TextIO) -> int:
    from mlcore.registry import RegistryError
    from mlcore.sentiment.join import describe, join

    try:
        outcome = join(
            args.join,
            config=config,
            version=args.out_version,
            activate=args.activate,
            command=command,
        )
    except RegistryError as exc:
        print(f"mlcore train-sentiment: {exc}", file=sys.stderr)
        return 2
    _emit(describe(outcome), out)
    return 0


SUBCOMMANDS = (configure_sentiment, configure_train_sentiment)
