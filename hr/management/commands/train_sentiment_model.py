"""`python manage.py train_sentiment_model`: fine-tune and register the sentiment model.

A thin wrapper over `mlcore.sentiment.train` (which needs no Django). When the new version
is activated, answers analysed by an older version are queued for re-analysis.
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError

from mlcore.registry import RegistryError
from mlcore.sentiment.train import TrainConfig, train


class Command(BaseCommand):
    help = "Fine-tune the sentiment model (mlcore), register it and re-analyse stale answers."

    def add_arguments(self, parser):
        parser.add_argument("--data", help="reviews CSV (default: ../shared/data/sentiment)")
        parser.add_argument("--epochs", type=int, help="per ensemble member (default: 4)")
        parser.add_argument("--folds", type=int, help="ensemble members (default: 5)")
        parser.add_argument("--seed", type=int)
        parser.add_argument("--version", help="name of the new version")
        parser.add_argument("--device", help="cpu or cuda (default: cuda when present)")
        parser.add_argument("--no-activate", action="store_true")

    def handle(self, *args, **options):
        config = TrainConfig()
        for name in ("epochs", "folds", "seed"):
            if options[name] is not None:
                if options[name] < 1 or (name == "folds" and options[name] < 2):
                    raise CommandError(f"--{name} is too small: {options[name]}")
                config = replace(config, **{name: options[name]})
        try:
            outcome = train(
                data=options["data"],
                config=config,
                version=options["version"],
                activate=not options["no_activate"],
                device=options["device"],
                command="python manage.py " + shlex.join(sys.argv[1:]),
            )
        except (FileNotFoundError, RegistryError) as exc:
            raise CommandError(str(exc)) from exc
        held = outcome.meta["metrics"]["held_out"]
        self.stdout.write(
            json.dumps(
                {
                    "version": outcome.version,
                    "active": outcome.activated,
                    "seconds": round(outcome.seconds, 1),
                    "held_out": {"accuracy": held["accuracy"], "macro_f1": held["macro_f1"]},
                }
            )
        )
        if outcome.activated:
            from hr.tasks import reanalyze_stale_answers

            reanalyze_stale_answers.delay()
            self.stdout.write("Re-analysing answers with the new model.")
