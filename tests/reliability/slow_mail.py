"""An e-mail backend that writes files like Django's, after SLOW_MAIL_S seconds: a window in
which a test can kill the worker while it is sending."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_S", "0")))
        return super().send_messages(email_messages)
