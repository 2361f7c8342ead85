"""`python manage.py load_demo`: demo users, HR structure, jobs and resumes (idempotent)."""

from django.core.management.base import BaseCommand

from demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo data set (safe to run again: it changes nothing the second time)."

    def handle(self, *args, **options):
        report = demo_load()
        created = ", ".join(f"{n} {what}" for what, n in report.created.items())
        self.stdout.write(f"Demo data ready (created now: {created}).")
        self.stdout.write("Demo logins (for this laptop only):")
        for role, username, password in report.logins:
            self.stdout.write(f"  {role:<15} username: {username:<10} password: {password}")
