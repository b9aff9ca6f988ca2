from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureDecision(models.Model):
    """The disclosure-control decision for one state of the public figures, computed once and kept.

    The decision is a pure function of the counts it protects (:class:`publik.suppression.Ledger`), so it is
    stored under a digest of them: every worker and every request that sees the same counts shows the same
    cells hidden, and it is computed again only when a published count changes."""

    ledger_digest = models.CharField(max_length=64, unique=True)
    # The cells that are not published exactly: [[level, kode, field, tahun, status], ...].
    covered = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(help_text=_("How long the audit took."))

    class Meta:
        verbose_name = _("disclosure-control decision")
        verbose_name_plural = _("disclosure-control decisions")
        ordering = ("-computed_at",)

    def __str__(self):
        return f"{self.ledger_digest[:12]} ({self.computed_at:%Y-%m-%d %H:%M})"
