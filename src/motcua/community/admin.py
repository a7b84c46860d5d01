from django.contrib import admin

from .models import (
    Completion,
    Course,
    CriteriaSet,
    Criterion,
    Household,
    LocalRules,
    Member,
    Team,
)


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("full_name", "role", "background", "phone", "user", "joined_on", "left_on")
    raw_id_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "commune", "village", "founded_on", "dissolved_on")
    list_filter = ("dissolved_on",)
    search_fields = ("name",)
    raw_id_fields = ("commune", "village", "desk")
    inlines = [MemberInline]


@admin.register(LocalRules)
class LocalRulesAdmin(admin.ModelAdmin):
    list_display = ("unit", "min_members", "max_members", "allowance_per_session")
    raw_id_fields = ("unit",)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "recognition_threshold")
    inlines = [CriterionInline]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "provider", "mode", "starts_on")
    list_filter = ("mode",)


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ("member", "course", "completed_on")
    raw_id_fields = ("member",)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("head_name", "address", "village")
    search_fields = ("head_name", "address")
    raw_id_fields = ("village",)
