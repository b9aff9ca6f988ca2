from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import DEFAULT_DAYS, ApiTokenError, api_token_issue


class Command(BaseCommand):
    help = "Issue an API token for an account and print it (it is stored only as a digest)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help=f"Validity (default {DEFAULT_DAYS})."
        )
        parser.add_argument("--name", default="command line", help="Which integration uses the token.")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account {options['username']}.") from None
        try:
            token, key = api_token_issue(user=user, name=options["name"], days=options["days"])
        except ApiTokenError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(f"Token for {user.username}, valid until {token.expires_at:%Y-%m-%d %H:%M %Z}:")
        self.stdout.write(key)
