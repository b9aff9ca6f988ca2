from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.mixins import CompanyMemberRequiredMixin
from accounts.models import User
from companies.forms import CompanyForm, ContactAccountForm, MemberAddForm
from companies.models import Company
from companies.services import (
    CompanyError,
    company_member_add,
    company_member_deactivate,
    company_register,
    company_update,
)
from tslp_portal.security import rate_limited


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


class CompanyOwnerRequiredMixin(CompanyMemberRequiredMixin):
    """Member management: company members who are not the owner see 403."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_company_member and not user.is_company_owner:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CompanyRegisterView(View):
    """Public page: a company registers itself with its contact person's account."""

    template_name = "companies/company_register.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            messages.info(request, _("You are already logged in; log out to register another company."))
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(CompanyForm(), ContactAccountForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if rate_limited(
            request,
            scope="register",
            limit=settings.TSLP_REGISTER_LIMIT,
            window=settings.TSLP_REGISTER_WINDOW,
        ):
            return render(request, "companies/register_throttled.html", status=429)
        company_form, account_form = CompanyForm(request.POST), ContactAccountForm(request.POST)
        if company_form.is_valid() and account_form.is_valid():
            account = account_form.cleaned_data
            try:
                user = company_register(
                    **{field: company_form.cleaned_data[field] for field in CompanyForm.Meta.fields},
                    contact_name=account["contact_name"],
                    username=account["username"],
                    contact_email=account["contact_email"],
                    contact_phone=account["contact_phone"],
                    password=account["password1"],
                    site_url=_site_url(request),
                )
            except CompanyError as exc:
                company_form.add_error(None, str(exc))
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Your company is registered. Dinsos will verify it; you will be told by e-mail."),
                )
                return redirect("companies:profile")
        return self.render(company_form, account_form)

    def render(self, company_form, account_form) -> HttpResponse:
        context = {"company_form": company_form, "account_form": account_form}
        return render(self.request, self.template_name, context)


class CompanyProfileView(CompanyMemberRequiredMixin, TemplateView):
    template_name = "companies/company_profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = self.request.user.company
        context["company"] = company
        context["events"] = company.events.select_related("actor")
        return context


class CompanyUpdateView(CompanyMemberRequiredMixin, FormView):
    template_name = "companies/company_form.html"
    form_class = CompanyForm
    success_url = reverse_lazy("companies:profile")

    def get_form_kwargs(self):
        # A fresh copy: an invalid form must not leave its values on the signed-in user's company.
        return {**super().get_form_kwargs(), "instance": Company.objects.get(pk=self.request.user.company_id)}

    def form_valid(self, form):
        try:
            company_update(company=form.instance, actor=self.request.user, data=form.cleaned_data)
        except CompanyError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("The company profile is saved."))
        return super().form_valid(form)


class MemberListView(CompanyMemberRequiredMixin, TemplateView):
    template_name = "companies/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = self.request.user.company
        context["members"] = User.objects.filter(company_id=self.request.user.company_id).order_by(
            "-is_active", "company_role", "username"
        )
        return context


class MemberAddView(CompanyOwnerRequiredMixin, FormView):
    template_name = "companies/member_form.html"
    form_class = MemberAddForm
    success_url = reverse_lazy("companies:members")

    def form_valid(self, form):
        try:
            member = company_member_add(
                company=self.request.user.company,
                actor=self.request.user,
                site_url=_site_url(self.request),
                **form.cleaned_data,
            )
        except CompanyError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(username)s is added; an e-mail with a link to choose a password is on its way.")
            % {"username": member.username},
        )
        return super().form_valid(form)


class MemberDeactivateView(CompanyMemberRequiredMixin, View):
    """GET asks for confirmation; POST deactivates. Members of other companies do not exist here (404)."""

    template_name = "companies/member_confirm_deactivate.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_company_member:
            return super().dispatch(request, *args, **kwargs)
        self.member = get_object_or_404(User, pk=kwargs["pk"], company_id=request.user.company_id)
        if not request.user.is_company_owner:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, {"member": self.member})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            company_member_deactivate(company=request.user.company, actor=request.user, member=self.member)
        except CompanyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("%(username)s can no longer log in.") % {"username": self.member.username}
            )
        return redirect(reverse("companies:members"))
