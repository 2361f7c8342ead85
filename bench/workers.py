"""Celery worker processes for the scaling benches: one torch thread each, solo pool."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def celery_workers(count: int, name: str) -> Iterator[list[subprocess.Popen]]:
    """`count` workers named `<name><i>@host`, up and connected when the block starts."""
    env = {**os.environ, "SMARTHR_TORCH_THREADS": "1"}  # one core per worker process
    procs = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"),
                *("--without-gossip", "--without-mingle", "-n", f"{name}{i}@%h"),
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(count)
    ]
    try:
        time.sleep(8)  # workers up and connected
        yield procs
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=120)
