"""`manage.py search_reindex [--type KIND ...]`: rebuild the search index from every app.

Search cannot import the apps above it, so each app names its `search_documents()` function in
settings.SEARCH_DOCUMENT_SOURCES (a new app adds one line there); this command calls them all and replaces the
index in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from lienket.search.services import search_index_rebuild
from lienket.search.values import SearchDocument


def all_documents(kinds: set[str] | None = None) -> Iterator[SearchDocument]:
    for path in settings.SEARCH_DOCUMENT_SOURCES:
        for document in import_string(path)():
            if kinds is None or document.kind in kinds:
                yield document


class Command(BaseCommand):
    help = "Rebuild the search index from every app (settings.SEARCH_DOCUMENT_SOURCES)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--type", action="append", dest="kinds", help="Only this type of item (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = set(options["kinds"]) if options.get("kinds") else None
        count = search_index_rebuild(documents=all_documents(kinds), kinds=kinds)
        self.stdout.write(self.style.SUCCESS(f"Search index: {count} items."))
