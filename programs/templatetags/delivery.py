"""The delivery and realisation panel on a program's page."""

from django import template

from accounts.scope import PersonalData, scope_of
from programs.models import Program
from programs.selectors import delivery as selectors
from programs.services import program_actions

register = template.Library()

PANEL_STATUSES = {Program.Status.RUNNING, Program.Status.COMPLETED, Program.Status.CANCELLED}


@register.inclusion_tag("programs/includes/delivery_panel_body.html", takes_context=True)
def delivery_panel(context, program: Program) -> dict:
    user = context["request"].user
    is_member = program.has_member(user)
    sees_names = scope_of(user).personal_data is not PersonalData.NONE
    running = program.status == Program.Status.RUNNING
    return {
        "program": program,
        "show": program.status in PANEL_STATUSES,
        "is_member": is_member,
        "running": running,
        "can_open_list": sees_names and (running or not is_member),
        "access_ended": is_member and not running,
        "can_report": "report" in program_actions(program, user),
        "totals": selectors.delivery_totals(program=program),  # counts, not personal data: pimpinan too
        "reports": program.reports.select_related("submitted_by").order_by("-submitted_at"),
        "is_dinsos": user.is_dinsos,
    }
