"""The SLA-sorted inbox page's query alone on SQLite (50 rows, the admin's active view), before and after
the tie-breaking index (inbox 0008), on two databases kept by bench_inbox.py with the same seed: one
built on main before the change (its index, its ORDER BY), one on this branch.

    .venv/bin/python bench/bench_sla_sort.py BEFORE.sqlite3 AFTER.sqlite3 [--no-timers] [--rounds 6 --reps 40]

--no-timers runs on temporary copies whose stored due times are cleared (a brand without SLA policies:
every active conversation ties on the due time). Prints the plans, whether both return the same 50 ids
in the same order, the load average, and CPU milliseconds per query (p50, p95); runs alternate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import tempfile
import time

WHERE = "\"brand_id\" = ? AND \"status\" IN ('new', 'open', 'pending_customer', 'pending_internal')"
ORDER = {
    "before": '"sla_due_at" ASC NULLS LAST, "waiting_since" ASC NULLS LAST, "last_post_at" ASC, "id" ASC',
    "after": '"sla_due_at" ASC NULLS LAST, ("waiting_since" IS NULL) ASC, "waiting_since" ASC, "last_post_at" ASC, '
             '"id" ASC',
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--no-timers", action="store_true")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--reps", type=int, default=40)
    args = parser.parse_args()
    paths = {"before": args.before, "after": args.after}
    tmp = tempfile.mkdtemp(prefix="bench-sla-sort-") if args.no_timers else None
    try:
        if tmp:
            for name in paths:
                paths[name] = shutil.copy(paths[name], os.path.join(tmp, f"{name}.sqlite3"))
                with sqlite3.connect(paths[name]) as conn:
                    conn.execute("UPDATE inbox_conversation SET sla_due_at = NULL, sla_warn_at = NULL")
        conns = {name: sqlite3.connect(path) for name, path in paths.items()}
        sql = {name: f'SELECT * FROM "inbox_conversation" WHERE {WHERE} ORDER BY {ORDER[name]} LIMIT 50'
               for name in conns}
        brand = {name: c.execute("SELECT id FROM accounts_brand WHERE slug = 'bench-acme'").fetchone()[0]
                 for name, c in conns.items()}
        for name, c in conns.items():
            plan = [row[-1] for row in c.execute("EXPLAIN QUERY PLAN " + sql[name], (brand[name],))]
            active = c.execute(f"SELECT count(*) FROM inbox_conversation WHERE {WHERE}", (brand[name],)).fetchone()[0]
            print(f"{name}: {active:,} active conversations; plan: {' / '.join(plan)}")
        ids = {name: [r[0] for r in conns[name].execute(sql[name], (brand[name],))] for name in conns}
        print("same 50 ids in the same order:", ids["before"] == ids["after"])
        print(time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "load average %.1f %.1f %.1f" % os.getloadavg())
        cpu = {name: [] for name in conns}
        for round_ in range(args.rounds):
            for name in ("before", "after") if round_ % 2 == 0 else ("after", "before"):
                for _ in range(args.reps):
                    start = time.process_time()
                    conns[name].execute(sql[name], (brand[name],)).fetchall()
                    cpu[name].append((time.process_time() - start) * 1000)
        print(time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "load average %.1f %.1f %.1f" % os.getloadavg())
        for name, values in cpu.items():
            values.sort()
            print(f"{name}: {len(values)} queries, CPU ms p50 {statistics.median(values):.2f} "
                  f"p95 {values[int(len(values) * 0.95)]:.2f}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
