from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from esar.accounts.types import AuthenticatedRequest
from esar.front.home import next_steps


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    context = next_steps(request.user)
    context["today"] = timezone.localdate()
    context["nav_section"] = "home"
    return render(request, "front/home.html", context)
