"""A company registering or being verified on the portal moves its register entry (joined by NIB)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from companies.models import Company


@receiver(post_save, sender=Company, dispatch_uid="cycle_company_saved")
def company_saved(sender, instance: Company, created: bool, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if not created and update_fields is not None and not {"status", "nib"} & set(update_fields):
        return
    from cycle.services.register import company_joined

    company_joined(company=instance)
