"""An anonymous response cannot be linked back to the employee who gave it."""

from __future__ import annotations

from django.db import models

from hr.models import Answer, Employee, Invitation, Response


def _related_models(model: type[models.Model]) -> set[type[models.Model]]:
    return {
        f.related_model
        for f in model._meta.get_fields()
        if f.is_relation and (f.many_to_one or f.one_to_one or f.many_to_many) and f.concrete
    }


def test_response_has_no_link_to_employee_or_invitation():
    linked = _related_models(Response) | _related_models(Answer)
    assert Employee not in linked
    assert Invitation not in linked


def test_response_time_is_kept_to_the_day_only():
    kinds = {type(f) for f in Response._meta.concrete_fields}
    assert models.DateTimeField not in kinds
    assert isinstance(Response._meta.get_field("submitted_on"), models.DateField)
    assert not isinstance(Response._meta.get_field("submitted_on"), models.DateTimeField)
    assert all(not isinstance(f, models.DateTimeField) for f in Answer._meta.concrete_fields)


def test_row_order_reveals_nothing():
    # Random UUID keys: no auto-increment that would give the order of submissions.
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert isinstance(Answer._meta.pk, models.UUIDField)


def test_invitation_keeps_no_time_of_use():
    field_names = {f.name for f in Invitation._meta.concrete_fields}
    assert "used" in field_names
    assert not any("used_at" in name or "answered" in name for name in field_names)
    assert "token" not in field_names  # only the hash is stored


# --- nothing in the database ties a response to its author ---------------------------------

import csv  # noqa: E402
import io  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import uuid  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from datetime import date  # noqa: E402

import pytest  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402

from hr import services  # noqa: E402
from hr.anonymity import ALL_TIME, ROOT, Layout, cell_counts, direct, suppress  # noqa: E402
from hr.tree import DepartmentTree  # noqa: E402

from ..factories import DepartmentFactory  # noqa: E402
from .factories import QuestionFactory, SurveyFactory, respond  # noqa: E402

LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})/")


