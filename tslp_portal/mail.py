"""The one way the portal sends mail: after the change has committed, and never breaking it.

A notification is a consequence of a saved change, not part of it: it is rendered and sent once the
transaction commits, in Indonesian whatever the actor's page language, with a subject flattened to one
line (a title typed with a line break cannot forge a header), and a sending failure is logged, never
raised to the user whose change is already saved.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("tslp.mail")

SUBJECT_MAX = 180


def subject_line(text: str) -> str:
    """One line of at most ``SUBJECT_MAX`` characters: every run of whitespace or control characters is a space."""
    flat = "".join(ch if ch.isprintable() else " " for ch in str(text))
    flat = " ".join(flat.split())
    return flat if len(flat) <= SUBJECT_MAX else flat[: SUBJECT_MAX - 1] + "…"


def mail_after_commit(
    *,
    recipients: Iterable[str],
    body_template: str,
    subject_template: str = "",
    subject: str = "",
    subject_params: dict | None = None,
    context: dict | None = None,
    context_builder: Callable[[], dict] | None = None,
) -> None:
    """Queue a mail for when the current transaction commits (at once outside one).

    The subject is ``subject`` (a lazy translation, ``%``-formatted with ``subject_params`` in Indonesian)
    or ``subject_template`` rendered; ``context_builder`` (called at send
    time, to read the committed rows) takes precedence over ``context``.
    """
    recipients = list(dict.fromkeys(r for r in recipients if r))
    if not recipients:
        return

    def send():
        try:
            with translation.override(settings.LANGUAGE_CODE):
                data = context_builder() if context_builder is not None else (context or {})
                if subject_template:
                    title = render_to_string(subject_template, data)
                else:
                    title = str(subject) % (subject_params or {})
                body = render_to_string(body_template, data)
            send_mail(subject_line(title), body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:
            logger.exception(
                "mail not sent",
                extra={"event": "mail_failed", "template": body_template, "to": len(recipients)},
            )

    transaction.on_commit(send, robust=True)
