"""Value types passed between the apps and the search index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

# The types of item the index holds, with their labels. An app that adds a type adds it here (one line).
KINDS: dict[str, Any] = {
    "unit": _("Administrative unit"),
    "indicator": _("Indicator"),
    "document": _("Document"),
    "conference": _("Conference"),
    "product": _("Product"),
    "proposal": _("Proposal"),
    "programme": _("Programme"),
}


@dataclass(frozen=True)
class SearchDocument:
    """One item as an app hands it to the index."""

    kind: str
    key: str
    title: str
    url: str
    body: str = ""
    visibility: str = "public"
    unit_id: int | None = None
    unit_key: str = ""
    unit_name: str = ""


@dataclass(frozen=True)
class SearchScope:
    """What a viewer may see, computed by the caller (search cannot know the roles). Public items are always
    visible; `signed_in`: items for any signed-in user; `ministry`: Ministry-only items; `all_units`: every unit's
    unit-scoped items; `unit_ids`: the units whose unit-scoped items this viewer may see."""

    signed_in: bool = False
    ministry: bool = False
    all_units: bool = False
    unit_ids: frozenset[int] = field(default_factory=frozenset)


PUBLIC = SearchScope()


@dataclass
class SearchHit:
    id: int
    kind: str
    key: str
    title: str
    url: str
    unit_key: str
    unit_name: str
    title_html: SafeString
    snippet_html: SafeString
    score: tuple[Any, ...]

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


@dataclass
class SearchResults:
    query: str
    tokens: list[str]
    hits: list[SearchHit]
    count: int
    capped: bool
    fuzzy: bool
