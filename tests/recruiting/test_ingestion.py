"""Resume ingestion: store as uploaded, de-duplicate, parse into a candidate, refuse clearly."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from recruiting import services
from recruiting.models import Application, Candidate, Resume, UploadBatch, UploadItem

from ..factories import JobFactory

# Real commits, so parsing queued with on_commit runs as it does in the app.
pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def batch(recruiter):
    return services.upload_batch_create(by=recruiter, source=UploadBatch.Source.PORTAL)


@pytest.fixture
def john_doe_pdf(shared_data):
    return (shared_data / "resume_files" / "pdf" / "john_doe.pdf").read_bytes()


def test_pdf_resume_becomes_a_parsed_candidate(batch, john_doe_pdf):
    item = services.resume_ingest(batch=batch, data=john_doe_pdf, filename="john_doe.pdf")
    item.refresh_from_db()
    resume = item.resume
    assert item.status == "parsed", item.reason
    assert resume.content_type == "application/pdf"
    assert len(resume.sha256) == 64 and resume.size == len(john_doe_pdf)
    assert resume.file.read() == john_doe_pdf  # stored exactly as uploaded
    assert resume.parser_version and resume.parsed["email"] == "john.doe@email.com"
    candidate = resume.candidate
    assert candidate.email == "john.doe@email.com"
    assert candidate.full_name.lower() == "john doe"
    assert "Java" in candidate.skills


def test_same_file_twice_creates_no_second_resume_or_candidate(batch, john_doe_pdf):
    services.resume_ingest(batch=batch, data=john_doe_pdf, filename="john_doe.pdf")
    again = services.resume_ingest(batch=batch, data=john_doe_pdf, filename="copy.pdf")
    assert again.status == "duplicate"
    assert "Same file as john_doe.pdf" in again.reason
    assert Resume.objects.count() == 1 and Candidate.objects.count() == 1


def test_new_resume_with_known_email_attaches_to_that_candidate(batch, recruiter):
    known = services.candidate_create(by=recruiter, full_name="Jo", email="jo@example.com")
    text = b"Jo Example\njo@example.com\n\nSkills: Python, Django\n"
    item = services.resume_ingest(batch=batch, data=text, filename="jo.txt")
    item.refresh_from_db()
    assert item.resume.candidate == known
    assert Candidate.objects.count() == 1


def test_hand_edited_fields_survive_a_reparse(batch, recruiter, john_doe_pdf):
    item = services.resume_ingest(batch=batch, data=john_doe_pdf, filename="john_doe.pdf")
    candidate = Resume.objects.get(pk=item.resume_id).candidate
    services.candidate_update_profile(candidate=candidate, by=recruiter, location="Lisbon, PT")
    services.resume_parse(resume_id=item.resume_id, force=True)
    candidate.refresh_from_db()
    assert candidate.location == "Lisbon, PT"
    assert candidate.skills  # fields not edited are still filled from the parse


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.pdf", "is empty"),
        (PNG, "photo.pdf", "not a resume format"),
        (b"PK\x03\x04" + b"\x00" * 100, "fake.docx", "not a resume format"),
    ],
)
def test_refused_files_get_a_clear_reason_and_the_batch_goes_on(
    batch, john_doe_pdf, data, name, message
):
    bad = services.resume_ingest(batch=batch, data=data, filename=name)
    good = services.resume_ingest(batch=batch, data=john_doe_pdf, filename="john_doe.pdf")
    assert bad.status == "refused" and message in bad.reason
    good.refresh_from_db()
    assert good.status == "parsed"


def test_oversize_file_is_refused_before_reading(batch, settings):
    settings.MAX_UPLOAD_SIZE = 1000
    item = services.resume_ingest(batch=batch, data=b"x" * 5000, filename="big.txt")
    assert item.status == "refused"
    assert "the limit is" in item.reason
    assert not Resume.objects.exists()


def test_corrupt_pdf_is_kept_and_fails_with_a_reason(batch):
    data = b"%PDF-1.7\n" + b"\x00garbage" * 50
    item = services.resume_ingest(batch=batch, data=data, filename="broken.pdf")
    item.refresh_from_db()
    assert item.status == "failed"
    assert item.reason
    resume = item.resume
    assert resume.parse_status == Resume.ParseStatus.FAILED
    assert resume.file.read() == data  # the original is kept
    assert resume.candidate is None


def test_upload_to_a_job_applies_the_candidate(recruiter, john_doe_pdf):
    job = JobFactory()
    batch = services.upload_batch_create(by=recruiter, source="portal", job=job)
    services.resume_ingest(batch=batch, data=john_doe_pdf, filename="john_doe.pdf")
    application = Application.objects.get()
    assert application.job == job and application.candidate.email == "john.doe@email.com"


def test_upload_to_a_closed_job_notes_why_not_applied(recruiter, john_doe_pdf):
    job = JobFactory(status="closed")
    batch = services.upload_batch_create(by=recruiter, source="portal", job=job)
    item = services.resume_ingest(batch=batch, data=john_doe_pdf, filename="john_doe.pdf")
    item.refresh_from_db()
    assert item.status == "parsed"
    assert "Not applied" in item.message and not Application.objects.exists()


def test_parsing_twice_is_a_no_op(batch, john_doe_pdf):
    item = services.resume_ingest(batch=batch, data=john_doe_pdf, filename="john_doe.pdf")
    first = Resume.objects.get(pk=item.resume_id)
    again = services.resume_parse(resume_id=item.resume_id)
    assert again.parsed_at == first.parsed_at
    assert Candidate.objects.count() == 1


def test_import_resumes_command_reports_parsed_duplicates_and_failures(
    recruiter, shared_data, tmp_path
):
    folder = tmp_path / "incoming"
    folder.mkdir()
    source = shared_data / "resume_files"
    for name in ("pdf/john_doe.pdf", "pdf/barry_allen_fe.pdf", "docx/hr_helper_sample_resume.docx"):
        (folder / name.split("/")[-1]).write_bytes((source / name).read_bytes())
    (folder / "copy_of_john.pdf").write_bytes((source / "pdf/john_doe.pdf").read_bytes())
    (folder / "holiday.pdf").write_bytes(PNG)
    out, err = StringIO(), StringIO()
    call_command("import_resumes", str(folder), stdout=out, stderr=err)
    summary = out.getvalue()
    assert "5 files: 3 parsed, 1 duplicates, 0 failed, 1 refused" in summary, summary
    assert "holiday.pdf" in summary and "not a resume format" in summary
    assert Candidate.objects.count() == 3
    assert UploadItem.objects.count() == 5


def test_import_resumes_refuses_a_missing_path(recruiter):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("import_resumes", "/nonexistent/folder", stdout=StringIO())


def _all_resume_files(shared_data):
    return sorted(p for p in (shared_data / "resume_files").rglob("*") if p.is_file())


def test_bulk_import_of_all_shared_resume_files(recruiter, shared_data):
    """The whole resume_files folder: every file accounted for, none stored twice."""
    files = [p for p in _all_resume_files(shared_data) if p.suffix != ".md"]
    out = StringIO()
    call_command("import_resumes", str(shared_data / "resume_files"), stdout=out)
    items = list(UploadItem.objects.select_related("resume"))
    assert len(items) == len(files) + 1  # + PROVENANCE.md, refused or parsed as text
    statuses = {item.filename: item.status for item in items}
    assert all(s in ("parsed", "failed", "refused") for s in statuses.values()), statuses
    assert sum(s == "parsed" for s in statuses.values()) >= len(files) - 1
    for item in items:
        if item.status in ("failed", "refused"):
            assert item.reason, item.filename
    shas = [i.resume.sha256 for i in items if i.resume]
    assert len(shas) == len(set(shas))
    # A second import of the same folder only finds duplicates.
    call_command("import_resumes", str(shared_data / "resume_files"), stdout=StringIO())
    assert Resume.objects.count() == len(shas)
