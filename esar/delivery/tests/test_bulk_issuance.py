"""Bulk issuance of e-SAR accounts: a province or the whole country, once, with its letters."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.storage import default_storage
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from esar.accounts.models import AccountPolicy, Membership, OneTimePassword, User
from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.core import thaidate
from esar.core.models import AuditEvent, Job
from esar.delivery import accounts as esar_accounts
from esar.delivery import distribution, issuance, services
from esar.delivery.models import EsarAccount, IssuanceBatch, IssuanceProvince
from esar.organizations.models import LaoType, LocalAuthority
from esar.synthesis.exports import spell_out_sara_am


@pytest.fixture
def cm_laos(world):
    """Chiang Mai's active LAOs (the world's two and one more) and an inactive one."""
    extra = LocalAuthority.objects.create(
        code="6500103",
        name_th="องค์การบริหารส่วนตำบลแม่แรม",
        lao_type=LaoType.SAO,
        province=world.chiang_mai,
        district="แม่ริม",
    )
    LocalAuthority.objects.create(
        code="6500199",
        name_th="องค์การบริหารส่วนตำบลที่ยุบไปแล้ว",
        lao_type=LaoType.SAO,
        province=world.chiang_mai,
        is_active=False,
    )
    return [world.cm_city, world.cm_sao, extra]


def issue_province(world, province=None) -> IssuanceBatch:
    """What the page does: start the batch; without a broker it runs once committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = issuance.start(actor=world.dla_admin, province=province)
    batch.refresh_from_db()
    return batch


def passwords_in_list(part: IssuanceProvince) -> dict[str, str]:
    with default_storage.open(part.xlsx_path, "rb") as source:
        book = openpyxl.load_workbook(io.BytesIO(source.read()), read_only=True)
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    return {row[4]: row[5] for row in rows}


def list_rows(part: IssuanceProvince) -> list[tuple]:
    with default_storage.open(part.xlsx_path, "rb") as source:
        book = openpyxl.load_workbook(io.BytesIO(source.read()), read_only=True)
    return list(book.active.iter_rows(min_row=3, values_only=True))


def pdf_of(part: IssuanceProvince) -> PdfReader:
    with default_storage.open(part.pdf_path, "rb") as source:
        return PdfReader(io.BytesIO(source.read()))


def test_a_province_gets_exactly_one_account_per_active_lao(world, cm_laos):
    batch = issue_province(world, world.chiang_mai)

    assert batch.is_finished
    assert (batch.issued_count, batch.skipped_count) == (3, 0)
    accounts = EsarAccount.objects.filter(revoked_at__isnull=True).select_related("user", "lao")
    assert sorted(account.lao.code for account in accounts) == sorted(lao.code for lao in cm_laos)
    # The inactive LAO and the other province are left alone.
    assert not EsarAccount.objects.filter(lao__code="6500199").exists()
    assert not EsarAccount.objects.filter(lao=world.kk_town).exists()
    policy_days = AccountPolicy.current().initial_password_days
    for account in accounts:
        user = account.user
        assert user.username == f"esar{account.lao.code}"
        assert account.batch == batch and account.issued_by == world.dla_admin
        membership = Membership.objects.get(user=user)
        assert (membership.role, membership.lao_id) == (Role.LAO_OFFICER, account.lao_id)
        otp = OneTimePassword.objects.get(user=user)
        assert otp.reason == OneTimePassword.Reason.ISSUED
        assert otp.issued_by == world.dla_admin
        assert otp.expires_at == batch.expires_at
        assert otp.expires_at - batch.created_at == timezone.timedelta(days=policy_days)
        assert user.password.startswith("pbkdf2_sha256_generated$")
    # Who issued what to whom: one event per account, and the batch's own.
    events = AuditEvent.objects.filter(action="esar_account.issued")
    assert events.count() == 3
    assert {event.data["username"] for event in events} == {f"esar{lao.code}" for lao in cm_laos}
    assert {event.actor_id for event in events} == {world.dla_admin.pk}
    done = AuditEvent.objects.get(action="esar_account.batch_issued")
    assert done.data["issued"] == 3 and done.object_id == str(batch.pk)


def test_running_it_again_changes_nothing(world, cm_laos):
    first = issue_province(world, world.chiang_mai)
    hashes = dict(User.objects.filter(username__startswith="esar").values_list("pk", "password"))
    otps = list(OneTimePassword.objects.order_by("pk").values_list("pk", "issued_at"))

    again = issue_province(world, world.chiang_mai)

    assert again.pk != first.pk
    assert (again.issued_count, again.skipped_count) == (0, 3)
    assert EsarAccount.objects.count() == 3
    assert (
        dict(User.objects.filter(username__startswith="esar").values_list("pk", "password"))
        == hashes
    )
    assert list(OneTimePassword.objects.order_by("pk").values_list("pk", "issued_at")) == otps
    assert AuditEvent.objects.filter(action="esar_account.issued").count() == 3
    # Nothing new, so nothing to hand over.
    assert again.provinces.count() == 0


