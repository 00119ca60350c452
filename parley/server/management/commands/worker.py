"""`parley worker`: run background tasks (the django-tasks database worker)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (claims jobs from the database queue)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="Queue(s) to work on, comma separated; * for all.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")

    def handle(self, *args, **opts):
        call_command("db_worker", queue_name=opts["queue_name"], interval=opts["interval"])
