"""`python manage.py import_resumes PATH... [--job ID]`: bulk import with progress and summary."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.commands import command_user
from core.roles import Role
from recruiting import services
from recruiting.models import Job, UploadBatch, UploadItem
from recruiting.selectors.uploads import FINAL_STATUSES, upload_items, upload_summary
from recruiting.services.ingestion import upload_item_stuck_reason


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder.")
    return found


class Command(BaseCommand):
    help = "Import resume files or folders: store, parse, and create or update candidates."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
        parser.add_argument("--job", type=int, help="apply every candidate to this job (its id)")
        parser.add_argument(
            "--user", help="recruiter account recorded as the uploader (default: the first one)"
        )
        parser.add_argument(
            "--no-wait", action="store_true", help="with a broker: do not wait for the workers"
        )
        parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait at most")
        parser.add_argument(
            "--item-timeout",
            type=int,
            default=300,
            help="seconds after which a file parsing (or queued with no progress) is reported "
            "as stuck and no longer waited for (default 300: above the parse time limit)",
        )

    def handle(self, *args, **options):
        files = _files(options["paths"])
        if not files:
            raise CommandError("No files found.")
        job = None
        if options["job"] is not None:
            job = Job.objects.filter(pk=options["job"]).first()
            if job is None:
                raise CommandError(f"No job with id {options['job']}.")
        by = command_user(options["user"], Role.RECRUITER)
        batch = services.upload_batch_create(by=by, source=UploadBatch.Source.COMMAND, job=job)

        for path in tqdm(files, desc="upload", unit="file"):
            # A zip archive opens into its files, as on the portal (docs/parsing.md).
            services.upload_receive(batch=batch, data=path.read_bytes(), filename=path.name)
        stuck: dict[int, str] = {}
        if not options["no_wait"]:
            stuck = self._wait(batch, options["timeout"], options["item_timeout"])
        self._summary(batch, stuck)

    def _wait(self, batch: UploadBatch, timeout: int, item_timeout: int) -> dict[int, str]:
        """With real workers, parsing goes on after upload: follow it with a second bar.

        Stops early when every unfinished file is stuck (returns their reasons by item id):
        one file that hangs a worker must not hold the command for the whole timeout.
        """
        items = list(upload_items(batch=batch))
        summary = upload_summary(items)
        if summary["finished"]:
            return {}
        deadline = time.monotonic() + timeout
        limit = timedelta(seconds=item_timeout)
        last_progress, stuck = time.monotonic(), {}
        with tqdm(
            total=summary["total"], initial=summary["done"], desc="parse", unit="file"
        ) as bar:
            while not summary["finished"] and time.monotonic() < deadline:
                time.sleep(1)
                items = list(upload_items(batch=batch))
                summary = upload_summary(items)
                if summary["done"] > bar.n:
                    last_progress = time.monotonic()
                bar.update(summary["done"] - bar.n)
                idle = time.monotonic() - last_progress >= item_timeout
                unfinished = [item for item in items if item.status not in FINAL_STATUSES]
                reasons = {
                    item.pk: upload_item_stuck_reason(
                        item=item, parsing_for=limit, idle=idle, idle_for=limit
                    )
                    for item in unfinished
                }
                stuck = {pk: reason for pk, reason in reasons.items() if reason}
                if unfinished and len(stuck) == len(unfinished):
                    break
        return stuck

    def _summary(self, batch: UploadBatch, stuck: dict[int, str] | None = None) -> None:
        stuck = stuck or {}
        items: list[UploadItem] = list(upload_items(batch=batch))
        summary = upload_summary(items)
        counts = summary["counts"]
        self.stdout.write(
            f"{summary['total']} files: {counts.get('parsed', 0)} parsed, "
            f"{counts.get('duplicate', 0)} duplicates, {counts.get('failed', 0)} failed, "
            f"{counts.get('refused', 0)} refused"
            + (
                ""
                if summary["finished"]
                else f", {summary['total'] - summary['done']} still queued"
            )
        )
        for item in items:
            if item.status in ("failed", "refused"):
                self.stdout.write(f"  {item.status:<8} {item.filename}: {item.reason}")
        for item in items:
            if item.status not in FINAL_STATUSES:
                why = (
                    f" (stuck: {stuck[item.pk]}; it will be queued again)"
                    if item.pk in stuck
                    else ""
                )
                self.stdout.write(f"  {item.status:<8} {item.filename}{why}")
        self.stdout.write(f"Batch {batch.pk}")
