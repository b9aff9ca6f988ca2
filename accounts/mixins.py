from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; signed-in users whose role does not fit get 403."""

    allowed_roles: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not self.role_allowed(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def role_allowed(self, user) -> bool:
        if user.is_dinsos:
            return "dinsos" in self.allowed_roles
        return user.is_active and user.role in self.allowed_roles


class CompanyMemberRequiredMixin(LoginRequiredMixin):
    """Pages of the signed-in user's own company."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_company_member:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
