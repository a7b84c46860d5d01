from django.utils.functional import SimpleLazyObject


def stats(request):
    """Whether the header shows the statistics link (asked only when a page uses it)."""
    def sees():
        from .permissions import report_scope

        user = getattr(request, "user", None)
        return bool(user and (getattr(user, "is_official", False) or user.is_superuser)
                    and report_scope(user).any)

    return {"SEES_STATS": SimpleLazyObject(sees)}
