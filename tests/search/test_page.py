"""The search page: the box in every page's top bar, highlighted results for the person's
agency, nothing for an outsider, a Vietnamese message for a query it cannot use."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_has_the_search_box_in_its_top_bar(client, office):
    client.force_login(office.lan.user)
    html = client.get("/").content.decode()
    assert 'action="/tim-kiem/"' in html and 'name="q"' in html


def test_the_page_shows_the_match_highlighted_with_a_link_to_the_document(client, office, paper):
    doc = paper("Về việc sửa chữa Đường Lê Lợi")
    client.force_login(office.lan.user)
    html = client.get("/tim-kiem/", {"q": "duong le loi"}).content.decode()
    assert "<mark>Đường</mark>" in html
    assert f'href="/van-ban-den/{doc.pk}/"' in html


def test_an_outsider_sees_no_document(client, office, paper):
    paper("Về việc sửa chữa Đường Lê Lợi")
    client.force_login(office.outsider)
    html = client.get("/tim-kiem/", {"q": "duong"}).content.decode()
    assert "Không tìm thấy văn bản nào phù hợp" in html
    assert "Lê Lợi" not in html


def test_a_visitor_not_signed_in_is_sent_to_the_login_page(client):
    answer = client.get("/tim-kiem/", {"q": "duong"})
    assert answer.status_code == 302 and "/dang-nhap/" in answer["Location"]


def test_a_query_it_cannot_use_is_explained_in_vietnamese(client, office):
    client.force_login(office.lan.user)
    html = client.get("/tim-kiem/", {"q": "bao cao nam:20x6"}).content.decode()
    assert "không hợp lệ" in html and "nam:2026" in html


def test_sorting_by_date_puts_the_newest_document_first_whatever_its_relevance(client, office, paper):
    import datetime as dt

    from vanban.registry.models import IncomingDocument
    from vanban.search import process_queue

    old = paper("Báo cáo tổng kết năm")
    IncomingDocument.objects.filter(pk=old.pk).update(issued_on=dt.date(2020, 1, 1))
    from vanban.search.indexer import enqueue

    enqueue("den", old.pk)
    process_queue()
    new = paper("Bao cao tong ket nam hoc (ban khong dau)")
    client.force_login(office.lan.user)
    by_date = client.get("/tim-kiem/", {"q": "báo cáo tổng kết", "sap-xep": "ngay"}).content.decode()
    assert by_date.index(f'href="/van-ban-den/{new.pk}/"') < by_date.index(f'href="/van-ban-den/{old.pk}/"')
    # by relevance the older one, typed with the same diacritics, comes first
    by_relevance = client.get("/tim-kiem/", {"q": "báo cáo tổng kết"}).content.decode()
    assert by_relevance.index(f'href="/van-ban-den/{old.pk}/"') < by_relevance.index(f'href="/van-ban-den/{new.pk}/"')


def test_the_leader_assigning_sees_the_suggested_lead_unit_and_similar_documents(client, office, paper):
    from vanban.registry.services import incoming
    from vanban.search import process_queue

    for subject in ("Về việc tuyển dụng công chức đợt 1", "Về việc tuyển dụng công chức đợt 2"):
        earlier = paper(subject)
        incoming.register(office.lan.user, earlier)
        incoming.assign(office.minh.user, earlier, incoming.AssignmentData(lead_unit=office.tuan.unit))
    new = paper("Về việc tuyển dụng công chức đợt 3")
    incoming.register(office.lan.user, new)
    process_queue()
    client.force_login(office.minh.user)
    html = client.get(f"/van-ban-den/{new.pk}/").content.decode()
    assert "2 văn bản tương tự do Phòng Công chức, viên chức chủ trì" in html
    assert "Văn bản tương tự" in html and "tuyển dụng công chức đợt 1" in html