def test_the_letters_have_one_page_per_lao_with_its_name_username_and_a_be_date(world, cm_laos):
    batch = issue_province(world, world.chiang_mai)
    part = batch.provinces.get()
    reader = pdf_of(part)

    assert len(reader.pages) == 3
    expiry = thaidate.format_date(batch.expires_at, "long", lang="th")
    assert str(thaidate.be_year(timezone.localdate(batch.expires_at))) in expiry
    texts = [page.extract_text() for page in reader.pages]
    for lao in sorted(cm_laos, key=lambda lao: lao.pk):
        page = next(text for text in texts if f"esar{lao.code}" in text)
        assert spell_out_sara_am(lao.name_th) in page
        assert expiry in page  # the one-time password's expiry, in the Buddhist era
        assert "เชียงใหม่" in page


def test_the_list_has_every_account_and_its_passwords_log_in(world, cm_laos):
    batch = issue_province(world, world.chiang_mai)
    part = batch.provinces.get()
    rows = list_rows(part)

    assert sorted(row[0] for row in rows) == sorted(lao.code for lao in cm_laos)
    by_code = {row[0]: row for row in rows}
    assert by_code["6500103"][1] == "องค์การบริหารส่วนตำบลแม่แรม"
    assert by_code["6500103"][3] == "แม่ริม"
    assert by_code["6500103"][4] == "esar6500103"
    # The passwords on paper are the accounts' passwords (and nowhere in the database).
    printed = {row[4]: row[5] for row in rows}
    pdf_text = "".join(page.extract_text() for page in pdf_of(part).pages)
    for username, password in printed.items():
        user = User.objects.get(username=username)
        assert check_password(password, user.password)
        assert password not in user.password
        assert password in pdf_text


