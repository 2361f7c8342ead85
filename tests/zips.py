"""Zip archives built in tests: resumes, a zip bomb-like member, a password-protected one."""

from __future__ import annotations

import io
import zipfile

_HEADERS = (
    # signature, offset of the flag bits, of the name length, of the name
    (b"PK\x03\x04", 6, 26, 30),
    (b"PK\x01\x02", 8, 28, 46),
)


def build_zip(members: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def mark_encrypted(data: bytes, name: str) -> bytes:
    """`data` with member `name` flagged as password-protected (zipfile cannot write one)."""
    out = bytearray(data)
    for signature, flag_at, length_at, name_at in _HEADERS:
        pos = out.find(signature)
        while pos != -1:
            length = int.from_bytes(out[pos + length_at : pos + length_at + 2], "little")
            if bytes(out[pos + name_at : pos + name_at + length]) == name.encode():
                flags = int.from_bytes(out[pos + flag_at : pos + flag_at + 2], "little") | 1
                out[pos + flag_at : pos + flag_at + 2] = flags.to_bytes(2, "little")
            pos = out.find(signature, pos + 4)
    return bytes(out)


def text_resume(name: str, email: str, skills: str = "Python, Django, PostgreSQL") -> bytes:
    return (
        f"{name}\n{email}\n+1 555 0100\n\nSUMMARY\nBackend engineer.\n\nSKILLS\n{skills}\n\n"
        "EXPERIENCE\nSoftware Engineer, Acme Corp, 2019 - 2024\nBuilt APIs.\n"
    ).encode()
