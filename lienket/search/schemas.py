from __future__ import annotations

from ninja import Schema


class SearchHitOut(Schema):
    type: str
    type_label: str
    key: str
    title: str
    url: str
    unit: str
    unit_name: str
    title_html: str
    snippet_html: str


class SearchOut(Schema):
    query: str
    count: int
    capped: bool
    limit: int
    offset: int
    results: list[SearchHitOut]
