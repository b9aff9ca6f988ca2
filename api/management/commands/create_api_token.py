from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import MAX_DAYS, PERSONAL_DATA_MAX_DAYS, ApiTokenError, api_token_issue
from tslp_portal.api import TokenScope


class Command(BaseCommand):
    help = (
        "Issue an API token for an account with the scopes it may read, and print it (it is stored only as a "
        "digest). A households:read token needs an account with a confirmed second factor and lasts at most "
        f"{PERSONAL_DATA_MAX_DAYS} days."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--scope",
            dest="scopes",
            action="append",
            required=True,
            choices=TokenScope.values,
            help="What the token may read; repeat for several.",
        )
        parser.add_argument("--days", type=int, required=True, help=f"Validity in days (1 to {MAX_DAYS}).")
        parser.add_argument("--name", default="command line", help="Which integration uses the token.")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account {options['username']}.") from None
        try:
            token, key = api_token_issue(
                user=user, name=options["name"], scopes=options["scopes"], days=options["days"]
            )
        except ApiTokenError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"Token for {user.username} with the scopes {', '.join(token.scopes)}, "
            f"valid until {token.expires_at:%Y-%m-%d %H:%M %Z}:"
        )
        self.stdout.write(key)
