from django.conf import settings
from django.utils.functional import SimpleLazyObject

from motcua.geo.models import Unit


def site(request):
    """The province's name and the site's on every page (people must know whose site it is)."""
    province = getattr(site, "_province_cache", None)
    if province is None or province[0] != settings.PROVINCE_CODE:
        unit = Unit.objects.filter(code=settings.PROVINCE_CODE).only("name").first()
        province = (settings.PROVINCE_CODE, unit.name if unit else "")
        if unit:
            site._province_cache = province
    return {"SITE_NAME": settings.SITE_NAME, "PROVINCE_NAME": province[1],
            "IS_RECEIVER": SimpleLazyObject(lambda: _is_receiver(request))}


def _is_receiver(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and getattr(user, "is_official", False)
                and user.roles.filter(role="receiver").exists())
