"""A typed client generated from the served schema drives a real server (issue 17).

`openapi-python-client` reads /api/schema/ from a live server into a temporary folder; the
test imports what it wrote, unedited, and runs an integrator's sync through it: a job, a
candidate with a resume, an application, a paginated list, a fit score, and the 409 and 400
answers as typed `ErrorResponse` objects; then the objects an ATS maps (users, sources,
tags, attachments, an offer sent and accepted then the hire, rejecting with a reason's id,
erasure and its tombstone). The client raises on any status the schema does not declare, and
its models fail on a missing required field or an unknown enum value, so a schema that
misleads a client fails here.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from integrations.keys import api_key_create, integration_get_or_create
from recruiting.models import RejectionReason

from .conftest import ALL_SCOPES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PACKAGE = "smarthr_client"
# No formatter run after generation (ruff is not needed to import the code), one package name;
# the schema takes seconds to build on a loaded machine (the generator's default wait is 5 s).
# A download declares the file types it answers; the generator reads `text/*` as text and
# knows no other file type, so every one is read as bytes (its documented option for this,
# docs/api.md "A generated client").
FILE_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain",
    "image/png",
    "image/jpeg",
    "image/tiff",
)
CONFIG = (
    f"package_name_override: {PACKAGE}\npost_hooks: []\nhttp_timeout: 120\n"
    "content_type_overrides:\n" + "".join(f"  {t}: application/octet-stream\n" for t in FILE_TYPES)
)
RESUME = b"""Grace Hopper
grace.hopper@example.com
Senior Python developer: eight years of Django and PostgreSQL services, REST APIs.
Skills: Python, Django, PostgreSQL, REST
"""


@pytest.fixture
def client_package(live_server: Any, tmp_path: Path) -> Iterator[ModuleType]:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    generated = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--url",
            f"{live_server.url}/api/schema/?format=json",
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Any warning means part of the schema was not understood (a model or endpoint skipped).
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout, generated.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _api(package: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def _models() -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.models")


@pytest.fixture
def api_key(transactional_db: Any) -> str:
    user = get_user_model().objects.create_user("ats-bot")
    from django.contrib.auth.models import Group

    # A transactional test before this one may have flushed the groups the migrations made.
    user.groups.add(Group.objects.get_or_create(name="recruiter")[0])
    # ... and the standard rejection reason the sync rejects with (seeded by migration 0015).
    RejectionReason.objects.get_or_create(
        code="position_filled", defaults={"label": "Position filled or closed"}
    )
    integration = integration_get_or_create(user=user, name="Generated client")
    _, key = api_key_create(integration=integration, scopes=ALL_SCOPES)
    return key


def test_a_generated_client_runs_a_sync_against_a_live_server(
    client_package: ModuleType, live_server: Any, api_key: str
) -> None:
    from smarthr_client import AuthenticatedClient
    from smarthr_client.api.applications import (
        applications_create,
        applications_list,
        applications_retrieve,
        applications_scores_list,
    )
    from smarthr_client.api.candidates import candidates_create, candidates_resumes_create
    from smarthr_client.api.jobs import jobs_create, jobs_list, jobs_partial_update
    from smarthr_client.models import (
        ApplicationInRequest,
        ApplicationOut,
        CandidateInRequest,
        CandidateOut,
        ErrorResponse,
        FitScoreOut,
        JobInRequest,
        JobOut,
        LifecycleStatusEnum,
        PaginatedApplicationOutList,
        PaginatedJobOutList,
        PatchedJobPatchInRequest,
        ResumeUploadInRequest,
        StageEnum,
        UploadItemOut,
    )
    from smarthr_client.types import File

    _answers_are_typed_complete()
    client = AuthenticatedClient(
        base_url=live_server.url, token=api_key, raise_on_unexpected_status=True
    )

    # A job, upserted by the integration's own id, and published.
    job_body = JobInRequest(
        external_id="gh-4711",
        title="Backend Engineer",
        description="Python and Django services on PostgreSQL, REST APIs.",
        required_skills=["Python", "Django"],
        publish=True,
    )
    created = jobs_create.sync_detailed(client=client, body=job_body)
    assert created.status_code == 201
    job = created.parsed
    assert isinstance(job, JobOut)
    assert job.status == LifecycleStatusEnum.OPEN and job.min_years_experience is None
    again = jobs_create.sync_detailed(client=client, body=job_body)
    assert again.status_code == 200 and isinstance(again.parsed, JobOut)
    assert again.parsed.id == job.id

    # A candidate and their resume (multipart), parsed and scored in the embedded setup.
    candidate = candidates_create.sync(
        client=client,
        body=CandidateInRequest(external_id="cand-99", full_name="Grace Hopper"),
    )
    assert isinstance(candidate, CandidateOut) and candidate.full_name == "Grace Hopper"
    upload = candidates_resumes_create.sync_detailed(
        candidate.id,
        client=client,
        body=ResumeUploadInRequest(
            file=File(payload=RESUME, file_name="grace.txt", mime_type="text/plain")
        ),
    )
    assert upload.status_code == 202 and isinstance(upload.parsed, UploadItemOut)
    resume_file = _resume_download(upload.parsed.resume.id, client)
    assert resume_file == RESUME  # bytes (the text type used to break the generated parser)

    # An application, then the list in pages of one, following `next`.
    application = applications_create.sync(
        client=client,
        body=ApplicationInRequest(candidate=candidate.id, job=job.id, external_id="app-1"),
    )
    assert isinstance(application, ApplicationOut)
    assert application.stage == StageEnum.APPLIED
    other = jobs_create.sync(client=client, body=JobInRequest(title="Data Analyst"))
    assert isinstance(other, JobOut)
    seen: list[int] = []
    cursor: Any = None
    while True:
        kwargs = {"page_size": 1} if cursor is None else {"page_size": 1, "cursor": cursor}
        page = jobs_list.sync(client=client, **kwargs)
        assert isinstance(page, PaginatedJobOutList) and len(page.results) <= 1
        seen += [j.id for j in page.results]
        if not page.next_:
            break
        cursor = _cursor(page.next_)
    assert seen == [other.id, job.id]
    listed = applications_list.sync(client=client, job=job.id)
    assert isinstance(listed, PaginatedApplicationOutList)
    assert [a.id for a in listed.results] == [application.id]

    # The fit score: the same on the application and in its scores.
    scores = applications_scores_list.sync(application.id, client=client)
    (score,) = scores.results
    assert isinstance(score, FitScoreOut) and 0 <= score.score <= 100
    assert score.explanation.matched_skills  # typed: a list of strings
    detail = applications_retrieve.sync(application.id, client=client)
    assert isinstance(detail, ApplicationOut)
    assert detail.fit_score == pytest.approx(score.score)

    # 409: the same external_id for another job is a typed error, not an exception.
    conflict = applications_create.sync_detailed(
        client=client,
        body=ApplicationInRequest(candidate=candidate.id, job=other.id, external_id="app-1"),
    )
    assert conflict.status_code == 409
    assert isinstance(conflict.parsed, ErrorResponse)
    assert conflict.parsed.error.code == "external_id_conflict"
    taken = jobs_partial_update.sync_detailed(
        other.id, client=client, body=PatchedJobPatchInRequest(external_id="gh-4711")
    )
    assert taken.status_code == 409 and isinstance(taken.parsed, ErrorResponse)
    assert taken.parsed.error.code == "conflict"

    # 400: invalid input, with the messages per field.
    invalid = jobs_create.sync_detailed(client=client, body=JobInRequest(title=""))
    assert invalid.status_code == 400 and isinstance(invalid.parsed, ErrorResponse)
    assert "title" in invalid.parsed.error.fields.additional_properties
    unpublishable = jobs_create.sync_detailed(
        client=client, body=JobInRequest(title="No description", publish=True)
    )
    assert unpublishable.status_code == 400 and isinstance(unpublishable.parsed, ErrorResponse)
    assert unpublishable.parsed.error.code == "invalid_job_status"

    _offer_and_hire(client, application_id=application.id)
    _sync_the_ats_objects(client, job_id=job.id, candidate_id=candidate.id)


def _offer_and_hire(client: Any, *, application_id: int) -> None:
    """An offer (issue 17): the application moved to Offer, an offer drafted, sent and
    accepted, a second send refused as a typed 409, then the hire."""
    from smarthr_client.api.applications import (
        applications_hire_create,
        applications_move_create,
        applications_offers_create,
        applications_offers_list,
    )
    from smarthr_client.api.offers import offers_accept_create, offers_list, offers_send_create
    from smarthr_client.models import (
        ApplicationOut,
        ErrorResponse,
        MoveInRequest,
        NoteOnlyInRequest,
        OfferInRequest,
        OfferOut,
        PaginatedOfferOutList,
        StageEnum,
    )

    moved = applications_move_create.sync(
        application_id, client=client, body=MoveInRequest(to_stage=StageEnum.OFFER)
    )
    assert isinstance(moved, ApplicationOut) and moved.stage == StageEnum.OFFER
    offer = applications_offers_create.sync(
        application_id,
        client=client,
        body=OfferInRequest(salary_amount="65000.00", salary_currency="EUR", note="Remote"),
    )
    assert isinstance(offer, OfferOut) and offer.status == "draft"
    assert offer.salary_amount == "65000.00" and offer.salary_currency == "EUR"
    sent = offers_send_create.sync(offer.id, client=client)
    assert isinstance(sent, OfferOut) and sent.status == "sent" and sent.sent_at
    twice = offers_send_create.sync_detailed(offer.id, client=client)
    assert twice.status_code == 409 and isinstance(twice.parsed, ErrorResponse)
    assert twice.parsed.error.code == "offer_status"
    accepted = offers_accept_create.sync(offer.id, client=client)
    assert isinstance(accepted, OfferOut) and accepted.status == "accepted"
    listed = applications_offers_list.sync(application_id, client=client)
    assert isinstance(listed, PaginatedOfferOutList)
    assert [o.id for o in listed.results] == [offer.id]
    synced = offers_list.sync(client=client, updated_after=offer.created_at)
    assert isinstance(synced, PaginatedOfferOutList) and synced.results[0].id == offer.id
    hired = applications_hire_create.sync(application_id, client=client, body=NoteOnlyInRequest())
    assert isinstance(hired, ApplicationOut) and hired.stage == StageEnum.HIRED


def _sync_the_ats_objects(client: Any, *, job_id: int, candidate_id: int) -> None:
    """The objects an ATS maps (issue 17): users, sources, tags, rejecting with a standard
    reason's id, erasing a candidate and seeing the tombstone, through the same client."""
    from smarthr_client.api.applications import applications_create, applications_reject_create
    from smarthr_client.api.candidates import (
        candidates_create,
        candidates_tags_create,
        candidates_tags_remove_create,
    )
    from smarthr_client.api.deletions import deletions_list
    from smarthr_client.api.privacy import privacy_candidates_erase_create
    from smarthr_client.api.rejection_reasons import rejection_reasons_list
    from smarthr_client.api.sources import sources_list
    from smarthr_client.api.users import users_list
    from smarthr_client.models import (
        ApplicationInRequest,
        ApplicationOut,
        CandidateInRequest,
        CandidateOut,
        CandidateTagsOut,
        EraseInRequest,
        ErasureKindEnum,
        ErasureOut,
        ErrorResponse,
        PaginatedTombstoneOutList,
        PaginatedUserOutList,
        RejectInRequest,
        RolesEnum,
        SourceOut,
        TagsInRequest,
        TombstoneKindEnum,
        UsersListRole,
    )

    # The people: the key's own user among the recruiters, with the role typed.
    bot = get_user_model().objects.get(username="ats-bot")
    people = users_list.sync(client=client, role=UsersListRole.RECRUITER, active=True)
    assert isinstance(people, PaginatedUserOutList)
    (me,) = [u for u in people.results if u.id == bot.pk]
    assert me.roles == [RolesEnum.RECRUITER] and me.active is True

    # A referred candidate, applied: their source is listed as the analytics know it.
    ada = candidates_create.sync(
        client=client,
        body=CandidateInRequest(external_id="cand-100", full_name="Ada Byron", source="Referral"),
    )
    assert isinstance(ada, CandidateOut)
    applied = applications_create.sync(
        client=client, body=ApplicationInRequest(candidate=ada.id, job=job_id)
    )
    assert isinstance(applied, ApplicationOut)
    sources = sources_list.sync(client=client)
    assert isinstance(sources, list) and all(isinstance(s, SourceOut) for s in sources)
    assert "Referral" in [s.name for s in sources]

    # Tags: added (cleaned, once each) and removed.
    tagged = candidates_tags_create.sync(
        candidate_id, client=client, body=TagsInRequest(tags=["Python", " senior  dev", "python"])
    )
    assert isinstance(tagged, CandidateTagsOut) and tagged.tags == ["Python", "senior dev"]
    left = candidates_tags_remove_create.sync(
        candidate_id, client=client, body=TagsInRequest(tags=["PYTHON"])
    )
    assert isinstance(left, CandidateTagsOut) and left.tags == ["senior dev"]

    # A cover letter (multipart), listed and downloaded as it was sent; deleted.
    _attachments(client, candidate_id=candidate_id)

    # Reject with a standard reason's id and a note; an unknown id is a typed 400.
    reasons = rejection_reasons_list.sync(client=client)
    (filled,) = [r for r in reasons.results if r.code == "position_filled"]
    unknown = applications_reject_create.sync_detailed(
        applied.id, client=client, body=RejectInRequest(rejection_reason_id=987_654)
    )
    assert unknown.status_code == 400 and isinstance(unknown.parsed, ErrorResponse)
    assert unknown.parsed.error.code == "invalid_rejection"
    assert "rejection_reason_id" in unknown.parsed.error.fields.additional_properties
    rejected = applications_reject_create.sync(
        applied.id,
        client=client,
        body=RejectInRequest(rejection_reason_id=filled.id, reason="hired internally", note="ok"),
    )
    assert isinstance(rejected, ApplicationOut) and rejected.stage == "rejected"
    assert rejected.rejection_reason_id == filled.id

    # Erasure (an HR admin's key): the record, then the tombstone a mirror drops.
    from django.contrib.auth.models import Group

    bot.groups.add(Group.objects.get_or_create(name="hr_admin")[0])
    erased = privacy_candidates_erase_create.sync(
        ada.id, client=client, body=EraseInRequest(reason="Request 2026-11")
    )
    assert isinstance(erased, ErasureOut) and erased.kind == ErasureKindEnum.ERASED
    assert erased.candidate == ada.id and erased.removed.additional_properties["notes"] == 0
    gone = deletions_list.sync(client=client)
    assert isinstance(gone, PaginatedTombstoneOutList)
    assert (ada.id, TombstoneKindEnum.ERASED) in [(t.object_id, t.kind) for t in gone.results]
    twice = privacy_candidates_erase_create.sync_detailed(
        ada.id, client=client, body=EraseInRequest(reason="again")
    )
    assert twice.status_code == 409 and isinstance(twice.parsed, ErrorResponse)
    assert twice.parsed.error.code == "already_erased"


