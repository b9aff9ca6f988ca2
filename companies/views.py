from django.views.generic import TemplateView

from accounts.mixins import CompanyMemberRequiredMixin


class CompanyProfileView(CompanyMemberRequiredMixin, TemplateView):
    template_name = "companies/company_profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = self.request.user.company
        context["members"] = self.request.user.company.members.order_by("username")
        return context
