"""Least privilege for the teams: a member sees their own team; a team leader also plans its
roster; an official of a commune's People's Committee manages the commune's teams; a desk
official confirms attendance at their desk; the provincial department sees every team."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from motcua.accounts.models import Role


@dataclass(frozen=True)
class Scope:
    province: bool = False
    communes: frozenset[int] = frozenset()  # Unit ids
    desks: frozenset[int] = frozenset()  # ServiceDesk ids
    member: object | None = None  # the user's active Member row
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def is_member(self) -> bool:
        return self.member is not None

    @property
    def is_leader(self) -> bool:
        return self.member is not None and self.member.is_leader

    @property
    def manages(self) -> bool:
        return self.province or bool(self.communes)

    @property
    def any(self) -> bool:
        return self.manages or bool(self.desks) or self.is_member

    def manages_commune(self, commune_id: int) -> bool:
        return self.province or commune_id in self.communes

    def sees_team(self, team) -> bool:
        if self.manages_commune(team.commune_id):
            return True
        return self.member is not None and self.member.team_id == team.pk

    def plans_roster(self, team) -> bool:
        if self.manages_commune(team.commune_id):
            return True
        return self.is_leader and self.member.team_id == team.pk

    def confirms_at(self, desk_id: int) -> bool:
        return desk_id in self.desks

    def teams_q(self) -> Q:
        """The teams this scope sees, as a filter on Team."""
        if self.province:
            return Q()
        q = Q(commune_id__in=self.communes) if self.communes else Q(pk__in=[])
        if self.member is not None:
            q |= Q(pk=self.member.team_id)
        return q


def scope_of(user) -> Scope:
    """What ``user`` may see and do with the teams. Cached on the user object for the
    request, since a page asks several times."""
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_community_scope", None)
    if cached is not None:
        return cached
    from .models import Member

    member = (Member.objects.filter(user=user, left_on__isnull=True)
              .select_related("team", "team__commune", "team__village", "team__desk").first())
    province = bool(user.is_superuser)
    communes: set[int] = set()
    desks: set[int] = set()
    if getattr(user, "is_official", False):
        for role in user.roles.select_related("agency", "agency__kind"):
            kind = role.agency.kind.slug
            if kind in settings.COMMUNITY_PROVINCE_AGENCY_KINDS:
                province = True
            if kind in settings.COMMUNITY_COMMUNE_AGENCY_KINDS:
                communes.add(role.agency.unit_id)
            if role.role == Role.RECEIVER:
                if role.desk_id:
                    desks.add(role.desk_id)
                else:
                    desks.update(role.agency.desks.values_list("pk", flat=True))
    scope = Scope(province=province, communes=frozenset(communes), desks=frozenset(desks),
                  member=member)
    user._community_scope = scope
    return scope
