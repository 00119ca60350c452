"""`parley customers export|erase`: a customer's data out, or erased, from the server's console.

    parley customers export --brand acme 42 --out customer-42.json   (stdout without --out)
    parley customers erase --brand acme 42 --confirm "erase 42"

The same actions as the web pages and the API; the console operator acts as an
admin and is audited as "cli".
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from parley.accounts.models import Brand
from parley.customers import actions, export
from parley.inbox.actions import ActionError
from parley.inbox.models import Customer

ACTOR = "cli"


class Command(BaseCommand):
    help = "Export a customer's data as JSON, or erase it for good (see docs/security.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        out = sub.add_parser("export", help="Write the customer's data as JSON.")
        out.add_argument("--brand", required=True, help="The brand's slug.")
        out.add_argument("customer", type=int, help="The customer's id.")
        out.add_argument("--out", help="File to write (default: standard output).")
        erase = sub.add_parser("erase", help="Erase the customer's personal data. Cannot be undone.")
        erase.add_argument("--brand", required=True, help="The brand's slug.")
        erase.add_argument("customer", type=int, help="The customer's id.")
        erase.add_argument("--confirm", required=True, help='Exactly "erase <customer id>".')

    def handle(self, *args, what, brand, customer, **options):
        found = Customer.objects.filter(brand__in=Brand.objects.filter(slug=brand), pk=customer).first()
        if found is None:
            raise CommandError(f"No customer {customer} in brand {brand!r}")
        if what == "export":
            self._export(found, options.get("out"))
        else:
            try:
                erasure = actions.erase_customer(found, ACTOR, confirm=options["confirm"])
            except ActionError as exc:
                raise CommandError(str(exc)) from None
            counts = ", ".join(f"{n} {k}" for k, n in erasure.counts.items())
            self.stdout.write(f"Customer {found.pk} erased at {erasure.erased_at:%Y-%m-%d %H:%M} UTC ({counts}).")

    def _export(self, customer, path):
        actions.record_export(customer, ACTOR)
        if not path:
            for piece in export.chunks(customer):
                self.stdout.write(piece, ending="")
            return
        with open(path, "w", encoding="utf-8") as handle:
            for piece in export.chunks(customer):
                handle.write(piece)
        self.stderr.write(f"Customer {customer.pk} exported to {path}.")
