"""Strings of Django and of our dependencies that the portal translates itself.

Marking them here puts them in our catalogue (`make messages`), where our Indonesian wins over the
package's: Django's own Indonesian login error reads "nama pengguna nama pengguna" (its ``%(username)s`` is
already the field's name), and django-tasks-db ships no Indonesian at all. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

STRINGS = [
    # django.contrib.auth: the login error, without the doubled "nama pengguna".
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
    ),
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. Note that both fields "
        "may be case-sensitive."
    ),
    # django-tasks-db: the background task results Dinsos sees in the back office.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
]
