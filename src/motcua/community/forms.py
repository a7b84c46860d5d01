"""The teams' forms: they parse and check the shape of what was typed; the rules are in the
services."""

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.geo.models import Unit

from .models import Background, CourseMode, Period, Skill, TeamRole

MEMBER_ROWS = 9


class VisitForm(forms.Form):
    """The 30-second visit: a household, big toggles for what was done, the skills taught."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    household = forms.ChoiceField(label=_("Household"), required=False)
    new_head = forms.CharField(label=_("Head of household"), required=False, max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))
    new_address = forms.CharField(label=_("House number, lane"), required=False,
                                  max_length=255,
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))
    vneid_installed = forms.BooleanField(label=_("VNeID installed"), required=False)
    vneid_level2 = forms.BooleanField(label=_("VNeID activated to level 2"), required=False)
    service_account = forms.BooleanField(label=_("Public-service account created"),
                                         required=False)
    dossier_online = forms.BooleanField(label=_("Dossier submitted online with help"),
                                        required=False)
    cashless = forms.BooleanField(label=_("Cashless payment set up"), required=False)
    skills = forms.MultipleChoiceField(label=_("Digital skills taught"), required=False,
                                       choices=Skill.choices,
                                       widget=forms.CheckboxSelectMultiple)
    people_helped = forms.IntegerField(label=_("People helped"), min_value=1, max_value=50,
                                       initial=1,
                                       widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))

    FLAGS = ("vneid_installed", "vneid_level2", "service_account", "dossier_online",
             "cashless")

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", _("— no household / new one below —"))] + [
            (str(h.pk), f"{h.address} · {h.head_name}") for h in households]


class HouseholdForm(forms.Form):
    head_name = forms.CharField(label=_("Head of household"), max_length=150)
    address = forms.CharField(label=_("House number, lane"), max_length=255)
    phone = forms.CharField(label=_("Phone"), max_length=10, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    people = forms.IntegerField(label=_("People in the household"), min_value=1,
                                max_value=99, required=False)


class MemberFields(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=10, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    national_id = forms.CharField(
        label=_("Personal identification number of their account"), max_length=12,
        required=False, help_text=_("To log in as a member. Leave empty if they have none."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices,
                             initial=TeamRole.MEMBER)
    background = forms.ChoiceField(label=_("Background"), choices=Background.choices,
                                   initial=Background.VOLUNTEER)
    skills = forms.MultipleChoiceField(label=_("Skills"), required=False,
                                       choices=Skill.choices,
                                       widget=forms.CheckboxSelectMultiple)


class TeamForm(forms.Form):
    village = forms.ChoiceField(label=_("Village or residential group"), required=False)
    name = forms.CharField(label=_("Name of the team"), max_length=200, required=False,
                           help_text=_("Leave empty for “Community digital technology team of "
                                       "<village>”."))
    phone = forms.CharField(label=_("Contact phone for citizens"), max_length=10,
                            required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    founded_on = forms.DateField(label=_("Founded on"), initial=dt.date.today,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", _("— the commune's own team —"))] + [
            (str(v.pk), v.name) for v in villages]


class ShiftForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(label=_("Shift"), choices=Period.choices,
                               widget=forms.RadioSelect, initial=Period.MORNING)
    places = forms.IntegerField(label=_("Members needed"), min_value=1, max_value=9, initial=2)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    provider = forms.CharField(label=_("Organised by"), max_length=255)
    mode = forms.ChoiceField(label=_("Mode"), choices=CourseMode.choices)
    url = forms.URLField(label=_("Course address (online courses)"), required=False,
                         assume_scheme="https")
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=500, initial=4)
    starts_on = forms.DateField(label=_("Starts on"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))


class CompletionForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    completed_on = forms.DateField(label=_("Completed on"), initial=dt.date.today,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    certificate = forms.CharField(label=_("Certificate number"), max_length=60,
                                  required=False)


class OnBehalfForm(forms.Form):
    procedure = forms.CharField(label=_("Procedure code"), max_length=30,
                                help_text=_("For example 1.004873; find it on the procedure's "
                                            "page."))
    citizen_name = forms.CharField(label=_("Citizen's full name"), max_length=150)
    national_id = forms.CharField(label=_("Personal identification number"), max_length=12,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    phone = forms.CharField(label=_("Citizen's mobile phone"), max_length=10,
                            help_text=_("The consent code is sent here by SMS."),
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    unit = forms.ModelChoiceField(label=_("Commune or ward where the citizen lives"),
                                  queryset=Unit.objects.none(), to_field_name="code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            parent__code=settings.PROVINCE_CODE).order_by("name")


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))


def now_local():
    return timezone.localtime()
