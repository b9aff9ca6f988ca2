"""Keep the figures' summary tables exact: connected in DashboardsConfig.ready().

The explicit signals come from the services that change the ledger; the model signals catch single-row edits
(the admin, fixtures) that go through ``save()``. Program status changes happen only in services, which send
``ledger_changed``.
"""

import threading

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from dashboards.services.summary import figures_rebuild, figures_refresh, figures_refresh_program, is_built
from poverty_data.models import Household
from poverty_data.signals import registry_changed
from programs.models import Beneficiary, Program
from programs.signals import ledger_changed

# Programs being deleted in this thread (their beneficiaries' own deletions need no recount).
_deleting = threading.local()
FIGURES_STATUSES = {
    Program.Status.APPROVED,
    Program.Status.RUNNING,
    Program.Status.COMPLETED,
    Program.Status.CANCELLED,
}


def on_registry_changed(sender, **kwargs):
    figures_rebuild()


def on_ledger_changed(sender, *, program_id: int, **kwargs):
    # Figures count programs from approval on (and a cancellation takes them out); earlier steps change nothing.
    status = Program.objects.filter(pk=program_id).values_list("status", flat=True).first()
    if status in FIGURES_STATUSES:
        figures_refresh_program(program_id=program_id)


def on_household_pre_save(sender, instance: Household, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._figures_old_desa_id = (
        Household.objects.filter(pk=instance.pk).values_list("desa_id", flat=True).first()
    )


def on_household_changed(sender, instance: Household, raw=False, **kwargs):
    if raw or not is_built():
        return
    figures_refresh(desa_ids={instance.desa_id, getattr(instance, "_figures_old_desa_id", None)})


def on_program_pre_delete(sender, instance: Program, **kwargs):
    # Deleting a program cascades to its beneficiaries, one post_delete each: recount its desa once instead.
    if is_built():
        instance._figures_desa_ids = set(
            Household.objects.filter(beneficiaries__program=instance)
            .values_list("desa_id", flat=True)
            .distinct()
        )
        _deleting.programs = getattr(_deleting, "programs", set()) | {instance.pk}


def on_program_deleted(sender, instance: Program, **kwargs):
    desa_ids = getattr(instance, "_figures_desa_ids", None)
    if desa_ids is not None:
        _deleting.programs = getattr(_deleting, "programs", set()) - {instance.pk}
        figures_refresh(desa_ids=desa_ids)


def on_beneficiary_changed(sender, instance: Beneficiary, raw=False, **kwargs):
    if raw or instance.program_id in getattr(_deleting, "programs", ()) or not is_built():
        return
    figures_refresh(
        desa_ids=Household.objects.filter(pk=instance.household_id).values_list("desa_id", flat=True)
    )


def connect() -> None:
    registry_changed.connect(on_registry_changed, dispatch_uid="dashboards.registry_changed")
    ledger_changed.connect(on_ledger_changed, dispatch_uid="dashboards.ledger_changed")
    pre_save.connect(on_household_pre_save, sender=Household, dispatch_uid="dashboards.household_pre")
    post_save.connect(on_household_changed, sender=Household, dispatch_uid="dashboards.household_save")
    post_delete.connect(on_household_changed, sender=Household, dispatch_uid="dashboards.household_delete")
    pre_delete.connect(on_program_pre_delete, sender=Program, dispatch_uid="dashboards.program_pre_delete")
    post_delete.connect(on_program_deleted, sender=Program, dispatch_uid="dashboards.program_delete")
    post_save.connect(on_beneficiary_changed, sender=Beneficiary, dispatch_uid="dashboards.beneficiary_save")
    post_delete.connect(
        on_beneficiary_changed, sender=Beneficiary, dispatch_uid="dashboards.beneficiary_delete"
    )
