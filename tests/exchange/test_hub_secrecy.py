"""Secret documents on the hub: a package whose header shows a secrecy mark is refused
and reported to the operator with nothing of it stored; a recipient that finds the mark
inside reports it, and the hub withdraws the content from everyone."""

from __future__ import annotations

import json

from vanban.audit.models import AuditEvent
from vanban.exchange import storage
from vanban.exchange.models import Package, SecrecyReport

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"


def test_a_package_marked_secret_in_its_subject_is_refused_and_reported(hub):
    _, answer = hub.send(1, subject="Phương án bảo vệ mục tiêu trọng điểm (MẬT)")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "secret_document" and body["details"]["level"] == "mat"
    assert "không được gửi, nhận qua mạng" in body["message_vi"] and "paper" in body["message_en"]
    assert Package.objects.count() == 0
    [report] = SecrecyReport.objects.all()
    assert (report.source, report.sender_code, report.level, report.where) == ("intake", SNV, "Mật", "trích yếu")
    assert AuditEvent.objects.filter(action="exchange.secret.refused").count() == 1


def test_the_operator_page_lists_secret_documents(hub, django_user_model):
    hub.send(2, subject="TỐI MẬT - Kế hoạch diễn tập")
    admin = django_user_model.objects.create_user("vanhanh", password="x-very-long-1", is_staff=True)
    hub.client.force_login(admin)
    page = hub.client.get("/hub/van-hanh/").content.decode()
    section = page.split('id="secrecy-reports"')[1].split("</table>")[0]
    assert SNV in section and "Tối mật" in section and "Trục từ chối, không lưu" in section


def _report(hub, package_id, token, level="mat"):
    return hub.client.post(
        f"/hub/v1/packages/{package_id}/secret-report",
        data=json.dumps({"level": level, "where": "trang 1 của tệp PDF"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_recipient_report_withdraws_the_content_for_everyone(hub, django_capture_on_commit_callbacks):
    _, answer = hub.send(3, to=(SKHCN, XA), pdf=hub.pki.pdf)
    pid = answer.json()["id"]
    sha = Package.objects.get(pk=pid).sha256
    assert storage.exists(sha)
    with django_capture_on_commit_callbacks(execute=True):
        reported = _report(hub, pid, hub.tokens[SKHCN])
    assert reported.status_code == 201 and reported.json()["withdrawn"] is True
    assert not storage.exists(sha)
    gone = hub.get(f"packages/{pid}", hub.tokens[XA])
    assert gone.status_code == 410 and gone.json()["code"] == "withdrawn_secret"
    timeline = hub.get(f"packages/{pid}/timeline", hub.tokens[SNV]).json()
    by_recipient = {d["recipient_code"]: [e["event"] for e in d["events"]] for d in timeline["deliveries"]}
    assert by_recipient[SKHCN][-1] == "secret" and "secret" not in by_recipient[XA]
    [report] = SecrecyReport.objects.all()
    assert (report.source, report.reported_by, report.level) == ("recipient", SKHCN, "Mật")


def test_only_a_recipient_may_report_a_package(hub):
    _, answer = hub.send(4, to=(SKHCN,))
    pid = answer.json()["id"]
    assert _report(hub, pid, hub.tokens[XA]).status_code == 404
    assert _report(hub, pid, hub.tokens[SNV]).status_code == 404  # the sender is not a recipient
    assert hub.get(f"packages/{pid}", hub.tokens[SKHCN]).status_code == 200
    assert SecrecyReport.objects.count() == 0


def test_an_unknown_level_is_refused_with_a_message(hub):
    _, answer = hub.send(5, to=(SKHCN,))
    bad = _report(hub, answer.json()["id"], hub.tokens[SKHCN], level="rat-mat")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_parameters"
    assert "Độ mật không hợp lệ" in bad.json()["message_vi"]
    assert Package.objects.get(pk=answer.json()["id"]).withdrawn_at is None
