"""Serve plotly's own bundled `plotly.min.js` (from the pinned `plotly` package) as the static file
`analytics/plotly.min.js`: never inlined in a page, never fetched from a CDN, never copied into the repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = "analytics/plotly.min.js"


def _package_dir() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if path != PLOTLY_JS:
            return [] if find_all else None
        found = str(_package_dir() / "plotly.min.js")
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        storage = FileSystemStorage(location=str(_package_dir()))
        storage.prefix = "analytics"  # type: ignore[attr-defined]
        yield "plotly.min.js", storage