@pytest.mark.django_db
def test_stored_response_rows_hold_nothing_of_the_employee_or_invitation(
    hr_admin, survey, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_invite(by=hr_admin, survey=survey, departments=[org["backend"]])
    tokens = [LINK.search(m.body).group(1) for m in mail.outbox]
    enps, likert, choice, _ = survey.questions.all()
    for token in tokens:
        services.response_submit(
            token=token, answers={enps.pk: 7, likert.pk: 3, choice.pk: "Growth"}
        )
    invitations = list(Invitation.objects.select_related("employee"))
    secrets_ = set()
    for inv in invitations:
        e = inv.employee
        # Ids are small numbers shared with departments; the schema checks below cover them.
        secrets_ |= {inv.token_hash, e.email, e.full_name}
        secrets_ |= {inv.created_at.isoformat(), str(inv.sent_at)}
    secrets_ |= set(tokens)
    with connection.cursor() as cursor:
        for table in ("hr_response", "hr_answer"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed names)
            for row in cursor.fetchall():
                values = {str(v) for v in row if v is not None}
                assert not values & secrets_, (table, values & secrets_)
            # The schema itself: no date-and-time column, no column pointing at people.
            columns = connection.introspection.get_table_description(cursor, table)
            for col in columns:
                assert "time" not in col.type_code.__class__.__name__.lower()
            relations = connection.introspection.get_relations(cursor, table)
            targets = {target_table for _, target_table in relations.values()}
            assert not targets & {"hr_employee", "hr_invitation", "auth_user"}, targets
        # And no table points at a response except its answers.
        for table in connection.introspection.table_names(cursor):
            relations = connection.introspection.get_relations(cursor, table)
            if any(target == "hr_response" for _, target in relations.values()):
                assert table == "hr_answer"


@pytest.mark.django_db
def test_keys_are_random_and_nothing_orders_responses_by_time(hr_admin, survey):
    first, second = respond(survey, enps=1), respond(survey, enps=2)
    for pk in (first.pk, second.pk):
        assert isinstance(pk, uuid.UUID) and pk.version == 4
    assert not Response._meta.ordering and not Answer._meta.ordering
    assert "ORDER BY" not in str(Response.objects.all().query)


# --- the suppression rule, on counts -------------------------------------------------------


def tree_of(spec: dict[int, int | None], names=None) -> DepartmentTree:
    """A DepartmentTree from {id: parent id}, no database."""
    tree = DepartmentTree(
        names={pk: (names or {}).get(pk, f"D{pk}") for pk in spec}, parent=dict(spec)
    )
    for pk, parent in sorted(spec.items()):
        tree.children[parent].append(pk)
    return tree


def hidden_of(spec, atom_counts, k=5):
    layout = Layout.of(tree_of(spec))
    counts = cell_counts(layout, atom_counts)
    return layout, counts, suppress(layout, counts, k)


D1 = date(2026, 1, 1)


def test_small_group_is_hidden_and_one_sibling_hidden_with_it():
    # Company: A (12), B (3), C (20). B is too small; A is the smallest other: hidden too.
    spec = {1: None, 2: None, 3: None}
    _, _, hidden = hidden_of(spec, {(direct(1), D1): 12, (direct(2), D1): 3, (direct(3), D1): 20})
    assert (2, ALL_TIME) in hidden and (1, ALL_TIME) in hidden
    assert (3, ALL_TIME) not in hidden and (ROOT, ALL_TIME) not in hidden


def test_two_small_siblings_that_add_up_to_less_than_the_minimum_need_a_third():
    spec = {1: None, 2: None, 3: None, 4: None}
    atoms = {(direct(1), D1): 2, (direct(2), D1): 1, (direct(3), D1): 9, (direct(4), D1): 30}
    _, _, hidden = hidden_of(spec, atoms)
    assert {(1, ALL_TIME), (2, ALL_TIME), (3, ALL_TIME)} <= hidden
    assert (4, ALL_TIME) not in hidden


def test_a_hidden_department_hides_everything_below_it():
    # Eng (direct 0) = Backend 6 + Frontend 6; Sales 3 forces Eng hidden (smallest sibling
    # with Sales); Backend and Frontend must then be hidden too, or they would add up to Eng.
    spec = {1: None, 2: 1, 3: 1, 4: None, 5: None}
    atoms = {(direct(2), D1): 6, (direct(3), D1): 6, (direct(4), D1): 3, (direct(5), D1): 40}
    _, _, hidden = hidden_of(spec, atoms)
    assert {(1, ALL_TIME), (4, ALL_TIME), (2, ALL_TIME), (3, ALL_TIME)} <= hidden


def test_a_small_period_is_hidden_with_another_period():
    spec = {1: None}
    d2, d3 = date(2026, 2, 1), date(2026, 3, 1)
    atoms = {(direct(1), D1): 2, (direct(1), d2): 7, (direct(1), d3): 9}
    _, _, hidden = hidden_of(spec, atoms)
    assert (1, D1) in hidden and (1, d2) in hidden and (1, d3) not in hidden
    assert (1, ALL_TIME) not in hidden


def check_rule(layout, counts, hidden, k):
    """What an attacker could subtract: every visible whole minus its visible parts."""
    buckets = sorted({b for _, b in counts if b is not ALL_TIME})
    lines = []
    for b in [ALL_TIME, *buckets]:
        for unit, parts in layout.parts.items():
            lines.append(((unit, b), [(p, b) for p in parts]))
    for unit in layout.units:
        lines.append(((unit, ALL_TIME), [(unit, b) for b in buckets]))
    for whole, parts in lines:
        if whole in hidden:
            assert all(p in hidden or counts[p] == 0 for p in parts), whole
            continue
        assert counts[whole] == 0 or counts[whole] >= k, whole
        rest = [p for p in parts if p in hidden and counts[p] > 0]
        left = counts[whole] - sum(counts[p] for p in parts if p not in hidden)
        assert left == sum(counts[p] for p in rest)
        assert left == 0 or (left >= k and len(rest) >= 2), (whole, left, rest)


@pytest.mark.parametrize("seed", range(40))
def test_rule_holds_on_random_organisations(seed):
    rng = random.Random(seed)
    spec: dict[int, int | None] = {}
    for pk in range(1, rng.randint(2, 14)):
        spec[pk] = rng.choice([None, *spec.keys()]) if spec else None
    buckets = [date(2026, m, 1) for m in range(1, rng.randint(2, 5))]
    atoms = {}
    for pk in spec:
        for b in buckets:
            if rng.random() < 0.8:
                atoms[(direct(pk), b)] = rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 25])
    k = rng.choice([3, 5, 7])
    layout, counts, hidden = hidden_of(spec, atoms, k)
    check_rule(layout, counts, hidden, k)


# --- the subtraction attack through the dashboard JSON and the CSV export -----------------


@pytest.fixture
def small_groups_org(hr_admin):
    """k=5. Eng: Backend 6, Frontend 2, 1 person directly in Eng; Sales 7; Support 5.

    Frontend (2) and Eng's direct member (1) are too small; they add up to 3, still below 5,
    so Backend has to go too inside Eng. In the company, Eng (9) is visible.
    """
    survey = SurveyFactory(min_group_size=5, status="closed")  # results once closed
    QuestionFactory(survey=survey, kind="enps", text="Recommend us?")
    QuestionFactory(survey=survey, kind="free_text", text="Comments?", required=False)
    eng = DepartmentFactory(name="Engineering")
    depts = {
        "eng": eng,
        "backend": DepartmentFactory(name="Backend", parent=eng),
        "frontend": DepartmentFactory(name="Frontend", parent=eng),
        "sales": DepartmentFactory(name="Sales"),
        "support": DepartmentFactory(name="Support"),
    }
    plan = [("backend", 6, 9), ("frontend", 2, 0), ("eng", 1, 3), ("sales", 7, 10)]
    plan += [("support", 5, 8)]
    for key, n, score in plan:
        for i in range(n):
            respond(
                survey,
                depts[key],
                day=date(2026, 5, 4 + i % 2),
                enps=score,
                text=f"{key} comment {i}",
                label="negative" if score < 7 else "positive",
                topics=["pay_benefits"],
            )
    return survey, depts


