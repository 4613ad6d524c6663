"""The search index: one row per searchable item of any app (a unit, an indicator, a document, ...).

Search sits just above core, so it knows no other app: the apps write their items here through
`services.search_index_upsert(...)` inside their own transaction, and `manage.py search_reindex` rebuilds the
whole table from every app's `search_documents()` (the list in settings.SEARCH_DOCUMENT_SOURCES).
`unit_id`/`unit_key` name the regions.AdminUnit an item belongs to without a foreign key (search cannot know
regions). The full-text structures are database-specific and live in migration 0002: PostgreSQL expression
indexes over `lienket_fold()` (unaccent + pg_trgm), SQLite FTS5 tables over the folded columns kept in step by
triggers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    SIGNED_IN = "signed_in", _("Signed-in users")
    MINISTRY = "ministry", _("Ministry only")
    UNIT = "unit", _("The unit's own people and the Ministry")


class SearchEntry(models.Model):
    kind = models.CharField(_("type"), max_length=30)
    key = models.CharField(_("key"), max_length=120)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    title_folded = models.CharField(max_length=500, editable=False)
    body_folded = models.TextField(blank=True, editable=False)
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True)
    unit_key = models.CharField(_("unit key"), max_length=40, blank=True, db_index=True)
    unit_name = models.CharField(_("unit"), max_length=120, blank=True)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    url = models.CharField(_("address"), max_length=300)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="search_entry_kind_key_unique"),
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "signed_in", "ministry", "unit"]),
                name="search_entry_visibility_valid",
            ),
        ]
        indexes = [models.Index(fields=["kind", "visibility"], name="search_entry_kind_vis")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} {self.title}"


class SearchTerm(models.Model):
    """The words of the indexed titles (folded, not numbers): the vocabulary that typo correction draws on
    (pg_trgm `%` on PostgreSQL, trigram similarity on the words of the same first letter on SQLite). Grows with
    the index; a word no longer used only costs a lookup that finds nothing."""

    term = models.CharField(max_length=60, unique=True)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term
