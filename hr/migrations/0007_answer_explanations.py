# Issue 21: survey comments' explanations computed on request (SHAP, attention rollout).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hr", "0006_answer_embedding_attention"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="explanations",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
