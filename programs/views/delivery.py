"""The beneficiary list of a running program and the company's delivery report.

Who sees a program's beneficiary list is :func:`programs.services.delivery.beneficiary_list_access`; outside
the program's scope is 404, a role that sees no names 403. Every rendering or download of the list writes one
access-log row.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from accounts.scope import PersonalData, get_visible_or_404, identity_for, scope_of
from programs import services
from programs.excel.delivery import (
    NotASpreadsheet,
    beneficiary_workbook,
    delivery_upload_apply,
    household_address,
    household_needs,
)
from programs.forms.delivery import (
    DeliveryRowForm,
    DeliveryUploadForm,
    TermsForm,
)
from programs.forms.fields import RupiahInput
from programs.models import Program
from programs.selectors import delivery as selectors
from tslp_portal.excel import xlsx_response
from tslp_portal.privacy import personal_data_response
from tslp_portal.security import failure_record, failures_exceeded


def _personal(response, request, program: Program, row_count: int, action: str = "view", note: str = ""):
    reason = _("Program %(pk)s: %(title)s") % {"pk": program.pk, "title": program.title}
    return personal_data_response(
        response,
        request=request,
        what=_("Beneficiary list"),
        rows=row_count,
        action=action,
        # The note first: a long title must not cut off what happened.
        reason=f"{note} — {reason}" if note else reason,
    )


class ListAccessMixin(LoginRequiredMixin):
    """Decide who reaches a program's by-name list; company members pass the PKS and the terms first."""

    needs_terms = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.program = get_visible_or_404(
            Program.objects.select_related("company"), request.user, pk=kwargs["pk"]
        )
        access = services.beneficiary_list_access(program=self.program, user=request.user)
        self.is_member = access.is_member
        self.agreement = access.agreement
        if not access.sees_names:
            raise PermissionDenied
        if access.refusal:
            return render(
                request,
                "programs/delivery/unavailable.html",
                {"program": self.program, "reason": access.refusal},
                status=403,
            )
        if self.needs_terms and access.terms_needed:
            return redirect("programs:terms", pk=self.program.pk)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_report(self) -> bool:
        return "report" in services.program_actions(self.program, self.request.user)

    @cached_property
    def beneficiaries(self) -> list:
        return list(selectors.beneficiary_list(program=self.program, user=self.request.user))

    def render_list(self, request, forms=None, upload_errors=None, status=200, note=""):
        """Show the list (logged as a view of personal data); ``forms`` holds the delivery rows."""
        rows = _rows(self.beneficiaries, request.user, forms or {})
        context = {
            "program": self.program,
            "rows": rows,
            "can_report": self.can_report,
            "totals": selectors.delivery_totals(program=self.program),
            "agreement": self.agreement,
            "upload_form": DeliveryUploadForm() if self.can_report else None,
            "upload_errors": upload_errors,
            "masked": scope_of(request.user).personal_data is PersonalData.MASKED,
            "default_value": RupiahInput().format_value(self.program.value_per_household) or "",
        }
        response = render(request, "programs/delivery/beneficiary_list.html", context, status=status)
        return _personal(response, request, self.program, len(rows), note=note)


def _rows(beneficiaries, user, forms):
    return [
        {
            "beneficiary": b,
            "household": b.household,
            "nik": identity_for(user, b.household.nik_kepala),
            "no_kk": identity_for(user, b.household.no_kk),
            "address": household_address(b.household),
            "needs": household_needs(b.household),
            "form": forms.get(b.pk),
        }
        for b in beneficiaries
    ]


class BeneficiaryListView(ListAccessMixin, View):
    """The list; for the company of a running program also the one-form delivery report."""

    def get(self, request, pk):
        forms = (
            {b.pk: DeliveryRowForm(beneficiary=b) for b in self.beneficiaries} if self.can_report else None
        )
        return self.render_list(request, forms)

    def post(self, request, pk):
        if not self.can_report:
            raise PermissionDenied
        forms = {b.pk: DeliveryRowForm(request.POST, beneficiary=b) for b in self.beneficiaries}
        if not all([form.is_valid() for form in forms.values()]):
            messages.error(request, _("Nothing was saved: correct the rows marked in red."))
            return self.render_list(request, forms, status=400)
        try:
            changed = services.beneficiaries_report_delivery(
                program=self.program, actor=request.user, rows=[form.to_row() for form in forms.values()]
            )
        except services.DeliveryError as exc:
            for key, errors in exc.errors.items():
                for error in errors:
                    forms[key].add_error(None, error)
            messages.error(request, str(exc))
            return self.render_list(request, forms, status=400)
        except services.ProgramError as exc:
            messages.error(request, str(exc))
            return redirect(self.program)
        messages.success(request, _("Delivery saved for %(count)s households.") % {"count": changed})
        return redirect("programs:beneficiaries", pk=self.program.pk)


