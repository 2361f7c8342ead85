"""external_id is unique per integration (issue 17): (external_system, external_id).

Rows that already have an external_id were unique across all integrations, so any
attribution keeps them unique. Each is attributed to the integration that most likely sent
it, so that its next sync finds it again instead of creating a second record:

1. only one integration exists: that one;
2. the row's "created" audit entry was written with an API key: that key's integration;
3. the user who created the row (a job's owner, a candidate's creator) has exactly one
   integration: that one;
4. otherwise it stays in the unattributed namespace "" (the portal's and the admin's), still
   unique there; an admin may set `external_system` to "integration:<id>" by hand.
"""

from django.db import migrations, models

CREATED_ACTIONS = {
    "job": "job.created",
    "candidate": "candidate.created",
    "application": "application.created",
}
CREATOR_FIELD = {"job": "owner_id", "candidate": "created_by_id", "application": None}


def attribute_external_ids(apps, schema_editor):
    Integration = apps.get_model("integrations", "Integration")
    ApiKey = apps.get_model("integrations", "ApiKey")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    integrations = list(Integration.objects.values_list("pk", "user_id"))
    if not integrations:
        return
    by_user: dict[int, list[int]] = {}
    for pk, user_id in integrations:
        by_user.setdefault(user_id, []).append(pk)
    key_integration = dict(ApiKey.objects.values_list("pk", "integration_id"))

    for model_name, action in CREATED_ACTIONS.items():
        Model = apps.get_model("recruiting", model_name)
        creator = CREATOR_FIELD[model_name]
        columns = ["pk"] + ([creator] if creator else [])
        rows = Model.objects.exclude(external_id="").filter(external_system="").values(*columns)
        for row in rows.iterator():
            integration_id = None
            if len(integrations) == 1:
                integration_id = integrations[0][0]
            else:
                key_ids = (
                    AuditEntry.objects.filter(
                        action=action,
                        target_type=f"recruiting.{model_name}",
                        target_id=str(row["pk"]),
                    )
                    .exclude(api_key_id="")
                    .order_by("pk")
                    .values_list("api_key_id", flat=True)[:1]
                )
                for key_id in key_ids:
                    if key_id.isdigit():
                        integration_id = key_integration.get(int(key_id))
                if integration_id is None and creator and row[creator] is not None:
                    owned = by_user.get(row[creator], [])
                    if len(owned) == 1:
                        integration_id = owned[0]
            if integration_id is not None:
                Model.objects.filter(pk=row["pk"]).update(
                    external_system=f"integration:{integration_id}"
                )


class Migration(migrations.Migration):
    dependencies = [
        ("recruiting", "0012_stage_event_skipped_stages"),
        ("integrations", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="external_system",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="candidate",
            name="external_system",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="job",
            name="external_system",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(attribute_external_ids, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="application", name="application_ext_id"),
        migrations.RemoveConstraint(model_name="candidate", name="candidate_ext_id"),
        migrations.RemoveConstraint(model_name="job", name="job_ext_id"),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("external_system", "external_id"),
                name="application_ext_id_per_system",
            ),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("external_system", "external_id"),
                name="candidate_ext_id_per_system",
            ),
        ),
        migrations.AddConstraint(
            model_name="job",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("external_system", "external_id"),
                name="job_ext_id_per_system",
            ),
        ),
    ]
