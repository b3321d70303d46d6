"""The reviewed table of who gets what, for every route (read by test_access_matrix.py).

One row per route: the page's URL name (or its route when it has none), or "METHOD /path" of an
API operation. A row says, for each role, the status it gets:

    school    the school officer        own school / a school of another LAO of the province /
                                        a school of another province
    lao       the LAO officer           own LAO / another LAO of the province / another province
    esar      the LAO's e-SAR delivery account  (own / province / other, like the LAO officer)
    province  the province supervisor   own province / another province
    analyst   the DLA analyst           (national)
    admin     the DLA administrator     (national)
    onesqa    the ONESQA reviewer       (national)
    helpdesk  the helpdesk officer      (national)
    anonymous no one logged in          (302 to the log-in page; 401 in the API)

"200/404/404" lists the distances in that order; one number means the same at every distance.
The objects are those of the Doi Kham city municipality in Chiang Mai (a school's accepted SAR,
the LAO's completed and delivered synthesis, an issuance, a circular, a visit, a helpdesk report).
A page that only takes POST is posted empty, an unsafe API operation is sent an empty JSON body:
their rows say how an empty request is refused (or, for the one allowed, answered).

The rules every row was reviewed against:
- Out of scope is 404: a school officer never reaches another school's SAR, an LAO another LAO's,
  a province another province's; the e-SAR delivery account only delivers and reports problems.
- A visible object the role may not act on is 403; a stale version 409; invalid or incomplete 422,
  on pages (a form shown again with its errors) as in the API.
- DLA and ONESQA are national; ONESQA reads SARs only through deliveries; the helpdesk sees the
  registry and the problem reports, nothing else.
"""

# ruff: noqa: E501  (one row per route, each on one line, is easier to review)
from __future__ import annotations

ROLES = ("school", "lao", "esar", "province", "analyst", "admin", "onesqa", "helpdesk", "anonymous")
# Every page of the Django admin is one row: the site lets in or refuses as a whole.
ADMIN_ROW = "admin:*"


def cell(statuses: list[int]) -> str:
    if len(set(statuses)) == 1:
        return str(statuses[0])
    return "/".join(str(status) for status in statuses)


def parse(row: str) -> dict[str, str]:
    cells = dict(part.split("=", 1) for part in row.split())
    assert set(cells) == set(ROLES), row
    return cells


