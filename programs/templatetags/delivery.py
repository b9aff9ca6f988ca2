"""The delivery and realisation panel on a program's page."""

from django import template

from programs.models import Program
from programs.selectors import delivery as selectors
from programs.services import beneficiary_list_access, program_actions

register = template.Library()

PANEL_STATUSES = {Program.Status.RUNNING, Program.Status.COMPLETED, Program.Status.CANCELLED}


@register.inclusion_tag("programs/includes/delivery_panel_body.html", takes_context=True)
def delivery_panel(context, program: Program) -> dict:
    user = context["request"].user
    access = beneficiary_list_access(program=program, user=user)
    return {
        "program": program,
        "show": program.status in PANEL_STATUSES,
        "is_member": access.is_member,
        "running": program.status == Program.Status.RUNNING,
        "can_open_list": access.worth_linking,
        "access_ended": access.ended,
        "can_report": "report" in program_actions(program, user),
        "totals": selectors.delivery_totals(program=program),  # counts, not personal data: pimpinan too
        "reports": program.reports.select_related("submitted_by").order_by("-submitted_at"),
        "is_dinsos": user.is_dinsos,
    }
