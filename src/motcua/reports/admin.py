from django import forms
from django.contrib import admin

from . import index
from .models import IndexWeights


class IndexWeightsForm(forms.ModelForm):
    indicator = forms.ChoiceField(choices=[(n, n) for n in (*index.GROUP_NAMES,
                                                             *index.SUB_NAMES)])

    class Meta:
        model = IndexWeights
        fields = ["indicator", "points"]

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points < 0 or points > 100:
            raise forms.ValidationError("0–100")
        return points


@admin.register(IndexWeights)
class IndexWeightsAdmin(admin.ModelAdmin):
    """Points of the 766 index changed from the documented defaults (docs/statistics.md)."""

    form = IndexWeightsForm
    list_display = ["indicator", "points"]
