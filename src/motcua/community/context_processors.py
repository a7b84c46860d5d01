from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def community(request):
    """The header's link to the teams' pages, for those who have any (worked out only when
    the header is drawn for a logged-in person)."""
    return {"COMMUNITY_LINK": SimpleLazyObject(lambda: _link(request))}


def _link(request):
    from .permissions import scope_of

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not scope_of(user).any:
        return ""
    return {"url": reverse("community:home"), "label": _("Digital technology team")}
