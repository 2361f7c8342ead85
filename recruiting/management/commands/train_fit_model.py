"""`python manage.py train_fit_model [--with-outcomes]`: fine-tune and register the fit model."""

from __future__ import annotations

import json
import shlex
import sys

from django.core.management.base import BaseCommand

from mlcore.matching.cli import run_training
from recruiting.services.scoring import outcome_pairs


class Command(BaseCommand):
    help = "Fine-tune the fit model (mlcore) and register it; optionally on our own outcomes."

    def add_arguments(self, parser):
        parser.add_argument("--epochs", type=int, default=12)
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--version", help="name of the new version")
        parser.add_argument("--device", help="cpu or cuda (default: cuda when present)")
        parser.add_argument(
            "--with-outcomes",
            action="store_true",
            help="also train on this organisation's hiring outcomes "
            "(advanced or hired = fit, rejected at screening = not)",
        )
        parser.add_argument("--no-activate", action="store_true")

    def handle(self, *args, **options):
        extra = outcome_pairs() if options["with_outcomes"] else []
        if options["with_outcomes"]:
            self.stdout.write(f"{len(extra)} outcome pairs from the hiring history.")
        summary = run_training(
            epochs=options["epochs"],
            seed=options["seed"],
            version=options["version"],
            device=options["device"],
            extra_pairs=extra,
            activate=not options["no_activate"],
            progress=True,
            command="python manage.py " + shlex.join(sys.argv[1:]),
        )
        self.stdout.write(json.dumps(summary))
        if summary["active"]:
            from recruiting.tasks import rescore_stale

            rescore_stale.delay()
            self.stdout.write("Re-scoring open jobs with the new model.")
