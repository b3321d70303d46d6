from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from esar.core import access
from esar.core.audit import filter_events
from esar.core.forms import AuditFilterForm
from esar.core.models import AuditEvent, Notice
from esar.core.notices import mark_read


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not access.allows(request.user, access.AUDIT_VIEW):
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


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    """The person's own notices, unread first, newest first within each."""
    # By id: the kernel may not name accounts' User, which the type checker reads the field as.
    rows = Notice.objects.filter(recipient_id=request.user.pk).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "core/notices.html", {"page": page, "nav_section": "notices"})


@login_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (field `notice`) or all of them (`all`) as read; only the person's own."""
    notice_id = request.POST.get("notice", "")
    if notice_id.isdigit():
        marked = mark_read(user=request.user, notice_id=int(notice_id))
    elif "all" in request.POST:
        marked = mark_read(user=request.user)
        messages.success(
            request,
            ngettext("%(n)s notice marked as read.", "%(n)s notices marked as read.", marked)
            % {"n": marked},
        )
    else:
        messages.error(request, _("Choose a notice to mark as read."))
    return redirect("core:notices")


def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon (static, so it carries its hashed name and long cache headers)."""
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))