PAGES: dict[str, str] = {
    "accounts:account_list": "school=404 lao=200 esar=404 province=200 analyst=404 admin=200 onesqa=404 helpdesk=200 anonymous=302",
    "accounts:account_reset": "school=404 lao=200/404/404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "accounts:login": "school=302 lao=302 esar=302 province=302 analyst=302 admin=302 onesqa=302 helpdesk=302 anonymous=200",
    "accounts:logout": "school=302 lao=302 esar=302 province=302 analyst=302 admin=302 onesqa=302 helpdesk=302 anonymous=302",
    "accounts:password_change": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "accounts:password_changed": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "accounts:password_reset": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=200",
    "accounts:password_reset_complete": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=200",
    "accounts:password_reset_confirm": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=200",
    "accounts:password_reset_done": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=200",
    "accounts:policy": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "accounts:second_factor": "school=302 lao=302 esar=302 province=302 analyst=302 admin=302 onesqa=302 helpdesk=302 anonymous=302",
    "accounts:second_factor_remove": "school=404 lao=403/404/404 esar=404 province=404 analyst=404 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "accounts:second_factor_setup": "school=302 lao=302 esar=302 province=302 analyst=302 admin=302 onesqa=302 helpdesk=302 anonymous=302",
    "admin:*": "school=302 lao=302 esar=302 province=302 analyst=302 admin=200 onesqa=302 helpdesk=302 anonymous=302",
    "api:api-root": "school=404 lao=404 esar=404 province=404 analyst=404 admin=404 onesqa=404 helpdesk=404 anonymous=404",
    "api:openapi-json": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=200",
    "assessments:import": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=200 helpdesk=404 anonymous=302",
    "assessments:template": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=200 helpdesk=404 anonymous=302",
    "circulars:detail": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "circulars:download": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "circulars:edit": "school=403 lao=403 esar=403 province=403 analyst=403 admin=302 onesqa=403 helpdesk=403 anonymous=302",
    "circulars:list": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "circulars:new": "school=403 lao=403 esar=403 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=302",
    "circulars:publish": "school=403 lao=403 esar=403 province=403 analyst=403 admin=302 onesqa=403 helpdesk=403 anonymous=302",
    "circulars:qr": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "circulars:remove_file": "school=403 lao=403 esar=403 province=403 analyst=403 admin=302 onesqa=403 helpdesk=403 anonymous=302",
    "circulars:upload": "school=403 lao=403 esar=403 province=403 analyst=403 admin=302 onesqa=403 helpdesk=403 anonymous=302",
    "circulars:withdraw": "school=403 lao=403 esar=403 province=403 analyst=403 admin=302 onesqa=403 helpdesk=403 anonymous=302",
    "core:audit_log": "school=404 lao=404 esar=404 province=404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "front:home": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "core:job_detail": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "core:job_file": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "core:job_status": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "core:notices": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "core:notices_read": "school=302 lao=302 esar=302 province=302 analyst=302 admin=302 onesqa=302 helpdesk=302 anonymous=302",
    "cycles:create": "school=403 lao=403 esar=404 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=302",
    "cycles:detail": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "cycles:edit": "school=403 lao=403 esar=404 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=302",
    "cycles:list": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "delivery:accounts": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:accounts_index": "school=404 lao=404 esar=404 province=200 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:accounts_issue": "school=404 lao=404 esar=404 province=403 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:acknowledge": "school=404 lao=403/404/404 esar=403/404/404 province=403/404 analyst=403 admin=403 onesqa=302 helpdesk=404 anonymous=302",
    "delivery:deliver": "school=404 lao=404 esar=404 province=404 analyst=404 admin=404 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:detail": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=302",
    "delivery:file": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=302",
    "delivery:inbox": "school=404 lao=404 esar=404 province=404 analyst=404 admin=404 onesqa=200 helpdesk=404 anonymous=302",
    "delivery:index": "school=404 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=302 helpdesk=404 anonymous=302",
    "delivery:issuance_batch": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:issuance_batches": "school=404 lao=404 esar=404 province=403 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:issuance_delete_files": "school=404 lao=404 esar=404 province=404 analyst=404 admin=302 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:issuance_file": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:issuance_zip": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:lao": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "delivery:manifest": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=302",
    "delivery:note": "school=404 lao=403/404/404 esar=403/404/404 province=403/404 analyst=403 admin=403 onesqa=422 helpdesk=404 anonymous=302",
    "delivery:package_file": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=302",
    "delivery:retry": "school=404 lao=403/404/404 esar=409/404/404 province=403/404 analyst=403 admin=403 onesqa=403 helpdesk=404 anonymous=302",
    "delivery:revision": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=302",
    "delivery:synthesis": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=302",
    "favicon.ico": "school=301 lao=301 esar=301 province=301 analyst=301 admin=301 onesqa=301 helpdesk=301 anonymous=301",
    "healthz": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=200",
    "helpdesk:contact": "school=404 lao=403 esar=403 province=404 analyst=404 admin=200 onesqa=404 helpdesk=403 anonymous=302",
    "helpdesk:detail": "school=404 lao=200/404/404 esar=200/404/404 province=404 analyst=404 admin=404 onesqa=404 helpdesk=200 anonymous=302",
    "helpdesk:list": "school=404 lao=200 esar=200 province=404 analyst=404 admin=404 onesqa=404 helpdesk=200 anonymous=302",
    "helpdesk:new": "school=404 lao=200 esar=200 province=404 analyst=404 admin=404 onesqa=404 helpdesk=403 anonymous=302",
    "monitoring:lao": "school=404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "monitoring:national": "school=404 lao=404 esar=404 province=302 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "monitoring:province": "school=404 lao=404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "monitoring:reminder_settings": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "organizations:import": "school=403 lao=403 esar=404 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=302",
    "organizations:import_template": "school=403 lao=403 esar=404 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=302",
    "organizations:institution_detail": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "organizations:institution_list": "school=302 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "organizations:lao_detail": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "organizations:lao_list": "school=302 lao=302 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "organizations:my_institution": "school=302 lao=404 esar=404 province=404 analyst=404 admin=404 onesqa=404 helpdesk=404 anonymous=302",
    "organizations:province_detail": "school=200/200/404 lao=200/200/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "organizations:province_list": "school=404 lao=404 esar=404 province=404 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "sar:basic": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "sar:detail": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "sar:file": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "sar:files": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "sar:index": "school=200 lao=302 esar=404 province=302 analyst=302 admin=302 onesqa=404 helpdesk=404 anonymous=302",
    "sar:list": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "sar:open": "school=404 lao=404 esar=404 province=404 analyst=404 admin=404 onesqa=404 helpdesk=404 anonymous=302",
    "sar:queue": "school=404 lao=200 esar=404 province=404 analyst=404 admin=404 onesqa=404 helpdesk=404 anonymous=302",
    "sar:remove_evidence": "school=409/404/404 lao=403/404/404 esar=404 province=403/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "sar:review": "school=403/404/404 lao=200/404/404 esar=404 province=403/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "sar:revision": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "sar:standard": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "sar:start_previous": "school=200/404/404 lao=403/404/404 esar=404 province=403/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "sar:submit": "school=422/404/404 lao=403/404/404 esar=404 province=403/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "sar:summary": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "sar:upload": "school=422/404/404 lao=403/404/404 esar=404 province=403/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "set_language": "school=302 lao=302 esar=302 province=302 analyst=302 admin=302 onesqa=302 helpdesk=302 anonymous=302",
    "standards:deactivate": "school=403 lao=403 esar=404 province=403 analyst=403 admin=302 onesqa=403 helpdesk=403 anonymous=302",
    "standards:detail": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "standards:list": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=302",
    "standards:new_version": "school=403 lao=403 esar=404 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=302",
    "standards:reactivate": "school=403 lao=403 esar=404 province=403 analyst=403 admin=302 onesqa=403 helpdesk=403 anonymous=302",
    "standards:template": "school=403 lao=403 esar=404 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=302",
    "supervision:detail": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "supervision:edit": "school=403/404/404 lao=403/404/404 esar=404 province=200/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "supervision:follow_up_add": "school=403/404/404 lao=403/404/404 esar=404 province=422/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "supervision:follow_up_close": "school=403/404/404 lao=403/404/404 esar=404 province=422/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "supervision:follow_up_reopen": "school=403/404/404 lao=403/404/404 esar=404 province=422/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "supervision:follow_ups": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "supervision:follow_ups_xlsx": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "supervision:list": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "supervision:new": "school=403 lao=403 esar=404 province=200 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=302",
    "synthesis:detail": "school=404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "synthesis:index": "school=404 lao=200 esar=404 province=302 analyst=302 admin=302 onesqa=404 helpdesk=404 anonymous=302",
    "synthesis:list": "school=404 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "synthesis:pdf": "school=404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
    "synthesis:province_export": "school=404 lao=404 esar=404 province=302/404 analyst=302 admin=302 onesqa=404 helpdesk=404 anonymous=302",
    "synthesis:xlsx": "school=404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=302",
}

