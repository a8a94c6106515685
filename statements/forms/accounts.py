"""Sign-in forms (the site's and the admin's) that count failures and refuse, for a
cool-down, an account or an address that failed too often (statements/throttle.py)."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from statements import throttle


class ThrottledSignIn:
    """Checks the cool-downs before the password (a refused attempt tries no password), counts
    each failure against the account and the address, and clears the account's count when
    its password is right."""

    throttled = False

    def clean(self):
        account = (self.cleaned_data.get("username") or "").strip().lower()
        address = throttle.client_address(self.request) if self.request else ""
        refused = throttle.refusal(
            (throttle.SIGN_IN_ACCOUNT, account), (throttle.SIGN_IN_ADDRESS, address)
        )
        if refused:
            self.throttled = True
            raise forms.ValidationError(refused, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if account:
                throttle.count(throttle.SIGN_IN_ACCOUNT, account)
            throttle.count(throttle.SIGN_IN_ADDRESS, address)
            raise
        throttle.clear(throttle.SIGN_IN_ACCOUNT, account)
        return cleaned


class SignInForm(ThrottledSignIn, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    pass