def _log_in(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_printed_password_logs_in_once_then_leads_to_the_change(world, cm_laos):
    batch = issue_province(world, world.chiang_mai)
    password = passwords_in_list(batch.provinces.get())["esar6500103"]

    first = Client()
    response = _log_in(first, "esar6500103", password)
    assert "_auth_user_id" in first.session
    assert first.get("/esar/")["Location"].startswith(reverse("accounts:password_change"))
    otp = OneTimePassword.objects.get(user__username="esar6500103")
    assert otp.used_at is not None and otp.replaced_at is None

    second = Client()
    response = _log_in(second, "esar6500103", password)
    assert "_auth_user_id" not in second.session
    assert response.status_code == 422  # the log-in form again, saying why


def test_a_printed_password_not_used_in_time_expires(world, cm_laos):
    batch = issue_province(world, world.chiang_mai)
    password = passwords_in_list(batch.provinces.get())["esar6500102"]
    OneTimePassword.objects.filter(user__username="esar6500102").update(
        expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )

    client = Client()
    _log_in(client, "esar6500102", password)
    assert "_auth_user_id" not in client.session
    assert OneTimePassword.objects.get(user__username="esar6500102").used_at is None


def test_a_revoked_lao_gets_its_user_back_and_a_taken_username_is_reported(world, cm_laos):
    old = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    esar_accounts.revoke_account(lao=world.cm_city, actor=world.dla_admin)
    # Someone else's account already carries the username of the new LAO.
    create_account(
        username="esar6500103",
        password=None,
        role=Role.SCHOOL_OFFICER,
        organization=world.cm_school,
    )

    batch = issue_province(world, world.chiang_mai)

    assert (batch.issued_count, batch.skipped_count) == (2, 0)
    part = batch.provinces.get()
    assert part.conflicts == [{"lao": "6500103", "username": "esar6500103"}]
    assert not EsarAccount.objects.filter(lao__code="6500103").exists()
    account = EsarAccount.objects.get(lao=world.cm_city, revoked_at__isnull=True)
    assert account.user == old.account.user and account.user.is_active
    password = passwords_in_list(part)["esar2500101"]
    assert check_password(password, User.objects.get(pk=account.user_id).password)
    assert not check_password(old.password, User.objects.get(pk=account.user_id).password)


def test_the_whole_country_gets_one_letter_file_per_province(world, cm_laos, client):
    batch = issue_province(world, None)

    assert batch.scope == IssuanceBatch.Scope.NATIONAL
    assert (batch.issued_count, batch.provinces_total, batch.provinces_done) == (4, 2, 2)
    parts = {part.province_id: part for part in batch.provinces.all()}
    assert {code: part.issued for code, part in parts.items()} == {"50": 3, "40": 1}
    assert len(pdf_of(parts["40"]).pages) == 1

    client.force_login(world.dla_admin)
    response = client.get(reverse("delivery:issuance_zip", args=[batch.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(
        distribution.document_name(batch.pk, code, ext)
        for code in ("40", "50")
        for ext in ("pdf", "xlsx")
    )


def test_the_job_shows_its_progress_up_to_the_end(world, cm_laos, client):
    client.force_login(world.dla_admin)
    page = client.get(reverse("delivery:accounts_issue") + "?province=50").content.decode()
    assert 'data-testid="to-issue"' in page and "3 local authorities" in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("delivery:accounts_issue"), {"province": "50"})
    job = Job.objects.get(kind=issuance.ISSUANCE_JOB_KIND)
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress_total == 6 and job.progress_done == 6 and job.percent == 100
    batch = IssuanceBatch.objects.get(job=job)
    status = client.get(reverse("core:job_status", args=[job.pk])).content.decode()
    assert "Accounts issued" in status
    detail = client.get(reverse("delivery:issuance_batch", args=[batch.pk])).content.decode()
    assert reverse("delivery:issuance_file", args=[batch.pk, "50", "pdf"]) in detail


def test_dla_downloads_then_deletes_the_letters(world, cm_laos, client):
    batch = issue_province(world, world.chiang_mai)
    part = batch.provinces.get()
    paths = [part.pdf_path, part.xlsx_path]
    client.force_login(world.dla_admin)
    url = reverse("delivery:issuance_file", args=[batch.pk, "50", "pdf"])

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="esar_account.distribution_downloaded").exists()

    response = client.post(reverse("delivery:issuance_delete_files", args=[batch.pk]))
    assert response.status_code == 302
    assert not any(default_storage.exists(path) for path in paths)
    assert client.get(url).status_code == 404
    batch.refresh_from_db()
    assert batch.files_deleted_by == world.dla_admin
    event = AuditEvent.objects.get(action="esar_account.distribution_deleted")
    assert event.actor == world.dla_admin
    # The accounts stay.
    assert EsarAccount.objects.filter(revoked_at__isnull=True).count() == 3


@pytest.mark.parametrize(
    "persona", ["dla_analyst", "cm_supervisor", "cm_city_officer", "onesqa_reviewer", "helpdesk"]
)
def test_only_dla_administrators_issue_and_download(world, cm_laos, client, persona):
    batch = issue_province(world, world.chiang_mai)
    client.force_login(getattr(world, persona))

    # A province supervisor sees its LAOs' account states, so issuing is refused with 403.
    refused = 403 if persona == "cm_supervisor" else 404
    assert client.get(reverse("delivery:accounts_issue") + "?province=50").status_code == refused
    assert (
        client.post(reverse("delivery:accounts_issue"), {"province": "50"}).status_code == refused
    )
    for url in (
        reverse("delivery:issuance_batches"),
        reverse("delivery:issuance_batch", args=[batch.pk]),
        reverse("delivery:issuance_file", args=[batch.pk, "50", "pdf"]),
        reverse("delivery:issuance_file", args=[batch.pk, "50", "xlsx"]),
        reverse("delivery:issuance_zip", args=[batch.pk]),
    ):
        expected = refused if url == reverse("delivery:issuance_batches") else 404
        assert client.get(url).status_code == expected, url
    assert (
        client.post(reverse("delivery:issuance_delete_files", args=[batch.pk])).status_code == 404
    )
    assert IssuanceBatch.objects.count() == 1
    assert batch.provinces.get().has_files
    with pytest.raises(services.NotAllowed):
        issuance.start(actor=getattr(world, persona), province=world.chiang_mai)


def test_a_province_supervisor_sees_the_state_of_its_laos_accounts_only(world, cm_laos, client):
    batch = issue_province(world, world.chiang_mai)
    password = passwords_in_list(batch.provinces.get())["esar6500103"]
    _log_in(Client(), "esar6500103", password)

    client.force_login(world.cm_supervisor)
    page = client.get(reverse("delivery:accounts_index"), headers={"Accept-Language": "en"})
    assert page.status_code == 200
    states = {row.lao.code: row.state for row in page.context["rows"]}
    assert states["6500103"] == "logged_in"
    assert states["6500102"] == "issued"
    assert 'data-testid="issue-panel"' not in page.content.decode()
    assert client.get(reverse("delivery:accounts_index") + "?province=40").status_code == 404

    client.force_login(world.cm_city_officer)
    assert client.get(reverse("delivery:accounts_index")).status_code == 404


def test_dla_sees_every_province_then_one_provinces_laos(world, cm_laos, client):
    issue_province(world, world.khon_kaen)
    client.force_login(world.dla_admin)

    page = client.get(reverse("delivery:accounts_index"))
    assert page.status_code == 200
    counts = {row.code: (row.active, row.with_account) for row in page.context["plan"].provinces}
    assert counts == {"40": (1, 1), "50": (3, 0)}
    html = page.content.decode()
    assert reverse("delivery:accounts_issue") + "?scope=national" in html
    assert len(page.context["batches"]) == 1

    page = client.get(reverse("delivery:accounts_index") + "?province=50")
    assert {row.lao.code for row in page.context["rows"]} == {
        "2500101",
        "6500102",
        "6500103",
        "6500199",
    }
    assert {row.state for row in page.context["rows"]} == {"none"}
    assert reverse("delivery:accounts_issue") + "?province=50" in page.content.decode()
    listed = client.get(reverse("delivery:issuance_batches"))
    assert listed.status_code == 200
    assert reverse("delivery:issuance_batch", args=[page.context["batches"][0].pk]) in (
        listed.content.decode()
    )
