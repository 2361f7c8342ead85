"""`python -m mlcore fit | fit-pairs | train-fit`: the fit model as a command line."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any, TextIO

PAIR_BATCH = 64


def _emit(item: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(item, ensure_ascii=False) + "\n")
    out.flush()


def _read_text(path: Path) -> tuple[str | None, str | None]:
    """(text, error) for any file the resume parser reads."""
    from mlcore.parsing import parse_resume

    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, "no such file" if isinstance(exc, FileNotFoundError) else str(exc)
    result = parse_resume(data, path.name)
    if not result.ok:
        return None, result.error
    return result.text, None


# --- fit --------------------------------------------------------------------------------


def configure_fit(sub: Any) -> None:
    cmd = sub.add_parser(
        "fit",
        help="score resume files against a job file (0-100), one JSON line per resume",
        description="Score resumes (PDF, DOCX, text) against a job description file.",
    )
    cmd.add_argument("--job", required=True, type=Path, help="job description file")
    cmd.add_argument("resumes", nargs="+", type=Path, metavar="RESUME_FILE")
    cmd.add_argument("--model-version", help="a registered fit model version (default: active)")
    cmd.set_defaults(run=_run_fit)


def _run_fit(args: argparse.Namespace, out: TextIO) -> int:
    from mlcore.matching import get_fit_model

    job_text, error = _read_text(args.job)
    if job_text is None:
        print(f"mlcore fit: cannot read the job file {args.job}: {error}", file=sys.stderr)
        return 2
    model = get_fit_model(args.model_version)
    texts: list[tuple[Path, str]] = []
    failed: dict[Path, str] = {}
    for path in args.resumes:
        text, error = _read_text(path)
        if text is None:
            failed[path] = error or "cannot read"
        else:
            texts.append((path, text))
    results = iter(model.score(job_text, [t for _, t in texts]))
    readable = {p for p, _ in texts}
    for path in args.resumes:
        if path in readable:
            _emit({"file": str(path), **next(results).to_json_dict(), "error": None}, out)
        else:
            _emit(
                {
                    "file": str(path),
                    "score": None,
                    "model_version": model.version,
                    "matched_skills": [],
                    "missing_skills": [],
                    "error": failed[path],
                },
                out,
            )
    return 0


# --- fit-pairs --------------------------------------------------------------------------


def configure_fit_pairs(sub: Any) -> None:
    cmd = sub.add_parser(
        "fit-pairs",
        help='score JSON lines {"job_text": ..., "resume_text": ...} from standard input',
        description="Read JSON lines of job/resume texts; print one score line each, in order.",
    )
    cmd.add_argument("--model-version", help="a registered fit model version (default: active)")
    cmd.add_argument("--batch-size", type=int, default=PAIR_BATCH)
    cmd.set_defaults(run=_run_fit_pairs)


def _pair_of(line: str) -> tuple[str, str]:
    item = json.loads(line)
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object")
    job, resume = item.get("job_text"), item.get("resume_text")
    if not isinstance(job, str) or not job.strip():
        raise ValueError('"job_text" must be a non-empty string')
    if not isinstance(resume, str) or not resume.strip():
        raise ValueError('"resume_text" must be a non-empty string')
    return job, resume


def _run_fit_pairs(args: argparse.Namespace, out: TextIO, stdin: TextIO | None = None) -> int:
    from mlcore.matching import get_fit_model

    model = get_fit_model(args.model_version)
    pending: list[tuple[int, tuple[str, str] | str]] = []

    def flush() -> None:
        good = [(i, p) for i, p in pending if isinstance(p, tuple)]
        scores = iter(model.score_pairs([p for _, p in good])) if good else iter(())
        for number, item in pending:
            if isinstance(item, tuple):
                _emit({"score": next(scores), "model_version": model.version}, out)
            else:  # one bad line never stops the rest
                _emit(
                    {"score": None, "model_version": model.version, "error": item, "line": number},
                    out,
                )
        pending.clear()

    for number, line in enumerate(stdin or sys.stdin, start=1):
        if not line.strip():
            pending.append((number, f"empty line {number}"))
        else:
            try:
                pending.append((number, _pair_of(line)))
            except ValueError as exc:  # json.JSONDecodeError is a ValueError
                pending.append((number, f"line {number}: {exc}"))
        if len(pending) >= args.batch_size:
            flush()
    flush()
    return 0


# --- train-fit --------------------------------------------------------------------------


def configure_train_fit(sub: Any) -> None:
    cmd = sub.add_parser(
        "train-fit",
        help="fine-tune the fit model and register it",
        description="Fine-tune LoRA adapters + head on MiniLM for job–resume fit.",
    )
    cmd.add_argument("--epochs", type=int, default=8)
    cmd.add_argument("--seed", type=int, default=13)
    cmd.add_argument("--version", help="name of the new version (default: fit-<timestamp>)")
    cmd.add_argument("--device", help="cpu or cuda (default: cuda when present)")
    cmd.add_argument(
        "--outcomes",
        type=Path,
        help='JSON lines {"job_text", "resume_text", "label": true|false} from hiring history',
    )
    cmd.add_argument("--no-activate", action="store_true", help="register without activating")
    cmd.add_argument("--quiet", action="store_true", help="no progress bars")
    cmd.set_defaults(run=_run_train_fit)


def read_outcomes(path: Path) -> list[tuple[str, str, bool]]:
    pairs = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        try:
            pairs.append((item["job_text"], item["resume_text"], bool(item["label"])))
        except KeyError as exc:
            raise SystemExit(f"{path}:{number}: missing {exc}") from exc
    return pairs


def run_training(
    *,
    epochs: int,
    seed: int,
    version: str | None,
    device: str | None,
    extra_pairs: list[tuple[str, str, bool]],
    activate: bool,
    progress: bool,
    command: str,
) -> dict[str, Any]:
    """Train, evaluate on the held-out test sets, write the card, register (and activate)."""
    from mlcore.registry import Registry

    from .card import write_model_card
    from .train import TrainConfig, train_fit

    registry = Registry()
    version, path = registry.new_version_dir("fit", version)
    config = TrainConfig(epochs=epochs, seed=seed, device=device, extra_pairs=extra_pairs)
    report = train_fit(out_dir=path, version=version, config=config, progress=progress)
    meta = json.loads((path / "meta.json").read_text())
    meta["test_metrics"] = evaluate_version(path)
    meta["command"] = command
    (path / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    write_model_card(path, meta, command)
    refused: list[str] = []
    if activate:
        # A new version goes live only through the gate: it has no OOD evaluation yet, so it
        # stays registered until `bench.fit_eval --record` shows it is not worse than
        # zero-shot (then `models activate fit VERSION`).
        from .gate import failures

        refused = failures(path)
        if not refused:
            registry.activate("fit", version)
    return {
        "version": version,
        "path": str(path),
        "active": activate and not refused,
        "gate": refused,
        "seconds": round(report.seconds, 1),
        "best_epoch": report.best_epoch,
        "test_metrics": meta["test_metrics"],
    }


def evaluate_version(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    from .artefacts import embed_texts, zero_shot_encoder
    from .evaluation import bm25_scorer, embedding_scorer, evaluate, held_out_sets
    from .model import FitModel
    from .text import prepare_job, prepare_resume

    model = FitModel.from_path(path)
    zero = zero_shot_encoder()
    scorers = {
        "BM25": bm25_scorer,
        "zero-shot MiniLM": embedding_scorer(
            lambda t: embed_texts(zero, [prepare_job(x) for x in t], model.max_length),
            lambda t: embed_texts(zero, [prepare_resume(x) for x in t], model.max_length),
        ),
        "fine-tuned": embedding_scorer(model.embed_jobs, model.embed_resumes),
    }
    return {s.name: {n: evaluate(f, s) for n, f in scorers.items()} for s in held_out_sets()}


def _run_train_fit(args: argparse.Namespace, out: TextIO) -> int:
    summary = run_training(
        epochs=args.epochs,
        seed=args.seed,
        version=args.version,
        device=args.device,
        extra_pairs=read_outcomes(args.outcomes) if args.outcomes else [],
        activate=not args.no_activate,
        progress=not args.quiet,
        command="python -m mlcore " + shlex.join(sys.argv[1:]),
    )
    _emit(summary, out)
    return 0
