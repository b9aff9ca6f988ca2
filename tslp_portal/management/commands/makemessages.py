"""``makemessages`` without msgmerge's fuzzy matching.

Fuzzy matching guesses a translation for a new string from a similar old one ("queue name" got "nama
berkas", the translation of "file name"); a wrong guess is worse than an empty entry the catalogue test flags.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
