"""Keep the figures' summary tables exact: connected in DashboardsConfig.ready().

The services that change the ledger wrap the change in ``programs.signals.ledger_change``: the program's
households are read before and after and the summary updated by the difference. The model signals catch
single-row edits (the admin, fixtures) that go through ``save()`` the same way, one household at a time;
deleting a household or a beneficiary row recounts its desa.
"""

import threading

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from dashboards.services.summary import (
    figures_delta_begin,
    figures_rebuild,
    figures_refresh,
    figures_touch,
    is_built,
)
from poverty_data.models import Household
from poverty_data.signals import registry_changed
from programs.models import Beneficiary, Program
from programs.signals import ledger_change_active, ledger_changing

# Programs being deleted in this thread (their beneficiaries' own deletions need no recount).
_deleting = threading.local()
FIGURES_STATUSES = {
    Program.Status.APPROVED,
    Program.Status.RUNNING,
    Program.Status.COMPLETED,
    Program.Status.CANCELLED,
}


def _program_households(program_id: int) -> list[int]:
    return list(Beneficiary.objects.filter(program_id=program_id).values_list("household_id", flat=True))


def _program_status(program_id: int) -> str | None:
    return Program.objects.filter(pk=program_id).values_list("status", flat=True).first()


def on_registry_changed(sender, **kwargs):
    figures_rebuild()


def on_ledger_changing(sender, *, program_id: int, reach: bool = True, **kwargs):
    """Before a change of the program's ledger: what runs after it."""
    if not reach:
        return figures_touch
    status_before = _program_status(program_id)
    finish = figures_delta_begin(household_ids=_program_households(program_id))

    def after():
        # Figures count programs from approval on (and a cancellation takes them out); earlier steps change
        # nothing, and leave "data per" alone.
        if {status_before, _program_status(program_id)} & FIGURES_STATUSES:
            finish()

    return after


def on_household_pre_save(sender, instance: Household, raw=False, **kwargs):
    if raw or instance.pk is None or not is_built():
        return
    instance._figures_finish = figures_delta_begin(household_ids=[instance.pk], desa_ids=[instance.desa_id])


def on_household_saved(sender, instance: Household, raw=False, created=False, **kwargs):
    if raw:
        return
    finish = instance.__dict__.pop("_figures_finish", None)
    if created and is_built():
        finish = figures_delta_begin(household_ids=[instance.pk], new=True)
    if finish is not None:
        finish()


def on_household_deleted(sender, instance: Household, **kwargs):
    if is_built():
        figures_refresh(desa_ids={instance.desa_id})


def on_program_pre_delete(sender, instance: Program, **kwargs):
    # Deleting a program cascades to its beneficiaries, one post_delete each: update its households once.
    if is_built():
        instance._figures_finish = figures_delta_begin(household_ids=_program_households(instance.pk))
        _deleting.programs = getattr(_deleting, "programs", set()) | {instance.pk}


def on_program_deleted(sender, instance: Program, **kwargs):
    finish = instance.__dict__.pop("_figures_finish", None)
    if finish is not None:
        _deleting.programs = getattr(_deleting, "programs", set()) - {instance.pk}
        finish()


def _handled_elsewhere(instance: Beneficiary) -> bool:
    return (
        instance.program_id in getattr(_deleting, "programs", ())
        or ledger_change_active(instance.program_id)
        or not is_built()
    )


def on_beneficiary_pre_save(sender, instance: Beneficiary, raw=False, **kwargs):
    if raw or _handled_elsewhere(instance):
        return
    households = {instance.household_id}
    if instance.pk is not None:
        households.update(Beneficiary.objects.filter(pk=instance.pk).values_list("household_id", flat=True))
    instance._figures_finish = figures_delta_begin(household_ids=households)


def on_beneficiary_saved(sender, instance: Beneficiary, raw=False, **kwargs):
    finish = instance.__dict__.pop("_figures_finish", None)
    if finish is not None:
        finish()


def on_beneficiary_deleted(sender, instance: Beneficiary, **kwargs):
    if _handled_elsewhere(instance):
        return
    figures_refresh(
        desa_ids=Household.objects.filter(pk=instance.household_id).values_list("desa_id", flat=True)
    )


def connect() -> None:
    registry_changed.connect(on_registry_changed, dispatch_uid="dashboards.registry_changed")
    ledger_changing.connect(on_ledger_changing, dispatch_uid="dashboards.ledger_changing")
    pre_save.connect(on_household_pre_save, sender=Household, dispatch_uid="dashboards.household_pre")
    post_save.connect(on_household_saved, sender=Household, dispatch_uid="dashboards.household_save")
    post_delete.connect(on_household_deleted, sender=Household, dispatch_uid="dashboards.household_delete")
    pre_delete.connect(on_program_pre_delete, sender=Program, dispatch_uid="dashboards.program_pre_delete")
    post_delete.connect(on_program_deleted, sender=Program, dispatch_uid="dashboards.program_delete")
    pre_save.connect(on_beneficiary_pre_save, sender=Beneficiary, dispatch_uid="dashboards.beneficiary_pre")
    post_save.connect(on_beneficiary_saved, sender=Beneficiary, dispatch_uid="dashboards.beneficiary_save")
    post_delete.connect(
        on_beneficiary_deleted, sender=Beneficiary, dispatch_uid="dashboards.beneficiary_delete"
    )
