"""`python -m mlcore models list | activate | rollback`: the model registry by command."""

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
    cmd.set_defaults(run=_run_models)


def _run_models(args: argparse.Namespace, out: TextIO) -> int:
    registry = Registry()
    try:
        if args.action == "activate":
            if args.force and not (args.reason or "").strip():
                raise RegistryError("--force needs --reason: say why the gate is overridden.")
            reason = args.reason.strip() if args.force and args.reason else None
            chosen = registry.activate(args.task, args.version, gate=True, force_reason=reason)
            out.write(json.dumps({"task": args.task, "active": chosen.version}) + "\n")
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
