"""Importing one file: read, order, thread and write in batches, count what happened."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tqdm import tqdm

from parley.accounts.models import Brand
from parley.platforms.models import ChannelAccount

from .bulk import BulkImporter, import_tuning
from .detect import FORMATS, detect_format
from .ibm import IbmFile
from .jsonl import JsonLinesFile
from .records import ImportFileError, Record, Reject, arrival_order
from .twcs import TwcsFile

DEFAULT_BATCH_SIZE = 5000
# Records are sorted by time within windows of this many; memory stays bounded
# on files of millions of posts, and threading copes with what arrives out of order.
DEFAULT_WINDOW = 100_000
KEPT_REJECTS = 1000


@dataclass
class Summary:
    path: str
    format: str
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    truncated: int = 0
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)  # the first KEPT_REJECTS

    @property
    def posts_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def lines(self) -> list[str]:
        rows = [
            ("read", self.read),
            ("imported", self.imported),
            ("duplicates", self.duplicates),
            ("rejected", self.rejected),
        ]
        out = [f"{label:<11}{value:>10,}" for label, value in rows]
        if self.truncated:
            out.append(f"{'truncated':<11}{self.truncated:>10,}  (texts longer than the limit were shortened)")
        out.append(f"{'time':<11}{self.seconds:>10.1f} s  ({self.posts_per_second:,.0f} posts/s)")
        return out


def open_file(path: str | Path, fmt: str, brand: Brand):
    """The reader for `path`; ImportFileError when it cannot be read as `fmt`."""
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt not in FORMATS:
        raise ImportFileError(f"unknown format {fmt!r} (expected auto, {', '.join(FORMATS)})")
    if fmt == "twcs":
        handles = ChannelAccount.objects.filter(brand=brand, platform="x").values_list("handle", flat=True)
        return TwcsFile(path, known_handles=list(handles))
    if fmt == "ibm":
        return IbmFile(path)
    return JsonLinesFile(path)


def import_file(
    path: str | Path,
    brand: Brand,
    *,
    fmt: str = "auto",
    batch_size: int = DEFAULT_BATCH_SIZE,
    window: int = DEFAULT_WINDOW,
    progress: bool = False,
    progress_file=None,
    on_reject: Callable[[Reject], None] | None = None,
    received_at: datetime | None = None,
    actor: str = "import",
) -> Summary:
    """Import `path` into `brand`. Raises ImportFileError when the file is unusable.

    `progress` shows a tqdm bar on `progress_file` (stderr by default);
    `on_reject` hears of each refused record as it is read.
    """
    if batch_size < 1 or window < 1:
        raise ValueError("batch size and window must be at least 1")
    started = time.perf_counter()
    source = open_file(path, fmt, brand)
    summary = Summary(str(path), source.format)
    importer = BulkImporter(brand, actor=actor, received_at=received_at)
    bar = tqdm(
        total=source.estimate() if progress else None,
        disable=not progress,
        file=progress_file or sys.stderr,
        unit=" posts",
        desc=f"import {Path(path).name}",
        dynamic_ncols=True,
    )

    def flush(records: list[Record]) -> None:
        ordered = arrival_order(records)
        for start in range(0, len(ordered), batch_size):
            batch = ordered[start : start + batch_size]
            imported, duplicates = importer.ingest(batch)
            summary.imported += imported
            summary.duplicates += duplicates
            bar.update(len(batch))

    pending: list[Record] = []
    # Hundreds of thousands of records are alive at once and none of them form
    # reference cycles: the cyclic collector would only rescan them, over and over.
    collecting = gc.isenabled()
    gc.disable()
    with import_tuning():
        try:
            for item in source.records():
                summary.read += 1
                if isinstance(item, Reject):
                    summary.rejected += 1
                    if len(summary.rejects) < KEPT_REJECTS:
                        summary.rejects.append(item)
                    if on_reject is not None:
                        on_reject(item)
                    bar.update(1)
                    continue
                if item.post.truncated:
                    summary.truncated += 1
                pending.append(item)
                if len(pending) >= window:
                    flush(pending)
                    pending = []
            flush(pending)
            bar.total = bar.n  # the estimate counted lines; a quoted text may span several
            bar.refresh()
        finally:
            bar.close()
            if collecting:
                gc.enable()
    summary.seconds = time.perf_counter() - started
    return summary
