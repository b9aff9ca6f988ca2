"""Dinsos pages that match an approved program to households, and the household ledger."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import DinsosRequiredMixin
from poverty_data.models import Household
from programs.forms.matching import AddForm, ProposeForm, ReasonForm
from programs.models import Beneficiary, Program
from programs.selectors import matching as selectors
from programs.services import matching
from tslp_portal.privacy import mask_identity, personal_data_response

PAGE_SIZE = 100


class MatchingView(DinsosRequiredMixin, View):
    """The proposal of an approved program: why each household is on it; propose, remove, add, confirm."""

    template_name = "programs/matching/matching.html"

    def get(self, request, pk):
        program = get_object_or_404(Program.objects.select_related("company"), pk=pk)
        context = self._context(request, program)
        shown = len(context["rows"]) + len(context["removed"]) + len(context["found"])
        return personal_data_response(
            render(request, self.template_name, context),
            request=request,
            what=_("Beneficiaries of program %(id)s") % {"id": program.pk},
            rows=shown,
            reason=_("matching"),
        )

    def _context(self, request, program, **extra):
        listed = (
            Beneficiary.objects.filter(program=program)
            .exclude(state=Beneficiary.State.REMOVED)
            .select_related("household__desa")
            .defer("household__desa__boundary")
            .order_by("rank", "pk")
        )
        counts = selectors.beneficiary_counts(program=program)
        preview = selectors.targeting_preview(program=program)
        # Confirmed households hold a claim, so they no longer count as eligible: only the rest of the target
        # needs eligible households (no alarm once the target is met).
        assisted = counts[Beneficiary.State.CONFIRMED] + counts[Beneficiary.State.DELIVERED]
        still_needed = max(program.target_households - assisted, 0)
        paginator = Paginator(listed, PAGE_SIZE)
        paginator.count = counts["listed"]  # counted by state already: no second COUNT
        page = paginator.get_page(request.GET.get("page"))
        rows = list(page.object_list)
        reasons = selectors.proposal_reasons(rows)
        query = request.GET.get("q", "").strip()
        found = []
        if query and program.status == Program.Status.APPROVED:
            found = selectors.household_search(program, query)
        return {
            "program": program,
            "page_obj": page,
            "rows": [(row, reasons[row.pk]) for row in rows],
            "counts": counts,
            "removed": list(
                Beneficiary.objects.filter(program=program, state=Beneficiary.State.REMOVED)
                .select_related("household")
                .order_by("-pk")[:50]
            ),
            "propose_form": ProposeForm(),
            "query": query,
            "found": found,
            "can_match": program.status == Program.Status.APPROVED,
            "preview": preview,
            "still_needed": still_needed,
            "short_of_target": preview["eligible"] < still_needed,
            **extra,
        }


class ProposeView(DinsosRequiredMixin, View):
    def post(self, request, pk):
        program = get_object_or_404(Program, pk=pk)
        form = ProposeForm(request.POST)
        spread = form.cleaned_data["spread"] if form.is_valid() else "proportional"
        try:
            result = matching.beneficiaries_propose(program=program, actor=request.user, spread=spread)
        except matching.MatchingError as exc:
            messages.error(request, str(exc))
            return redirect("programs:matching", pk=pk)
        if result.proposed == 0:
            messages.warning(request, result.empty_reason)
        elif result.short:
            messages.warning(
                request,
                _(
                    "Only %(eligible)s households meet the criteria, fewer than the target of %(target)s: all are proposed."
                )
                % {"eligible": result.eligible, "target": result.target},
            )
        else:
            messages.success(request, _("%(count)s households proposed.") % {"count": result.proposed})
        return redirect("programs:matching", pk=pk)


class RemoveView(DinsosRequiredMixin, View):
    template_name = "programs/matching/remove.html"

    def _get(self, pk, beneficiary_pk):
        return get_object_or_404(
            Beneficiary.objects.select_related("program", "household__desa"), pk=beneficiary_pk, program_id=pk
        )

    def _render(self, request, beneficiary, form, status=200):
        return personal_data_response(
            render(request, self.template_name, {"beneficiary": beneficiary, "form": form}, status=status),
            request=request,
            what=_("Household %(no_kk)s, to remove from program %(id)s")
            % {"no_kk": mask_identity(beneficiary.household.no_kk), "id": beneficiary.program_id},
            rows=1,
            reason=_("matching"),
        )

    def get(self, request, pk, beneficiary_pk):
        return self._render(request, self._get(pk, beneficiary_pk), ReasonForm())

    def post(self, request, pk, beneficiary_pk):
        beneficiary = self._get(pk, beneficiary_pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self._render(request, beneficiary, form, status=400)
        try:
            matching.beneficiary_remove(
                beneficiary=beneficiary, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Household removed from the proposal."))
        except matching.MatchingError as exc:
            messages.error(request, str(exc))
        return redirect("programs:matching", pk=pk)


class AddView(DinsosRequiredMixin, View):
    def post(self, request, pk):
        program = get_object_or_404(Program, pk=pk)
        form = AddForm(request.POST)
        if form.is_valid():
            household = get_object_or_404(Household, pk=form.cleaned_data["household"])
            try:
                matching.beneficiary_add(
                    program=program,
                    actor=request.user,
                    household=household,
                    override_reason=form.cleaned_data["override_reason"],
                )
                # No identity number: messages travel in a signed, not encrypted, cookie.
                messages.success(request, _("Household added to the proposal."))
            except matching.MatchingError as exc:
                messages.error(request, str(exc))
        return redirect("programs:matching", pk=pk)


class ConfirmView(DinsosRequiredMixin, View):
    template_name = "programs/matching/confirm.html"

    def get(self, request, pk):
        program = get_object_or_404(Program.objects.select_related("company"), pk=pk)
        return render(
            request,
            self.template_name,
            {"program": program, "counts": selectors.beneficiary_counts(program=program)},
        )

    def post(self, request, pk):
        program = get_object_or_404(Program, pk=pk)
        try:
            count = matching.beneficiaries_confirm(program=program, actor=request.user)
        except matching.MatchingError as exc:
            messages.error(request, str(exc))
            return redirect("programs:matching", pk=pk)
        messages.success(
            request, _("%(count)s households confirmed; the program is now running.") % {"count": count}
        )
        return redirect("programs:matching", pk=pk)


class HouseholdLedgerView(DinsosRequiredMixin, View):
    """Every program a household was proposed, confirmed or delivered for."""

    template_name = "programs/matching/household_ledger.html"

    def get(self, request, household_pk):
        household = get_object_or_404(Household.objects.select_related("desa__kecamatan"), pk=household_pk)
        ledger = selectors.household_ledger(household=household)
        return personal_data_response(
            render(request, self.template_name, {"household": household, **ledger}),
            request=request,
            what=_("Household ledger %(no_kk)s") % {"no_kk": mask_identity(household.no_kk)},
            rows=1,
            reason=_("household ledger"),
        )
