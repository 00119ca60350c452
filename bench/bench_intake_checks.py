#!/usr/bin/env python
"""What the Host / HTTPS checks cost the webhook fast path (`intake.refusal_for_request`), per request.

    .venv/bin/python bench/bench_intake_checks.py [--calls 20000] [--repeats 5]

No database: it times the check alone (Django's ASGIRequest + SecurityMiddleware.process_request +
get_host) for an accepted request, with and without SECURE_SSL_REDIRECT and the proxy header, and for
a refused host, and prints the best and median of the repeats in CPU µs per call (CPU time of this
process, which other processes on a shared machine disturb much less than the wall clock).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import timeit
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def scope(host: bytes, extra=()) -> dict:
    return {"type": "http", "method": "POST", "path": "/hooks/x/", "query_string": b"", "scheme": "http",
            "client": ("127.0.0.1", 5), "server": ("127.0.0.1", 8000),
            "headers": [(b"host", host), (b"content-type", b"application/json"), (b"content-length", b"300"),
                        (b"x-twitter-webhooks-signature", b"sha256=" + b"a" * 44), *extra]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.signals import setting_changed

    from parley.platforms import intake

    logging.getLogger("django.security.DisallowedHost").disabled = True  # the refused case logs each call
    cases = [
        ("accepted (defaults)", {}, scope(b"127.0.0.1:8000"), None),
        ("accepted, SSL redirect on, https from the trusted proxy",
         {"SECURE_SSL_REDIRECT": True, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
         scope(b"127.0.0.1:8000", [(b"x-forwarded-proto", b"https")]), None),
        ("refused host (400)", {}, scope(b"evil.example"), 400),
    ]
    load = os.getloadavg()[0]
    print(f"### Webhook fast path: Host and HTTPS checks, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    print(f"Machine: {platform.node()}, {os.cpu_count()} CPUs, load average {load:.1f} at the start; "
          f"Python {platform.python_version()}; {args.calls} calls x {args.repeats} repeats.\n")
    print("| case | best CPU µs per request | median CPU µs per request |\n|---|---:|---:|")
    for name, values, request_scope, expected in cases:
        for key, value in values.items():
            setattr(settings, key, value)
            setting_changed.send(sender=None, setting=key, value=value, enter=True)
        answer = intake.refusal_for_request(request_scope)
        assert (answer[0] if answer else None) == expected, (name, answer)
        times = [t / args.calls * 1e6 for t in timeit.repeat(lambda: intake.refusal_for_request(request_scope),
                                                             number=args.calls, repeat=args.repeats,
                                                             timer=time.process_time)]
        print(f"| {name} | {min(times):.1f} | {statistics.median(times):.1f} |")
        for key in values:
            setattr(settings, key, {"SECURE_SSL_REDIRECT": False, "SECURE_PROXY_SSL_HEADER": None}[key])
            setting_changed.send(sender=None, setting=key, value=None, enter=False)


if __name__ == "__main__":
    main()