class BeneficiaryDownloadView(ListAccessMixin, View):
    def get(self, request, pk):
        content = beneficiary_workbook(
            program=self.program,
            beneficiaries=self.beneficiaries,
            user=request.user,
            agreement=self.agreement,
        )
        response = xlsx_response(content, f"penerima-tslp-{self.program.pk}.xlsx")
        return _personal(response, request, self.program, len(self.beneficiaries), action="export")


class DeliveryUploadView(ListAccessMixin, View):
    """Apply a filled-in list: all rows or none (a file with a bad row changes nothing).

    Refused uploads are counted per account and program: after ``FAILURE_LIMIT`` of them the next is refused
    unread (429) until an hour has passed since the last one counted, and each refusal is written to the
    security log and, with the rows it had wrong, in the access-log row of the page it answers with.
    """

    FAILURE_LIMIT = 10
    FAILURE_WINDOW = 60 * 60

    def get(self, request, pk):
        return redirect("programs:beneficiaries", pk=pk)

    def post(self, request, pk):
        if not self.can_report:
            raise PermissionDenied
        forms = {b.pk: DeliveryRowForm(beneficiary=b) for b in self.beneficiaries}
        who = f"{request.user.pk}:{self.program.pk}"
        if failures_exceeded(request, scope="delivery_upload", who=who, limit=self.FAILURE_LIMIT):
            message = _(
                "Too many uploads with errors for this program in the last hour. Wait an hour, then upload "
                "the list downloaded from this page with its code and No. KK columns unchanged."
            )
            note = _("Upload refused: too many uploads with errors")
            return self.render_list(request, forms, upload_errors={0: [message]}, status=429, note=note)
        form = DeliveryUploadForm(request.POST, request.FILES)
        errors = None
        if not form.is_valid():
            errors = {0: form.errors["file"]}
        else:
            try:
                changed, skipped = delivery_upload_apply(
                    program=self.program,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    beneficiaries=self.beneficiaries,
                )
            except NotASpreadsheet as exc:
                errors = {0: [str(exc)]}
            except services.DeliveryError as exc:
                messages.error(request, str(exc))
                errors = dict(sorted(exc.errors.items()))
            except services.ProgramError as exc:
                messages.error(request, str(exc))
                return redirect(self.program)
        if errors is not None:
            failure_record(
                request, scope="delivery_upload", who=who, window=self.FAILURE_WINDOW, rows=len(errors)
            )
            note = _("Upload refused: %(count)s rows with errors") % {"count": len(errors)}
            return self.render_list(request, forms, upload_errors=errors, status=400, note=note)
        messages.success(
            request,
            _(
                "The file is applied: delivery saved for %(count)s households; %(skipped)s rows without a status."
            )
            % {"count": changed, "skipped": skipped},
        )
        return redirect("programs:beneficiaries", pk=self.program.pk)


class TermsView(ListAccessMixin, View):
    needs_terms = False
    template_name = "programs/delivery/terms.html"

    def get(self, request, pk):
        if not self.is_member:
            return redirect("programs:beneficiaries", pk=pk)
        return render(
            request,
            self.template_name,
            {"program": self.program, "agreement": self.agreement, "form": TermsForm()},
        )

    def post(self, request, pk):
        if not self.is_member:
            raise PermissionDenied
        form = TermsForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {"program": self.program, "agreement": self.agreement, "form": form},
                status=400,
            )
        try:
            services.data_use_accept(program=self.program, actor=request.user)
        except services.ProgramError as exc:
            messages.error(request, str(exc))
            return redirect(self.program)
        messages.success(request, _("Thank you. The terms are recorded; the list is open."))
        return redirect("programs:beneficiaries", pk=pk)
