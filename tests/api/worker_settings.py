"""Settings of the Celery worker started by test_webhooks_worker: short retry backoff."""

from tests.settings import *  # noqa: F403

WEBHOOK_BACKOFF_BASE_S = 1
