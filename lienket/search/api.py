"""GET /api/v1/search?q=&type=&unit= — the same search as the page, for anyone (each sees what they may see)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from lienket.core.api import ERRORS, limit_param, offset_param

from . import selectors
from .engine import MAX_QUERY
from .schemas import SearchOut

router = Router(tags=["search"])


@router.get("", response={200: SearchOut, **ERRORS}, summary="Search across units, indicators, documents, ...")
def search(
    request: HttpRequest,
    q: str = Query(..., max_length=MAX_QUERY, description="Words, with or without diacritics"),
    type: str | None = Query(None, max_length=30, description="Only items of this type (unit, indicator, document, ...)"),
    unit: str | None = Query(None, max_length=40, description="Only items of this unit (its key, e.g. 25)"),
    limit: int = limit_param(20, 100),
    offset: int = offset_param(),
) -> Any:
    kinds = [k.strip() for k in type.split(",")] if type else None
    results = selectors.search_for_user(user=request.user, q=q, kinds=kinds, unit=unit, limit=limit, offset=offset)
    return {
        "query": results.query, "count": results.count, "capped": results.capped, "limit": limit, "offset": offset,
        "results": [
            {"type": h.kind, "type_label": h.kind_label, "key": h.key, "title": h.title, "url": h.url, "unit": h.unit_key,
             "unit_name": h.unit_name, "title_html": str(h.title_html), "snippet_html": str(h.snippet_html)}
            for h in results.hits
        ],
    }
