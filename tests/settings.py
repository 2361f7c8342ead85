"""Test settings: the app's own settings, plus what a test run needs and nothing more."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# A worker process started by a test shares the test's media folder.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="smarthr-test-media-")
if "EMAIL_URL" not in os.environ:  # the worker test sends to files instead
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = tempfile.mkdtemp(prefix="smarthr-test-static-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Unit tests run tasks in-process even when a broker is configured; the worker tests switch
# this off for themselves and for the worker process they start.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_TASKS_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True  # a failing task fails the test that queued it
# Webhook tests deliver to a real receiver on 127.0.0.1; the SSRF guard itself is tested
# with this switched off (tests/api/test_webhooks.py).
WEBHOOK_ALLOW_PRIVATE_URLS = True
# Sign-in throttling: Client.login() authenticates without a request, which django-axes
# refuses; the throttle's own tests switch it on (tests/core/test_login_throttle.py).
AXES_ENABLED = False
