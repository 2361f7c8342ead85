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
        _wait_until_ready(name, count, procs)
        yield procs
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=120)


def _wait_until_ready(name: str, count: int, procs: list[subprocess.Popen]) -> None:
    """Until every worker answers a ping: connected, and done loading its models
    (WORKER_WARM_MODELS; a solo worker answers only once its start-up is over)."""
    from config.celery import app

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            raise SystemExit("a celery worker exited during start-up")
        replies = app.control.ping(timeout=1.0)
        ready = {host for reply in replies for host in reply if host.startswith(name)}
        if len(ready) >= count:
            return
    raise SystemExit(f"{count} worker(s) not ready within 180 s")
