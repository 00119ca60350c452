"""`parley worker`: run background tasks (the django-tasks database worker) and the periodic jobs."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from parley.server import periodic


class Command(BaseCommand):
    help = "Run the background task worker (claims jobs from the database queue) and the periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="Queue(s) to work on, comma separated; * for all.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--no-periodic", action="store_true",
                            help="Do not run periodic jobs in this process (see `parley tick`).")

    def handle(self, *args, **opts):
        stop = None
        if settings.PARLEY_PERIODIC_ENABLED and not opts["no_periodic"]:
            # A daemon thread beside the task worker; jobs are claimed in the database,
            # so several workers (or a cron `parley tick`) never run one twice.
            _thread, stop = periodic.start_thread(settings.PARLEY_PERIODIC_POLL_SECONDS)
        try:
            call_command("db_worker", queue_name=opts["queue_name"], interval=opts["interval"])
        finally:
            if stop is not None:
                stop.set()