def _resume_download(resume_id: int, client: Any) -> bytes:
    from smarthr_client.api.resumes import resumes_download_retrieve

    download = resumes_download_retrieve.sync_detailed(resume_id, client=client)
    assert download.status_code == 200
    return bytes(download.parsed.payload.read())


def _attachments(client: Any, *, candidate_id: int) -> None:
    from smarthr_client.api.attachments import attachments_destroy, attachments_download_retrieve
    from smarthr_client.api.candidates import (
        candidates_attachments_create,
        candidates_attachments_list,
    )
    from smarthr_client.models import (
        AttachmentKindEnum,
        AttachmentOut,
        AttachmentUploadInRequest,
        PaginatedAttachmentOutList,
    )
    from smarthr_client.types import File

    letter = b"Dear team,\nI would love to build your data platform.\n"
    added = candidates_attachments_create.sync_detailed(
        candidate_id,
        client=client,
        body=AttachmentUploadInRequest(
            file=File(payload=letter, file_name="letter.txt", mime_type="text/plain"),
            kind=AttachmentKindEnum.COVER_LETTER,
        ),
    )
    assert added.status_code == 201 and isinstance(added.parsed, AttachmentOut)
    assert added.parsed.kind == AttachmentKindEnum.COVER_LETTER
    listed = candidates_attachments_list.sync(candidate_id, client=client)
    assert isinstance(listed, PaginatedAttachmentOutList)
    assert [a.id for a in listed.results] == [added.parsed.id]
    download = attachments_download_retrieve.sync_detailed(added.parsed.id, client=client)
    assert download.status_code == 200 and download.parsed.payload.read() == letter
    gone = attachments_destroy.sync_detailed(added.parsed.id, client=client)
    assert gone.status_code == 204


def _answers_are_typed_complete() -> None:
    """Every field of a resource and of a page is typed as always there: before, each field
    with a model default was `str | Unset`, which the server never leaves out. Stored JSON
    objects (a parsed resume, an explanation) stay open: their keys may be absent."""
    import attrs

    models = _models()
    resources = [
        getattr(models, name)
        for name in models.__all__
        if name.endswith("Out") or name.startswith("Paginated")
    ]
    assert len(resources) > 20
    optional = {
        f"{cls.__name__}.{field.name}"
        for cls in resources
        for field in attrs.fields(cls)
        if "Unset" in str(field.type)
    }
    assert optional == set()


def _cursor(next_url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(next_url).query)["cursor"][0]
