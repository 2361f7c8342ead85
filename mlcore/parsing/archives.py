"""Zip inflation limits (one rule for DOCX files and zip archives of resumes), and opening an
archive of resumes into its members without ever trusting its sizes or names."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

# A real resume (or a DOCX's document.xml) is well under a few MB; an archive that inflates
# past this, or a member that compresses better than this ratio, is a zip bomb, not resumes.
ZIP_MAX_UNCOMPRESSED = 50 * 1024 * 1024
ZIP_MAX_RATIO = 200
# Small members compress well for honest reasons (XML, blank text): the ratio counts above this.
ZIP_RATIO_FROM_SIZE = 1024 * 1024
# Files in one archive (a DOCX has a few dozen parts; an archive of resumes, one per resume).
ZIP_MAX_MEMBERS = 200

# Left out of an archive without a word: folders and what macOS and Windows add by themselves.
_JUNK_PREFIXES = ("__MACOSX/",)
_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


class ArchiveRefused(Exception):
    """The whole archive is refused (corrupt, too many members, inflates too much)."""


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def is_resume_archive(data: bytes) -> bool:
    """A zip that is not itself a DOCX: an archive of resume files."""
    if not is_zip(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" not in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return True  # a corrupt archive: opened, and refused with its reason


def member_inflation_problem(info: zipfile.ZipInfo) -> str | None:
    """Why one member must not be inflated (it compresses like a zip bomb), or None."""
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > ZIP_RATIO_FROM_SIZE and ratio > ZIP_MAX_RATIO:
        return f"{info.filename} would inflate {ratio:.0f}x (looks like a zip bomb)"
    return None


def archive_inflation_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    """Why a whole archive must not be inflated (too many members, too large inflated), or None."""
    files = [i for i in infos if not i.is_dir()]
    if len(files) > ZIP_MAX_MEMBERS:
        return f"it holds {len(files)} files (the limit is {ZIP_MAX_MEMBERS})"
    total = sum(i.file_size for i in files)
    if total > ZIP_MAX_UNCOMPRESSED:
        return (
            f"it would inflate to {total // (1024 * 1024)} MB, over the "
            f"{ZIP_MAX_UNCOMPRESSED // (1024 * 1024)} MB limit (looks like a zip bomb)"
        )
    return None


@dataclass(frozen=True)
class ArchiveMember:
    """One file of an archive: its bytes, or why it was not read (`problem`)."""

    name: str  # the file's own name, without the archive's folders
    path: str  # as written in the archive, for messages
    size: int
    data: bytes = b""
    problem: str = ""


def _unsafe_path(path: str) -> bool:
    # Never used as a path here (nothing is extracted to disk), but such a name is a sign of a
    # crafted archive, so its member is not read.
    normal = path.replace("\\", "/")
    return normal.startswith("/") or ".." in normal.split("/") or ":" in normal.split("/")[0]


def _junk(path: str) -> bool:
    return path.startswith(_JUNK_PREFIXES) or posixpath.basename(path) in _JUNK_NAMES


def _member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_member_bytes: int
) -> ArchiveMember:
    path = info.filename
    name = posixpath.basename(path.replace("\\", "/")) or "file"
    size = info.file_size

    def refused(problem: str) -> ArchiveMember:
        return ArchiveMember(name=name, path=path, size=size, problem=problem)

    if _unsafe_path(path):
        return refused(f"its name in the archive ({path}) points outside it; it was not read")
    if info.flag_bits & 0x1:
        return refused("it is password-protected in the archive; zip it again without a password")
    problem = member_inflation_problem(info)
    if problem is not None:
        return refused(problem)
    if size > max_member_bytes:
        return refused(
            f"it is {size // 1024} KB inflated; the limit is {max_member_bytes // 1024} KB"
        )
    try:
        # read(limit + 1): the sizes an archive declares are checked, never believed.
        data = archive.open(info).read(max_member_bytes + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        return refused(f"it cannot be read from the archive ({exc})")
    if len(data) > max_member_bytes:
        return refused(f"it inflates past {max_member_bytes // 1024} KB")
    if is_zip(data) and is_resume_archive(data):
        return refused("it is a zip inside the zip; archives inside archives are not opened")
    return ArchiveMember(name=name, path=path, size=len(data), data=data)


def archive_members(data: bytes, *, max_member_bytes: int) -> list[ArchiveMember]:
    """The files of a zip archive of resumes, in archive order, each with its bytes or the
    reason it was not read. Raises ArchiveRefused for the archive as a whole."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and not _junk(i.filename)]
            problem = archive_inflation_problem(infos)
            if problem is not None:
                raise ArchiveRefused(problem)
            if not infos:
                raise ArchiveRefused("the archive holds no files")
            return [_member(archive, info, max_member_bytes) for info in infos]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ArchiveRefused(f"it is not a readable zip archive ({exc})") from exc
