import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import AccountError, account_create
from accounts.two_factor import ENROLMENT_CODE_VALIDITY, enrolment_code_issue, enrolment_code_required
from companies.models import Company
from poverty_data.models import Kecamatan


class Command(BaseCommand):
    help = "Create a portal account. The password comes from TSLP_ACCOUNT_PASSWORD or is asked for."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=User.Role.values)
        parser.add_argument("--kecamatan", help="Kemendagri code of the kecamatan (camat accounts).")
        parser.add_argument("--company", help="NIB of the company (company accounts).")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="The person's name.")

    def handle(self, *args, **options):
        kecamatan = company = None
        if options["kecamatan"]:
            try:
                kecamatan = Kecamatan.objects.get(kode=options["kecamatan"])
            except Kecamatan.DoesNotExist:
                raise CommandError(
                    f"No kecamatan with code {options['kecamatan']}. Run load_wilayah first?"
                ) from None
        if options["company"]:
            try:
                company = Company.objects.get(nib=options["company"])
            except Company.DoesNotExist:
                raise CommandError(f"No company with NIB {options['company']}.") from None
        password = os.environ.get("TSLP_ACCOUNT_PASSWORD") or self._ask_password()
        try:
            user = account_create(
                username=options["username"],
                role=options["role"],
                password=password,
                email=options["email"],
                first_name=options["name"],
                kecamatan=kecamatan,
                company=company,
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.get_role_display()})."))
        if enrolment_code_required(user):
            code = enrolment_code_issue(user=user)
            self.stdout.write(
                f"Second-factor enrolment code (shown only now; give it to {user.username} in person, valid "
                f"{ENROLMENT_CODE_VALIDITY.days} days, asked for when setting up the authenticator app): {code}"
            )

    def _ask_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return password
