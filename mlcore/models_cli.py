"""`python -m mlcore models list | activate | rollback | build-runtime`: the model registry
by command."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from mlcore.registry import TASKS, Registry, RegistryError


def configure_models(sub: Any) -> None:
    cmd = sub.add_parser("models", help="list, activate or roll back registered models")
    actions = cmd.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="versions per task, the active one marked")
    listing.add_argument("task", nargs="?", choices=TASKS)
    act = actions.add_parser("activate", help="make a version the active one")
    act.add_argument("task", choices=TASKS)
    act.add_argument("version")
    act.add_argument("--force", action="store_true", help="activate a fit version the gate refuses")
    act.add_argument("--reason", help="why (required with --force; kept in the model card)")
    back = actions.add_parser("rollback", help="re-activate the previously active version")
    back.add_argument("task", choices=TASKS)
    build = actions.add_parser(
        "build-runtime",
        help="build a fit version's int8 ONNX file into the cache now (else on first use)",
    )
    build.add_argument("version", nargs="?", help="default: the active fit version")
    cmd.set_defaults(run=_run_models)


def _build_runtime(version: str | None, out: TextIO) -> None:
    import time

    from mlcore.matching import FitModel
    from mlcore.matching.runtime import ONNX_INT8

    started = time.perf_counter()
    model = FitModel.load(version, runtime=ONNX_INT8)
    row: dict[str, Any] = {"task": "fit", "version": model.version, "runtime": ONNX_INT8}
    if model.uses_onnx:
        row["path"] = str(getattr(model.stacks(), "path", ""))
    else:
        row["note"] = "one encoder (not a blend): it runs in torch, nothing to build"
    row["seconds"] = round(time.perf_counter() - started, 1)
    out.write(json.dumps(row) + "\n")


def _run_models(args: argparse.Namespace, out: TextIO) -> int:
    registry = Registry()
    try:
        if args.action == "activate":
            if args.force and not (args.reason or "").strip():
                raise RegistryError("--force needs --reason: say why the gate is overridden.")
            reason = args.reason.strip() if args.force and args.reason else None
            chosen = registry.activate(args.task, args.version, gate=True, force_reason=reason)
            out.write(json.dumps({"task": args.task, "active": chosen.version}) + "\n")
        elif args.action == "build-runtime":
            _build_runtime(args.version, out)
        elif args.action == "rollback":
            chosen = registry.rollback(args.task)
            out.write(json.dumps({"task": args.task, "active": chosen.version}) + "\n")
        else:
            for task in [args.task] if args.task else TASKS:
                try:
                    active = registry.active(task).version
                except RegistryError:
                    active = None
                for v in registry.versions(task):
                    row = {"task": task, "version": v.version, "active": v.version == active}
                    row["created_at"] = v.meta.get("created_at")
                    out.write(json.dumps(row) + "\n")
    except RegistryError as exc:
        import sys

        print(f"mlcore models: {exc}", file=sys.stderr)
        return 2
    return 0
