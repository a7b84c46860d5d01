"""Who sees which statistics (least privilege): leaders and administrators of an agency
seated at the province see the whole province; those of an agency seated in a commune see
that commune; the head (leader) of an agency sees its workload. Desk officers and
specialists see none; nor do citizens. The dossier lists behind the figures show no
applicant's personal data, and link to a dossier only where the official may open it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from motcua.accounts.models import Role
from motcua.geo.models import Agency, Unit

STATS_ROLES = (Role.LEADER, Role.ADMIN)


@dataclass
class Scope:
    province: Unit | None = None          # the whole province
    units: list[Unit] = field(default_factory=list)    # or these units (and under them)
    agencies: list[Agency] = field(default_factory=list)  # agencies they lead

    @property
    def any(self) -> bool:
        return self.province is not None or bool(self.units)

    def roots(self) -> list[Unit]:
        return [self.province] if self.province is not None else self.units

    def allows_unit(self, unit: Unit) -> bool:
        return any(unit.path.startswith(root.path) for root in self.roots())

    def allows_agency(self, agency: Agency) -> bool:
        if agency in self.agencies:
            return True
        return self.allows_unit(agency.unit)


def report_scope(user) -> Scope:
    scope = Scope()
    if not getattr(user, "is_authenticated", False):
        return scope
    province = Unit.objects.filter(code=settings.PROVINCE_CODE).first()
    if user.is_superuser:
        scope.province = province
        return scope
    if not getattr(user, "is_official", False):
        return scope
    roles = list(user.roles.filter(role__in=STATS_ROLES).select_related("agency__unit"))
    for role in roles:
        unit = role.agency.unit
        if province is not None and unit.pk == province.pk:
            scope.province = province
        elif unit not in scope.units:
            scope.units.append(unit)
        if role.role == Role.LEADER and role.agency not in scope.agencies:
            scope.agencies.append(role.agency)
    if scope.province is not None:
        scope.units = []
    return scope
