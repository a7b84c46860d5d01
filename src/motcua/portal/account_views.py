"""Citizens' accounts: register, log in, log out."""

from django import forms
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.accounts.services import AccountError, citizen_register
from motcua.geo.models import Unit


class CitizenLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Personal identification number"), max_length=150,
        help_text=_("12 digits, on your citizen identity card. Officials: your user name."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric",
                                      "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Wrong identification number or password. Check them and try "
                           "again."),
        "inactive": _("This account is disabled. Ask a one-stop desk for help."),
    }


class PortalLoginView(LoginView):
    template_name = "portal/login.html"
    authentication_form = CitizenLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if getattr(self.request.user, "is_official", False):
            return "/can-bo/"
        return super().get_default_redirect_url()


class RegisterForm(forms.Form):
    national_id = forms.CharField(
        label=_("Personal identification number"), max_length=12,
        help_text=_("12 digits, on your citizen identity card or in the VNeID app."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=10,
        help_text=_("We send the dossier's news to this number."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email (if you have one)"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    unit = forms.ModelChoiceField(
        label=_("Commune or ward where you live"), queryset=Unit.objects.none(),
        to_field_name="code", empty_label=_("— choose —"), required=False,
    )
    password = forms.CharField(
        label=_("Password"), strip=False, min_length=8,
        help_text=_("At least 8 characters, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            parent__code=settings.PROVINCE_CODE).order_by("name")


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = citizen_register(
                national_id=data["national_id"], password=data["password"],
                full_name=data["full_name"], phone=data["phone"], email=data["email"],
                unit=data["unit"],
            )
        except AccountError as exc:
            form.add_error(None, exc.message)
            for field, messages in exc.fields.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_url(request, "portal:my_dossiers"))
    return render(request, "portal/register.html", {"form": form,
                                                    "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:home")
