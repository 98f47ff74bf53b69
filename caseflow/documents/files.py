"""Uploaded files: what they really are (by content), and where they are kept.

The list of accepted types is short and their signatures are well known, so the check is
done here with the standard library rather than a native libmagic binding.
"""

import hashlib
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath

ZIP_KINDS = {
    "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument"
                                  ".wordprocessingml.document"),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument"
                                ".spreadsheetml.sheet"),
}
OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
MARKUP = re.compile(rb"<\s*(!doctype|html|script|body|iframe|svg|\?xml)", re.IGNORECASE)


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


def detect(content: bytes) -> FileType | None:
    """Return the type of an accepted file from its bytes, or None when it is not accepted."""
    if content.startswith(b"%PDF-"):
        return FileType("pdf", "application/pdf")
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType("png", "image/png")
    if content.startswith(b"\xff\xd8\xff"):
        return FileType("jpg", "image/jpeg")
    if content.startswith(b"PK\x03\x04"):
        return _office(content)
    return _text(content)


# An OpenDocument `mimetype` member is a few dozen bytes: one that says it is larger, or
# inflates to more, is not an office file. Nothing else of an archive is ever inflated.
MIMETYPE_MAX_BYTES = 128


def _office(content: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        names = set(archive.namelist())
        if "mimetype" in names:
            member = archive.getinfo("mimetype")
            if member.file_size > MIMETYPE_MAX_BYTES:
                return None
            with archive.open(member) as handle:
                declared = handle.read(MIMETYPE_MAX_BYTES + 1).strip()
            extension = OPENDOCUMENT.get(declared)
            if extension:
                return FileType(extension, declared.decode())
        for marker, (extension, content_type) in ZIP_KINDS.items():
            if marker in names:
                return FileType(extension, content_type)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError,
            EOFError, NotImplementedError, ValueError):
        return None
    return None


def _text(content: bytes) -> FileType | None:
    if b"\x00" in content or MARKUP.search(content[:4096]):
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(unicodedata.category(c) == "Cc" and c not in "\r\n\t\f" for c in text[:4096]):
            return None
        if _is_table(text[:4096]):
            return FileType("csv", "text/csv")
        return FileType("txt", "text/plain")
    return None


def _is_table(sample: str) -> bool:
    """Say whether text reads as delimited rows: a first line with three columns or more, or
    two lines or more that all have the same number of separators (two columns included)."""
    lines = [line for line in sample.splitlines() if line.strip()]
    if not lines:
        return False
    if lines[0].count(";") + lines[0].count(",") >= 2:
        return True
    if len(sample) == 4096 and len(lines) > 2:
        lines = lines[:-1]  # the last line may be cut in the middle
    return len(lines) > 1 and any(
        len({line.count(separator) for line in lines}) == 1 and lines[0].count(separator) >= 1
        for separator in (";", ",", "\t"))


def safe_name(name: str, extension: str) -> str:
    """Return a display name without any path, control character or excessive length."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(c for c in unicodedata.normalize("NFC", base)
                   if unicodedata.category(c)[0] != "C").strip(" .")
    if not base:
        base = f"document.{extension}"
    # The name a partner downloads ends with what the file really is.
    stem, dot, suffix = base.rpartition(".")
    if not dot or suffix.lower() not in {extension, "jpeg" if extension == "jpg" else extension}:
        base = f"{stem if dot else base}.{extension}"
    if len(base) > 200:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[:190] + dot + suffix[:9]) if dot else base[:200]
    return base


def store(folder: Path, content: bytes) -> tuple[str, str]:
    """Write content under a generated name in the folder; return (stored name, sha256)."""
    stored_name = secrets.token_hex(16)
    path = folder / stored_name[:2] / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(content)
    return stored_name, hashlib.sha256(content).hexdigest()


def path_of(folder: Path, stored_name: str) -> Path:
    """Return where a stored file lives; the name is ours, never the uploader's."""
    if not re.fullmatch(r"[0-9a-f]{32}", stored_name):
        raise ValueError("not a stored file name")
    return folder / stored_name[:2] / stored_name
