"""File importers: `parley import FILE`.

Three formats (twcs CSV, IBM customer-care JSON, Parley JSON lines) are read
into validated records; the bulk path threads them with the live threading
policy and writes one transaction per batch. See docs/import-format.md.
"""

from .records import ImportFileError, Record, Reject, arrival_order
from .run import DEFAULT_BATCH_SIZE, Summary, import_file, open_file

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ImportFileError",
    "Record",
    "Reject",
    "Summary",
    "arrival_order",
    "import_file",
    "open_file",
]
