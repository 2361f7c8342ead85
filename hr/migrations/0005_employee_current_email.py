"""One current employee record per e-mail (case-insensitive); former employees keep theirs.

Before the constraint, e-mails are trimmed and lower-cased (what the services store), and
duplicates among current records stop the migration with the records to fix, rather than an
IntegrityError that names none of them.
"""

from collections import defaultdict

import django.db.models.functions.text
from django.db import migrations, models


def normalise_and_check(apps, schema_editor):
    Employee = apps.get_model("hr", "Employee")
    seen: dict[str, list[int]] = defaultdict(list)
    for employee in Employee.objects.exclude(email="").only("id", "email", "status"):
        clean = employee.email.strip().lower()
        if clean != employee.email:
            Employee.objects.filter(pk=employee.pk).update(email=clean)
        if employee.status != "terminated":
            seen[clean].append(employee.pk)
    clashes = {email: ids for email, ids in seen.items() if len(ids) > 1}
    if clashes:
        listed = "; ".join(f"{email}: employees {ids}" for email, ids in sorted(clashes.items()))
        raise RuntimeError(
            "Current employees share an e-mail address, which SmartHR now refuses. Give each "
            f"its own address or mark the older record terminated, then migrate again: {listed}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hr", "0004_invitation_queued_at"),
    ]

    operations = [
        migrations.RunPython(normalise_and_check, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="employee",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(
                    models.Q(("email", ""), _negated=True),
                    models.Q(("status", "terminated"), _negated=True),
                ),
                name="employee_current_email",
            ),
        ),
    ]