API: dict[str, str] = {
    "DELETE /auth/token": "school=204 lao=204 esar=204 province=204 analyst=204 admin=204 onesqa=204 helpdesk=204 anonymous=401",
    "DELETE /issuances/{batch_id}/files": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "DELETE /sars/{sar_id}/evidence/{attachment_id}": "school=409/404/404 lao=403/404/404 esar=404 province=403/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=401",
    "GET /circulars": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /circulars/{circular_id}": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /circulars/{circular_id}/files/{file_id}": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /dashboards/national": "school=404 lao=404 esar=404 province=404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /dashboards/province/{code}": "school=404 lao=404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /deliveries": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /deliveries/pending": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "GET /deliveries/{delivery_id}": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=401",
    "GET /deliveries/{delivery_id}/files/{path}": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=401",
    "GET /deliveries/{delivery_id}/manifest": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=401",
    "GET /deliveries/{delivery_id}/sars/{institution_code}": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=401",
    "GET /deliveries/{delivery_id}/synthesis": "school=404 lao=200/404/404 esar=200/404/404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=401",
    "GET /files/{attachment_id}": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=404 anonymous=401",
    "GET /follow-ups": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /helpdesk/reports": "school=403 lao=200 esar=200 province=403 analyst=403 admin=403 onesqa=403 helpdesk=200 anonymous=401",
    "GET /helpdesk/reports/{reference}": "school=404 lao=200/404/404 esar=200/404/404 province=404 analyst=404 admin=404 onesqa=404 helpdesk=200 anonymous=401",
    "GET /imports/{kind}/template": "school=403 lao=403 esar=403 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=401",
    "GET /institutions": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /institutions/{code}": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /issuances": "school=403 lao=403 esar=403 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=401",
    "GET /issuances/plan": "school=403 lao=403 esar=403 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=401",
    "GET /issuances/{batch_id}": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /issuances/{batch_id}/all.zip": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /issuances/{batch_id}/files/{province}.{kind}": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /jobs": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /jobs/{job_id}": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /jobs/{job_id}/file": "school=404 lao=404 esar=404 province=404 analyst=404 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /laos": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /laos/{code}": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /me": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /progress/institutions": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /progress/laos": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /provinces": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /provinces/{code}": "school=200/200/404 lao=200/200/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /reminders/settings": "school=403 lao=403 esar=403 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=401",
    "GET /review-queue": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /sars": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /sars/{sar_id}": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /sars/{sar_id}/revisions": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /sars/{sar_id}/revisions/{number}": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /sars/{sar_id}/revisions/{number}/compare": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "GET /standard-sets": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /standard-sets/{code}": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /syntheses": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "GET /syntheses/{lao}/{year}": "school=404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /syntheses/{lao}/{year}/versions/{number}": "school=404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /visits": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /visits/{visit_id}": "school=200/404/404 lao=200/404/404 esar=404 province=200/404 analyst=200 admin=200 onesqa=404 helpdesk=404 anonymous=401",
    "GET /years": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "GET /years/{year}": "school=200 lao=200 esar=404 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "PATCH /sars/{sar_id}": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "PATCH /visits/{visit_id}": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "PATCH /years/{year}": "school=403 lao=403 esar=404 province=403 analyst=403 admin=200 onesqa=403 helpdesk=403 anonymous=401",
    "POST /auth/password": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=422",
    "POST /auth/token": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=422",
    "POST /circulars": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /circulars/{circular_id}/publish": "school=403 lao=403 esar=403 province=403 analyst=403 admin=409 onesqa=403 helpdesk=403 anonymous=401",
    "POST /circulars/{circular_id}/read": "school=200 lao=200 esar=200 province=200 analyst=200 admin=200 onesqa=200 helpdesk=200 anonymous=401",
    "POST /deliveries": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /deliveries/{delivery_id}/acknowledge": "school=404 lao=403/404/404 esar=403/404/404 province=403/404 analyst=403 admin=403 onesqa=200 helpdesk=404 anonymous=401",
    "POST /deliveries/{delivery_id}/retry": "school=404 lao=403/404/404 esar=409/404/404 province=403/404 analyst=403 admin=403 onesqa=403 helpdesk=404 anonymous=401",
    "POST /deliveries/{delivery_id}/sars/{institution_code}/notes": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /follow-ups/{follow_up_id}/close": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /follow-ups/{follow_up_id}/reopen": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /helpdesk/reports": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /helpdesk/reports/{reference}/status": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /imports/{kind}": "school=403 lao=403 esar=403 province=403 analyst=403 admin=422 onesqa=403 helpdesk=403 anonymous=401",
    "POST /issuances": "school=403 lao=403 esar=403 province=403 analyst=403 admin=202 onesqa=403 helpdesk=403 anonymous=401",
    "POST /me/password": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /sars": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /sars/{sar_id}/document": "school=422/404/404 lao=422/404/404 esar=404 province=422/404 analyst=422 admin=422 onesqa=404 helpdesk=404 anonymous=401",
    "POST /sars/{sar_id}/evidence": "school=422/404/404 lao=422/404/404 esar=404 province=422/404 analyst=422 admin=422 onesqa=404 helpdesk=404 anonymous=401",
    "POST /sars/{sar_id}/revisions/{number}/accept": "school=403/404/404 lao=409/404/404 esar=404 province=403/404 analyst=403 admin=403 onesqa=404 helpdesk=404 anonymous=401",
    "POST /sars/{sar_id}/revisions/{number}/return": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /sars/{sar_id}/submit": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /syntheses/{lao}/{year}/complete": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /syntheses/{lao}/{year}/reopen": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /visits": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /visits/{visit_id}/follow-ups": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "POST /years": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "PUT /reminders/settings": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
    "PUT /syntheses/{lao}/{year}": "school=422 lao=422 esar=422 province=422 analyst=422 admin=422 onesqa=422 helpdesk=422 anonymous=401",
}
