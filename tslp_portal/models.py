"""What every app shares: the personal-data access log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One view or export of personal data (NIK, No. KK, names with addresses). Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("view")
        EXPORT = "export", _("export")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    what = models.CharField(_("what"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    reason = models.CharField(_("why"), max_length=200, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.what} ({self.row_count})"
