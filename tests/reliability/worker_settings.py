"""Settings of the worker processes the reliability tests start: the test settings, with
e-mails written as files into MAIL_DIR after SLOW_MAIL_S seconds."""

import os

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.reliability.slow_mail.SlowFileBackend"
EMAIL_FILE_PATH = os.environ.get("MAIL_DIR", "/tmp")  # noqa: S108 - tests set MAIL_DIR
# Re-scoring after a parse loads the fit model and embeds the text: not what these tests are
# about, so it goes to a queue no test worker consumes (in the test's throwaway Redis).
CELERY_TASK_ROUTES = {
    "recruiting.tasks.rescore_candidate": {"queue": "not-consumed-in-tests"},
    "recruiting.tasks.score_application": {"queue": "not-consumed-in-tests"},
}
WORKER_WARM_MODELS = []
