"""Invitations: Dinsos invites one, a selection or every uninvited company; the company claims its record."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import DinsosRequiredMixin
from companies.forms import CompanyForm, ContactAccountForm
from companies.services import CompanyError
from cycle.forms import InviteForm
from cycle.models import Invitation, ObligatedCompany
from cycle.services import CycleError
from cycle.services.invitations import INVITABLE, invitation_claim, invitation_for_token
from cycle.tasks import invitations_send_task
from tslp_portal.params import ascii_int
from tslp_portal.security import rate_limited


class InviteView(DinsosRequiredMixin, View):
    """POST with ``confirm`` absent shows whom the invitation goes to; with ``confirm`` it sends."""

    http_method_names = ["post"]
    template_name = "cycle/invitations/confirm.html"

    def post(self, request):
        if request.POST.get("all") == "uninvited":
            chosen = ObligatedCompany.objects.filter(status=ObligatedCompany.Status.UNINVITED)
        else:
            ids = [pk for pk in map(ascii_int, request.POST.getlist("entry")) if pk is not None]
            chosen = ObligatedCompany.objects.filter(pk__in=ids)
        chosen = chosen.order_by("name", "pk")
        # The register's buttons only choose whom to invite; the confirmation page asks for the validity.
        form = InviteForm(request.POST) if "confirm" in request.POST else InviteForm()
        invitable = chosen.filter(status__in=INVITABLE).exclude(email="")
        no_email = chosen.filter(status__in=INVITABLE, email="")
        if "confirm" not in request.POST or not form.is_valid():
            context = {
                "form": form,
                "invitable": invitable,
                "no_email": no_email,
                "other": chosen.exclude(status__in=INVITABLE),
                "all": request.POST.get("all", ""),
                "ids": [entry.pk for entry in chosen],
            }
            return render(request, self.template_name, context)
        ids = list(invitable.values_list("pk", flat=True))
        invitations_send_task.enqueue(ids, request.user.pk, form.cleaned_data["days"])
        messages.success(
            request,
            _("%(count)s invitations are being sent; refused addresses appear in the list.")
            % {"count": len(ids)},
        )
        return redirect("cycle:invitations")


class InvitationListView(DinsosRequiredMixin, View):
    """Invitations sent, with those refused by the mail server and the companies without an e-mail."""

    def get(self, request):
        context = {
            "failed": Invitation.objects.filter(state=Invitation.State.FAILED).select_related("entry")[:500],
            "recent": Invitation.objects.select_related("entry")[:100],
            "no_email": ObligatedCompany.objects.filter(status__in=INVITABLE, email="").select_related(
                "kecamatan"
            ),
        }
        return render(request, "cycle/invitations/list.html", context)


class ClaimView(View):
    """The invitation link: registration pre-filled with the register's record, its NIB fixed."""

    template_name = "cycle/invitations/claim.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            messages.info(request, _("You are already logged in; log out to register another company."))
            return redirect("home")
        try:
            self.invitation = invitation_for_token(kwargs["token"])
        except CycleError as exc:
            return render(request, "cycle/invitations/invalid.html", {"reason": str(exc)}, status=410)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token: str):
        entry = self.invitation.entry
        initial = {
            "name": entry.name,
            "nib": entry.nib,
            "sector": entry.sector,
            "address": entry.address,
            "kecamatan": entry.kecamatan_id,
            "phone": entry.phone,
            "email": entry.email,
        }
        if entry.legal_form.lower() in {"pt", "cv", "koperasi", "bumn", "bumd"}:
            initial["legal_form"] = entry.legal_form.lower()
        return self.render(CompanyForm(initial=initial), ContactAccountForm())

    def post(self, request, token: str):
        if rate_limited(
            request,
            scope="register",
            limit=settings.TSLP_REGISTER_LIMIT,
            window=settings.TSLP_REGISTER_WINDOW,
        ):
            return render(request, "companies/register_throttled.html", status=429)
        data = request.POST.copy()
        data["nib"] = self.invitation.entry.nib  # bound to the link, whatever the form says
        company_form, account_form = CompanyForm(data), ContactAccountForm(data)
        if company_form.is_valid() and account_form.is_valid():
            account = account_form.cleaned_data
            try:
                user = invitation_claim(
                    token=token,
                    company_data={
                        field: company_form.cleaned_data[field] for field in CompanyForm.Meta.fields
                    },
                    account_data={
                        "contact_name": account["contact_name"],
                        "username": account["username"],
                        "contact_email": account["contact_email"],
                        "contact_phone": account["contact_phone"],
                        "password": account["password1"],
                    },
                    site_url=request.build_absolute_uri("/"),
                )
            except (CycleError, CompanyError) as exc:
                company_form.add_error(None, str(exc))
            else:
                login(request, user, backend="accounts.backends.AccountBackend")
                messages.success(
                    request,
                    _("Your company is registered. Dinsos will verify it; you will be told by e-mail."),
                )
                return redirect("companies:profile")
        return self.render(company_form, account_form)

    def render(self, company_form, account_form):
        # Bound to the link: shown, never taken from the form (a disabled field shows its initial value).
        company_form.fields["nib"].disabled = True
        company_form.fields["nib"].initial = self.invitation.entry.nib
        context = {"company_form": company_form, "account_form": account_form, "entry": self.invitation.entry}
        return render(self.request, self.template_name, context)