def collect_json(client, survey, depts):
    views = {}
    for key in [None, *depts]:
        params = {} if key is None else {"department": depts[key].pk}
        response = client.get(f"/hr/surveys/{survey.pk}/results.json", params)
        assert response.status_code == 200
        views[key] = response.json()
    return views


@pytest.mark.django_db
def test_subtraction_attack_through_json_finds_nothing(client, hr_admin, small_groups_org):
    survey, depts = small_groups_org
    client.force_login(hr_admin)
    views = collect_json(client, survey, depts)
    # What each view shows about itself.
    shown = {key: v["overview"] for key, v in views.items()}
    assert shown["frontend"] == {"suppressed": True}
    assert shown["backend"] == {"suppressed": True}  # complementary: same answer everywhere
    assert not shown["eng"]["suppressed"] and shown["eng"]["responses"] == 9
    eng_rows = {row["name"]: row for row in views["eng"]["breakdown"]}
    assert eng_rows["Frontend"] == {
        "unit": str(depts["frontend"].pk),
        "name": "Frontend",
        "suppressed": True,
    }
    assert (
        eng_rows["Backend"]["suppressed"]
        and eng_rows["Engineering (not in a sub-team)"]["suppressed"]
    )
    # The attacker: every visible group minus every visible part of it, in every view.
    k = survey.min_group_size
    for key, view in views.items():
        if view["suppressed"]:
            continue
        whole = view["overview"]["responses"]
        parts = sum(r["responses"] for r in view["breakdown"] if not r["suppressed"])
        assert whole - parts == 0 or whole - parts >= k, key
        enps = next(q for q in view["questions"] if q["kind"] == "enps")
        dist = Counter({int(s): n for s, n in enps["distribution"].items()})
        for child_key, child in views.items():
            if (
                child_key in depts
                and depts[child_key].parent_id == (depts[key].pk if key else None)
                and not child["suppressed"]
            ):
                child_enps = next(q for q in child["questions"] if q["kind"] == "enps")
                dist.subtract({int(s): n for s, n in child_enps["distribution"].items()})
        left = sum(dist.values())
        assert left == 0 or left >= k, (key, left)

    # Suppressed entries carry no count anywhere in the JSON.
    def walk(node):
        if isinstance(node, dict):
            if node.get("suppressed") is True:
                assert not {"responses", "n", "invited", "enps", "net", "people"} & set(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for view in views.values():
        walk(view)


@pytest.mark.django_db
def test_comments_come_only_from_groups_visible_on_their_own(client, hr_admin, small_groups_org):
    survey, depts = small_groups_org
    client.force_login(hr_admin)
    views = collect_json(client, survey, depts)
    texts = {c["text"] for view in views.values() for c in view["comments"]}
    assert texts, "some comments are shown"
    assert not any(t.startswith(("frontend", "eng ", "backend")) for t in texts)


@pytest.mark.django_db
def test_csv_export_applies_the_same_rule(client, hr_admin, small_groups_org):
    survey, depts = small_groups_org
    client.force_login(hr_admin)
    response = client.get(f"/hr/surveys/{survey.pk}/results.csv", {"department": depts["eng"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_group = defaultdict(list)
    for row in rows:
        by_group[(row["section"], row["group"])].append(row)
    for name in ("Frontend", "Backend", "Engineering (not in a sub-team)"):
        group = by_group[("department", name)]
        assert [(r["metric"], r["value"]) for r in group] == [("suppressed", "")]
    overview = {r["metric"]: r["value"] for r in by_group[("overview", "Engineering")]}
    assert overview["responses"] == "9"
    hidden_view = client.get(
        f"/hr/surveys/{survey.pk}/results.csv", {"department": depts["frontend"].pk}
    )
    body = hidden_view.content.decode()
    assert "suppressed" in body and ",2," not in body and "responses" not in body


@pytest.mark.django_db
def test_period_slices_cannot_be_subtracted_either(client, hr_admin):
    survey = SurveyFactory(min_group_size=5, status="closed")  # results once closed
    QuestionFactory(survey=survey, kind="enps", text="Recommend us?")
    dept = DepartmentFactory(name="Ops")
    for day, n in ((date(2026, 1, 5), 2), (date(2026, 2, 3), 6), (date(2026, 3, 3), 9)):
        for _ in range(n):
            respond(survey, dept, day=day, enps=5)
    client.force_login(hr_admin)
    data = client.get(f"/hr/surveys/{survey.pk}/results.json").json()
    points = {p["period"]: p for p in data["trend"]["overall"]}
    assert points["2026-01-01"] == {"period": "2026-01-01", "suppressed": True}
    assert points["2026-02-01"]["suppressed"]  # else 17 - 6 - 9 = January's 2
    assert points["2026-03-01"]["responses"] == 9
    feb = client.get(f"/hr/surveys/{survey.pk}/results.json", {"period": "2026-02-01"}).json()
    assert feb["suppressed"] and feb["overview"] == {"suppressed": True}
