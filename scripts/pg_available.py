"""Exit 0 when the PostgreSQL server in argv[1] (a database URL) answers."""

import sys

import psycopg

try:
    with psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3):
        pass
except Exception as exc:  # any failure means "not available"
    print(f"PostgreSQL not available: {exc}", file=sys.stderr)
    sys.exit(1)
