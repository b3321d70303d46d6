from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from esar.accounts.permissions import Perm, has_perm
from esar.core.audit import filter_events
from esar.core.forms import AuditFilterForm
from esar.core.home import next_steps
from esar.core.models import AuditEvent


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = next_steps(request.user)
    context["today"] = timezone.localdate()
    context["nav_section"] = "home"
    return render(request, "core/home.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.AUDIT_VIEW):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    events = filter_events(AuditEvent.objects.all(), **form.filters())
    page = Paginator(events.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "querystring": params.urlencode(), "nav_section": "audit"},
    )
