"""Who may open a page, by role: anonymous users go to the login page, the wrong role gets 403.

Views say which role a page is for with one of these mixins; visibility of rows stays in ``accounts.scope``.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from accounts.models import User


class RoleRequiredMixin(LoginRequiredMixin):
    """Pages for the roles in ``allowed_roles`` (``User.Role`` members); a superuser counts as Dinsos."""

    allowed_roles: frozenset[User.Role] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not self.role_allowed(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def role_allowed(self, user) -> bool:
        if user.is_dinsos:
            return User.Role.DINSOS in self.allowed_roles
        return user.is_active and user.role in self.allowed_roles


class DinsosRequiredMixin(RoleRequiredMixin):
    """Dinsos pages (the back office)."""

    allowed_roles = frozenset({User.Role.DINSOS})


class CamatRequiredMixin(RoleRequiredMixin):
    """Pages of a camat about their own kecamatan."""

    allowed_roles = frozenset({User.Role.CAMAT})


class CompanyMemberRequiredMixin(LoginRequiredMixin):
    """Pages of the signed-in user's own company."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_company_member:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
