from django.conf import settings

from motcua.geo.models import Unit


def site(request):
    """The province's name and the site's on every page (people must know whose site it is)."""
    province = getattr(site, "_province_cache", None)
    if province is None or province[0] != settings.PROVINCE_CODE:
        unit = Unit.objects.filter(code=settings.PROVINCE_CODE).only("name").first()
        province = (settings.PROVINCE_CODE, unit.name if unit else "")
        if unit:
            site._province_cache = province
    return {"SITE_NAME": settings.SITE_NAME, "PROVINCE_NAME": province[1]}
