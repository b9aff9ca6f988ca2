from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from tslp_portal.demo import DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Fill the portal with invented demo data and print the demo logins (idempotent)."

    def handle(self, *args, **options):
        call_command("load_wilayah", stdout=self.stdout)
        accounts = demo_accounts_create()
        with translation.override("id"):
            self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
            for account in accounts:
                scope = f" — {account.scope}" if account.scope else ""
                self.stdout.write(f"  {account.username:<12} {account.role}{scope}")
