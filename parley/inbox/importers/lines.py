"""Reading a text file line by line with line numbers, tolerating bad bytes."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import BinaryIO

from .records import ImportFileError

BOM = "\ufeff"


def open_binary(path: str | Path) -> BinaryIO:
    """Open `path` for reading or say clearly why not."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a directory, not a file") from None
    except PermissionError:
        raise ImportFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    return handle


def read_head(path: str | Path, size: int = 65536) -> bytes:
    with open_binary(path) as handle:
        try:
            return handle.read(size)
        except OSError as exc:
            raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None


def count_lines(path: str | Path) -> int:
    """How many lines the file holds (fast; for the progress bar)."""
    total = 0
    last = b"\n"
    with open_binary(path) as handle:
        while chunk := handle.read(1 << 20):
            total += chunk.count(b"\n")
            last = chunk[-1:]
    return total + (last != b"\n")


class Lines:
    """An iterator of text lines (line ends kept) that remembers their numbers.

    Lines that are not valid UTF-8 are decoded with replacement characters and
    their numbers kept in `bad_lines`, so the record holding them is refused
    instead of the whole file. `taken` lists the (number, text) lines handed
    out since the last `start_record()`; `push_back` returns lines to be read
    again (a reader resynchronising after a broken record).
    """

    def __init__(self, handle: BinaryIO):
        self._handle = handle
        self._back: deque[tuple[int, str]] = deque()
        self._number = 0
        self.taken: list[tuple[int, str]] = []
        self.bad_lines: set[int] = set()

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        if self._back:
            item = self._back.popleft()
        else:
            raw = self._handle.readline()
            if not raw:
                raise StopIteration
            self._number += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", errors="replace")
                self.bad_lines.add(self._number)
            if self._number == 1 and text.startswith(BOM):
                text = text[1:]
            item = (self._number, text)
        self.taken.append(item)
        return item[1]

    def start_record(self) -> None:
        self.taken = []

    def push_back(self, items: list[tuple[int, str]]) -> None:
        self._back.extendleft(reversed(items))

    def has_bad_bytes(self) -> bool:
        return any(number in self.bad_lines for number, _ in self.taken) if self.bad_lines else False
