"""Stored candidate links that are not http, https or mailto (e.g. `javascript:`) are dropped:
the link rule (recruiting/links.py) now refuses them on the way in."""

from django.db import migrations


def drop_unsafe_links(apps, schema_editor):
    from recruiting.links import safe_links

    Candidate = apps.get_model("recruiting", "Candidate")
    for candidate in Candidate.objects.exclude(links=[]).only("pk", "links").iterator():
        cleaned = safe_links(candidate.links)
        if cleaned != candidate.links:
            Candidate.objects.filter(pk=candidate.pk).update(links=cleaned)


class Migration(migrations.Migration):
    dependencies = [("recruiting", "0009_sync_indexes")]

    operations = [migrations.RunPython(drop_unsafe_links, migrations.RunPython.noop)]
