"""DLA's reminder settings page: when the daily digests go out, and the last runs of the job.

Writes go through `esar.monitoring.reminders.configuration.update_settings`; anyone but DLA's
administrators gets a 404, as for every page they have no business with.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.core.errors import Invalid, NotAllowed
from esar.monitoring.models import ReminderSettings
from esar.monitoring.reminders import configuration, digests, planner


class ReminderSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("Send reminders"), required=False)
    days_before = forms.IntegerField(
        label=gettext_lazy("First reminder, days before a deadline"),
        min_value=configuration.DAYS_BEFORE_RANGE[0],
        max_value=configuration.DAYS_BEFORE_RANGE[1],
        help_text=gettext_lazy(
            "Reminders also go out on the due day and on the day after it; 0 sends none before."
        ),
    )
    overdue_every_days = forms.IntegerField(
        label=gettext_lazy("While overdue, repeat every (days)"),
        min_value=configuration.OVERDUE_EVERY_RANGE[0],
        max_value=configuration.OVERDUE_EVERY_RANGE[1],
    )
    escalate = forms.BooleanField(
        label=gettext_lazy("Tell province supervisors about their overdue LAOs"), required=False
    )


@login_required
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not configuration.can_edit_settings(user):
        raise Http404
    current = ReminderSettings.current()
    status = 200
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST)
        status = Invalid.status
        if form.is_valid():
            try:
                configuration.update_settings(
                    actor=user, ip=client_ip(request), **form.cleaned_data
                )
            except (Invalid, NotAllowed) as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("The reminder settings were saved."))
                return redirect("monitoring:reminder_settings")
    else:
        form = ReminderSettingsForm(
            initial={
                "enabled": current.enabled,
                "days_before": current.days_before,
                "overdue_every_days": current.overdue_every_days,
                "escalate": current.escalate,
            }
        )
    return render(
        request,
        "monitoring/reminders_settings.html",
        {
            "form": form,
            "number_fields": [form["days_before"], form["overdue_every_days"]],
            "settings": current,
            "schedule": planner.schedule(current),
            "runs": digests.recent_runs(),
            "nav_section": "reminders",
        },
        status=status,
    )
