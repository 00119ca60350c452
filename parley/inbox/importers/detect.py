"""Which reader a file needs: by its content first, then by its name."""

from __future__ import annotations

from pathlib import Path

from .lines import read_head
from .records import ImportFileError

FORMATS = ("twcs", "ibm", "jsonl")
_BY_SUFFIX = {".csv": "twcs", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "ibm"}


def detect_format(path: str | Path) -> str:
    """'twcs', 'ibm' or 'jsonl'; ImportFileError when the file gives no clue."""
    head = read_head(path)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text:
        raise ImportFileError(f"{path} is empty")
    first_line = text.split(b"\n", 1)[0]
    if text.startswith(b"["):
        return "ibm"
    if text.startswith(b"{"):
        return "jsonl"
    names = {name.strip().strip(b'"').lower() for name in first_line.split(b",")}
    if {b"tweet_id", b"author_id", b"inbound"} <= names:
        return "twcs"
    by_name = _BY_SUFFIX.get(Path(path).suffix.lower())
    if by_name:
        return by_name
    raise ImportFileError(f"cannot tell the format of {path}; name it with --format twcs, ibm or jsonl")
