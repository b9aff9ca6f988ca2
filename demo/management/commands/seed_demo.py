from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import translation

from demo.accounts import DEMO_HOUSEHOLDS, DEMO_PASSWORD, demo_accounts_create, demo_households_create
from demo.etalase import demo_needs_create
from demo.field import demo_field_create
from demo.programs import demo_programs_create
from demo.register import demo_register_create
from demo.story import demo_story_create


class Command(BaseCommand):
    help = "Fill the portal with invented demo data and print the demo logins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=DEMO_HOUSEHOLDS,
            help="Invented households to import into an empty registry (default %(default)s; 0 for none).",
        )

    def handle(self, *args, **options):
        call_command("load_wilayah", stdout=self.stdout)
        accounts = demo_accounts_create()
        created = demo_households_create(count=options["households"])
        if created:
            self.stdout.write(f"Registry: {created} invented households imported.")
        # The demo walks programs through the real workflow; its notifications would only flood the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            companies, programs = demo_programs_create(password=DEMO_PASSWORD)
            story = demo_story_create()
            register = demo_register_create()
            needs = demo_needs_create()
            field = demo_field_create(password=DEMO_PASSWORD)
        if field is not None:
            accounts.append(field)
        self.stdout.write(
            f"Demo companies: {companies}; programs: {programs}; past and current years: {story}; "
            f"register of obligated companies: {register}."
        )
        self.stdout.write(f"Etalase: {needs} needs of the desa.")
        with translation.override("id"):
            self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
            for account in accounts:
                scope = f" — {account.scope}" if account.scope else ""
                self.stdout.write(f"  {account.username:<12} {account.role}{scope}")
