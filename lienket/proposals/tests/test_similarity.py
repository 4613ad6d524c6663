"""Duplicate suggestions: a reworded proposal typed without diacritics is found, an unrelated one is not; the
scores are pg_trgm's on PostgreSQL and the same numbers on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection

from lienket.proposals import selectors
from lienket.proposals.similarity import similarity, trigrams

from .factories import advance, draft

CORPUS = [
    "Sớm ban hành cơ chế, chính sách phát triển điện mặt trời mái nhà",
    "Ban hành thông tư hướng dẫn Nghị định 32/2024/NĐ-CP về cụm công nghiệp",
    "Hỗ trợ vốn nâng cấp chợ và hạ tầng thương mại tại các cửa khẩu biên giới",
    "Tăng hỗ trợ xúc tiến thương mại ở vùng miền núi, biên giới",
    "Rà soát chính sách phát triển logistics và nghiên cứu cơ chế đặc thù",
]


@pytest.fixture
def corpus(pw):
    return [advance(pw, draft(pw, title=t), "received") for t in CORPUS]


def test_a_reworded_title_without_diacritics_finds_the_proposal(pw, corpus):
    found = selectors.similar_proposals(user=pw.other_officer, text="co che phat trien dien mat troi tren mai nha")
    assert found
    assert found[0].proposal == corpus[0]
    assert 0.3 <= found[0].score <= 1


def test_an_unrelated_title_finds_nothing(pw, corpus):
    assert selectors.similar_proposals(user=pw.other_officer, text="Đào tạo kỹ năng bán hàng trực tuyến cho hợp tác xã") == []


def test_the_database_score_is_the_python_trigram_score_for_the_corpus(pw, corpus):
    """On PostgreSQL this compares pg_trgm's similarity() with ours; on SQLite the SQL function with Python."""
    query = "ho tro von nang cap cho bien gioi"
    got = {s.proposal.title: s.score for s in selectors.similar_proposals(user=pw.coordinator, text=query, threshold=0.0, limit=10)}
    from lienket.core.text import fold

    expected = {t: round(similarity(fold(t), fold(query)), 4) for t in CORPUS}
    assert set(got) == set(CORPUS)
    for title, score in got.items():
        assert score == pytest.approx(expected[title], abs=1e-4), (connection.vendor, title)
    ranking = sorted(expected, key=lambda t: -expected[t])[: len(got)]
    assert list(got) == ranking


def test_trigrams_follow_pg_trgm():
    assert trigrams("cat") == {"  c", " ca", "cat", "at "}
    assert similarity("abc", "abc") == 1.0
    assert similarity("", "abc") == 0.0


def test_drafts_of_other_units_are_not_suggested(pw):
    draft(pw, title="Điện mặt trời mái nhà")  # Hà Nội's draft
    assert selectors.similar_proposals(user=pw.other_officer, text="dien mat troi mai nha") == []
    assert len(selectors.similar_proposals(user=pw.officer, text="dien mat troi mai nha")) == 1


def test_the_htmx_fragment_shows_suggestions_with_a_score(pw, corpus, client):
    client.force_login(pw.other_officer)
    r = client.get("/kien-nghi/tuong-tu/", {"title": "co che dien mat troi mai nha"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert CORPUS[0] in html
    assert 'data-testid="score"' in html
    assert "<html" not in html
