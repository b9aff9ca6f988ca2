"""``{{ household.no_kk|identity:request.user }}``: a NIK or No. KK as that user may see it."""

from django import template

from accounts.scope import identity_for
from tslp_portal.privacy import mask_identity

register = template.Library()


@register.filter
def identity(value, user):
    return identity_for(user, value)


@register.filter
def masked(value):
    return mask_identity(value)
