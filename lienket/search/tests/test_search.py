"""The search index and engine on a fixed corpus. Every test runs on SQLite and (DATABASE_URL=postgres://...) on
PostgreSQL: the expected orders below are the same on both."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.management import call_command
from django.db import connection

from lienket.core.errors import ValidationFailed
from lienket.search import engine
from lienket.search.folding import highlight, search_fold, similarity
from lienket.search.models import SearchEntry
from lienket.search.services import search_index_rebuild, search_index_remove, search_index_upsert
from lienket.search.values import PUBLIC, SearchDocument, SearchScope

pytestmark = pytest.mark.django_db

CORPUS = [
    SearchDocument(kind="unit", key="25", title="Phú Thọ", body="Tỉnh · trung du", url="/u/25", unit_id=1, unit_key="25", unit_name="Phú Thọ"),
    SearchDocument(kind="unit", key="17", title="Hoà Bình", body="Tỉnh", url="/u/17", unit_id=3, unit_key="17", unit_name="Hoà Bình"),
    SearchDocument(kind="unit", key="01", title="Hà Nội", body="Thành phố trực thuộc trung ương", url="/u/01", unit_id=2, unit_key="01", unit_name="Hà Nội"),
    SearchDocument(kind="document", key="d32", title="Nghị định 32/2024/NĐ-CP — Về quản lý, phát triển cụm công nghiệp",
                   body="Chính phủ · 15/03/2024", url="/d/32"),
    SearchDocument(kind="document", key="d14", title="Thông tư 14/2024/TT-BCT — Chế độ báo cáo cụm công nghiệp",
                   body="Hướng dẫn Nghị định 32/2024/NĐ-CP", url="/d/14"),
    SearchDocument(kind="product", key="p1", title="Chè Phú Thọ đặc sản", body="Đặc sản của tỉnh Phú Thọ, OCOP 4 sao",
                   url="/p/1", unit_id=1, unit_key="25", unit_name="Phú Thọ"),
    SearchDocument(kind="conference", key="c4", title="Hội nghị lần thứ IV", body="06/10/2017 · Phú Thọ", url="/c/4",
                   unit_id=1, unit_key="25", unit_name="Phú Thọ"),
    SearchDocument(kind="indicator", key="RETAIL", title="Tổng mức bán lẻ hàng hóa", body="RETAIL · tỷ đồng",
                   url="/i/RETAIL", visibility="signed_in"),
    SearchDocument(kind="document", key="secret", title="Ghi chú nội bộ đặc sản Phú Thọ", body="Chỉ Bộ",
                   url="/d/secret", visibility="ministry"),
    SearchDocument(kind="document", key="hn-only", title="Kế hoạch riêng đặc sản Hà Nội", body="Hà Nội",
                   url="/d/hn", visibility="unit", unit_id=2, unit_key="01", unit_name="Hà Nội"),
]

EVERYTHING = SearchScope(signed_in=True, ministry=True, all_units=True)


@pytest.fixture
def corpus() -> None:
    search_index_rebuild(documents=CORPUS)


def keys(query: str, scope: SearchScope = PUBLIC, **kw: object) -> list[str]:
    return [h.key for h in engine.search(query=query, scope=scope, **kw).hits]  # type: ignore[arg-type]


# --- folding --------------------------------------------------------------------------------------------------------

def test_fold_handles_d_bar_case_nfd_and_tone_placement() -> None:
    assert search_fold("Đặc sản ĐỒNG") == "dac san dong"
    assert search_fold(unicodedata.normalize("NFD", "Phú Thọ")) == search_fold("Phú Thọ") == "phu tho"
    assert search_fold("Hoà Bình") == search_fold("Hòa Bình") == "hoa binh"
    assert search_fold("32/2024/NĐ-CP") == "32 2024 nd cp"
    assert search_fold("  \u200bHà   Nội!! ") == "ha noi"


def test_postgres_lienket_fold_agrees_with_python() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    samples = ["Đặc sản ĐỒNG", unicodedata.normalize("NFD", "Phú Thọ"), "Hoà Bình", "32/2024/NĐ-CP",
               "Nghị định — Ưu đãi, phát triển; Quảng Ninh (2025)", "Tổng mức bán lẻ hàng hóa"]
    with connection.cursor() as cur:
        for text in samples:
            cur.execute("SELECT lienket_fold(%s)", [text])
            assert cur.fetchone()[0] == search_fold(text), text


def test_trigram_similarity_follows_pg_trgm() -> None:
    assert similarity("phu tho", "phu tho") == 1.0
    assert similarity("phu tho", "phu tjo") > 0.3
    assert similarity("phu tho", "ha noi") < 0.1


# --- finding --------------------------------------------------------------------------------------------------------

def test_phu_tho_without_diacritics_ranks_the_unit_first_then_titles_then_text(corpus: None) -> None:
    assert keys("phu tho") == ["25", "p1", "c4"]
    assert keys("PHU THO") == keys("Phú Thọ") == keys(unicodedata.normalize("NFD", "Phú Thọ")) == ["25", "p1", "c4"]


def test_dac_san_finds_dac_san(corpus: None) -> None:
    assert keys("dac san") == ["p1"]


def test_nghi_dinh_32_finds_the_decree_first_then_the_circular_that_guides_it(corpus: None) -> None:
    assert keys("nghi dinh 32") == ["d32", "d14"]
    assert keys("32/2024/NĐ-CP") == ["d32", "d14"]


def test_old_and_new_tone_placement_are_the_same(corpus: None) -> None:
    assert keys("Hòa Bình") == keys("Hoà Bình") == keys("hoa binh") == ["17"]


def test_prefix_of_the_last_word_matches_while_typing(corpus: None) -> None:
    assert keys("phu th")[:1] == ["25"]
    assert keys("nghi di") == ["d32", "d14"]


def test_typo_in_a_name_is_tolerated(corpus: None) -> None:
    result = engine.search(query="phu tjo", scope=PUBLIC)
    assert [h.key for h in result.hits][:1] == ["25"]
    assert result.fuzzy
    assert keys("ha nol")[:1] == ["01"]


def test_filters_by_type_and_unit(corpus: None) -> None:
    assert keys("phu tho", kinds=["product", "conference"]) == ["p1", "c4"]
    assert keys("phu tho", unit_key="25") == ["25", "p1", "c4"]
    assert keys("phu tho", unit_key="01") == []


def test_highlight_marks_the_words_in_the_original_text_and_escapes_html() -> None:
    html = highlight("Chè <b>Phú Thọ</b> đặc sản", ["phu", "tho"])
    assert html == "Chè &lt;b&gt;<mark>Phú</mark> <mark>Thọ</mark>&lt;/b&gt; đặc sản"
    assert highlight("Đặc sản", ["dac"]) == "<mark>Đặc</mark> sản"


def test_hits_carry_highlighted_title_and_snippet(corpus: None) -> None:
    hit = engine.search(query="dac san", scope=PUBLIC).hits[0]
    assert str(hit.title_html) == "Chè Phú Thọ <mark>đặc</mark> <mark>sản</mark>"
    assert "<mark>Đặc</mark> <mark>sản</mark>" in hit.snippet_html


# --- permissions ----------------------------------------------------------------------------------------------------

def test_hidden_items_are_never_found(corpus: None) -> None:
    assert "secret" not in keys("dac san")
    assert "hn-only" not in keys("dac san")
    assert "RETAIL" not in keys("ban le")
    assert keys("ban le", SearchScope(signed_in=True)) == ["RETAIL"]
    assert set(keys("dac san", SearchScope(signed_in=True, ministry=True))) == {"p1", "secret"}
    assert set(keys("dac san", SearchScope(signed_in=True, unit_ids=frozenset({2})))) == {"p1", "hn-only"}
    assert set(keys("dac san", SearchScope(signed_in=True, unit_ids=frozenset({1})))) == {"p1"}
    assert set(keys("dac san", EVERYTHING)) == {"p1", "secret", "hn-only"}


def test_hidden_items_are_not_found_by_typo_either(corpus: None) -> None:
    assert "secret" not in keys("ghi chu noi bo dac san phu tjo")


# --- writes and bad input -------------------------------------------------------------------------------------------

def test_upsert_updates_and_remove_deletes(corpus: None) -> None:
    search_index_upsert(document=SearchDocument(kind="unit", key="25", title="Phú Thọ mới", url="/u/25"))
    assert SearchEntry.objects.filter(kind="unit", key="25").count() == 1
    assert keys("phu tho moi")[:1] == ["25"]
    assert search_index_remove(kind="unit", key="25") == 1
    assert "25" not in keys("phu tho")
    assert search_index_remove(kind="unit", key="25") == 0


@pytest.mark.parametrize("doc", [
    SearchDocument(kind="spaceship", key="x", title="x", url="/x"),
    SearchDocument(kind="unit", key="", title="x", url="/x"),
    SearchDocument(kind="unit", key="x", title="x", url="/x", visibility="secret"),
    SearchDocument(kind="unit", key="x", title="x", url="/x", visibility="unit"),
])
def test_bad_documents_are_refused(doc: SearchDocument) -> None:
    with pytest.raises(ValidationFailed):
        search_index_upsert(document=doc)
    assert not SearchEntry.objects.exists()


@pytest.mark.parametrize("query", ["", "   ", "!!!", '"', "*", "NEAR(a b)", "a OR b AND NOT c", "'; DROP TABLE x; --", "\x00"])
def test_odd_queries_are_answered_not_crashed(corpus: None, query: str) -> None:
    engine.search(query=query, scope=PUBLIC)


def test_too_long_query_is_refused(corpus: None) -> None:
    with pytest.raises(ValidationFailed):
        engine.search(query="a" * 201, scope=PUBLIC)


def test_reindex_command_rebuilds_from_every_app(reference_data: None) -> None:
    SearchEntry.objects.all().delete()
    call_command("search_reindex")
    kinds = set(SearchEntry.objects.values_list("kind", flat=True))
    assert {"unit", "conference", "document"} <= kinds
    assert keys("phu tho", kinds=["unit"])[:1] == ["25"] or keys("phu tho", kinds=["unit"])[0].startswith("25")
    assert keys("nghi dinh 32")[:1] != []


def test_edit_distance_counts_swaps_once() -> None:
    from lienket.search.folding import edit_distance

    assert edit_distance("tho", "tjo") == 1
    assert edit_distance("ninh", "nihn") == 1
    assert edit_distance("quang", "quagn") == 1
    assert edit_distance("ha", "hanoi", limit=2) == 3


def test_typo_correction_draws_on_the_vocabulary_of_titles(corpus: None) -> None:
    assert keys("nghi dimh 32")[:1] == ["d32"]
    assert keys("hoa bnih") == ["17"]
