"""Sign-up and sign-in (both throttled: statements/throttle.py); sign-out and password change
are Django's own auth views."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from statements import throttle
from statements.forms.accounts import SignInForm


class SignInView(LoginView):
    """Django's sign-in, with failures counted; a refused attempt answers 429."""

    authentication_form = SignInForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.PARALLAX_SIGNUP:
        return render(request, "registration/signup_closed.html", status=403)
    if request.user.is_authenticated:
        return redirect("home")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST":
        address = throttle.client_address(request)
        refused = throttle.refusal((throttle.SIGN_UP_ADDRESS, address))
        if refused:
            form.add_error(None, refused)
            context = {"form": form, "next": request.POST.get("next", "")}
            return render(request, "registration/signup.html", context, status=429)
        throttle.count(throttle.SIGN_UP_ADDRESS, address)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}: you can now annotate and save.")
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            return redirect(next_url)
        return redirect("home")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )
