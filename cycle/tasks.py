"""Background tasks of the cycle (run by `python manage.py db_worker`)."""

import datetime

from django_tasks import task


@task()
def reminders_send_task(day: str = "") -> int:
    """Send the reminders due on ``day`` (ISO date; today when empty)."""
    from cycle.services.reminders import reminders_send

    return reminders_send(today=datetime.date.fromisoformat(day) if day else None)


@task()
def invitations_send_task(entry_ids: list[int], actor_id: int | None, days: int) -> int:
    """Send invitations to the register entries ``entry_ids``; returns how many were sent."""
    from accounts.models import User
    from cycle.models import ObligatedCompany
    from cycle.services.invitations import invitation_send

    actor = User.objects.filter(pk=actor_id).first()
    sent = 0
    for entry in ObligatedCompany.objects.filter(pk__in=entry_ids).order_by("pk"):
        sent += invitation_send(entry=entry, actor=actor, days=days) is not None
    return sent
