"""Real services the fault-injection tests start, stop and kill: their own redis-server and
worker processes (only ever the processes they started, by PID)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ..celery_worker import running_worker


def _free_port(start: int = 6391) -> int:
    for port in range(start, start + 50):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for a test redis-server")


class RedisServer:
    """A redis-server of the test's own, without persistence (as a restart loses the queue)."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            # In CI (REQUIRE_SERVICES=1) a missing server is a failure, never a silent skip.
            if os.environ.get("REQUIRE_SERVICES") == "1":
                pytest.fail("REQUIRE_SERVICES=1 but redis-server is not installed")
            pytest.skip("redis-server is not installed")
        self.binary, self.workdir = binary, workdir
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self._answers(), timeout=10, what="redis-server to start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def wait_for(check: Callable[[], object], *, timeout: float, what: str, every: float = 0.1):
    """`check()`'s first true value, polling; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


@contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """This (test) process queues tasks to `url` instead of running them in-process."""
    import core.tasks
    from config.celery import app

    def reset() -> None:
        app._pool = None
        app.amqp._producer_pool = None
        core.tasks._broker_down_until = 0.0

    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    old, old_env = app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = app.conf.broker_url = url
    app.conf.task_always_eager = False
    reset()
    try:
        yield
    finally:
        if old_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = old_env
        app.conf.broker_url = old
        app.conf.task_always_eager = True
        reset()


@contextmanager
def worker(log: Path, broker: RedisServer, mail_dir: Path, **env: str) -> Iterator:
    """A solo-pool worker on the test database and `broker`, mailing files into `mail_dir`."""
    from django.conf import settings

    from config.celery import app

    eager = app.conf.task_always_eager  # running_worker sets it back to True when done
    with running_worker(
        log,
        settings_module="tests.reliability.worker_settings",
        CELERY_BROKER_URL=broker.url,
        MAIL_DIR=str(mail_dir),
        EMAIL_URL="consolemail://",  # tests.settings: keep the backend set by worker_settings
        SITE_URL="http://testserver",
        TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **env,
    ) as proc:
        yield proc
    app.conf.task_always_eager = eager


def mails(mail_dir: Path) -> list[str]:
    return [p.read_text() for p in sorted(mail_dir.glob("*.log"))]
