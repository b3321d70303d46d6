from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from esar.front.home import next_steps


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = next_steps(request.user)
    context["today"] = timezone.localdate()
    context["nav_section"] = "home"
    return render(request, "front/home.html", context)
