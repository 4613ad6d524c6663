"""The knowledge library: legal documents (laws, resolutions, decrees, circulars, decisions, directives, official
letters) with their numbers parsed into parts and their relations (guides, amends, replaces), and the
presentations and experience documents of the conferences.

A document number is kept as written (`32/2024/NĐ-CP`) and as parts (number, year, type abbreviation, issuer
abbreviation; see values.number_parse); `number_key` (folded, case-insensitive) is unique, so
`selectors.document_find(number=...)` finds one document whatever the spelling of Đ or the case.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    LAW = "law", _("Law")
    RESOLUTION = "resolution", _("Resolution")
    DECREE = "decree", _("Decree")
    CIRCULAR = "circular", _("Circular")
    DECISION = "decision", _("Decision")
    DIRECTIVE = "directive", _("Directive")
    OFFICIAL_LETTER = "official_letter", _("Official letter")
    CONSOLIDATED = "consolidated", _("Consolidated text")
    PRESENTATION = "presentation", _("Presentation")
    EXPERIENCE = "experience", _("Experience document")
    OTHER = "other", _("Other")


LEGAL_TYPES = frozenset({
    DocType.LAW, DocType.RESOLUTION, DocType.DECREE, DocType.CIRCULAR, DocType.DECISION, DocType.DIRECTIVE,
    DocType.OFFICIAL_LETTER, DocType.CONSOLIDATED,
})


class DocStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    PARTLY_EXPIRED = "partly_expired", _("Partly expired")
    EXPIRED = "expired", _("Expired")
    REPLACED = "replaced", _("Replaced")
    UNKNOWN = "unknown", _("Not recorded")


class DocVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MINISTRY = "ministry", _("Ministry only")
    UNIT = "unit", _("The unit's own people and the Ministry")


class Document(models.Model):
    doc_type = models.CharField(_("type"), max_length=20, choices=DocType.choices)
    number = models.CharField(_("number"), max_length=60, blank=True, help_text=_("As written, e.g. 32/2024/NĐ-CP"))
    number_key = models.CharField(max_length=60, blank=True, editable=False)
    number_seq = models.CharField(_("number (part)"), max_length=12, blank=True, editable=False)
    number_year = models.PositiveSmallIntegerField(_("year in the number"), null=True, blank=True, editable=False)
    type_abbr = models.CharField(_("type abbreviation"), max_length=12, blank=True, editable=False)
    issuer_abbr = models.CharField(_("issuer abbreviation"), max_length=20, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=500, help_text=_("The subject, e.g. on managing and developing industrial clusters"))
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DocStatus.choices, default=DocStatus.UNKNOWN)
    summary = models.TextField(_("summary"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="library/%Y/", blank=True)
    conference = models.ForeignKey(
        "conferences.Conference", null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("conference"),
    )
    visibility = models.CharField(_("visibility"), max_length=12, choices=DocVisibility.choices, default=DocVisibility.PUBLIC)
    unit = models.ForeignKey(
        "regions.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="library_documents",
        verbose_name=_("unit"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issue_date", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["number_key"], condition=~Q(number_key=""), name="library_number_unique"),
            models.CheckConstraint(
                condition=Q(effective_date__isnull=True) | Q(issue_date__isnull=True) | Q(effective_date__gte=F("issue_date")),
                name="library_effective_after_issue",
            ),
            models.CheckConstraint(condition=~Q(visibility="unit") | Q(unit__isnull=False), name="library_unit_scope_has_unit"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        label = DocType(self.doc_type).label
        head = f"{label} {self.number}" if self.number else str(label)
        return f"{head} — {self.title}" if self.title else head


class RelationKind(models.TextChoices):
    GUIDES = "guides", _("guides")
    AMENDS = "amends", _("amends")
    REPLACES = "replaces", _("replaces")


# How a relation reads from its target's side.
INVERSE_LABELS = {
    RelationKind.GUIDES: _("guided by"),
    RelationKind.AMENDS: _("amended by"),
    RelationKind.REPLACES: _("replaced by"),
}


class DocumentRelation(models.Model):
    """`source` guides / amends / replaces `target` (Circular 14/2024/TT-BCT guides Decree 32/2024/NĐ-CP)."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=12, choices=RelationKind.choices)
    effective_date = models.DateField(_("from"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("document relation")
        verbose_name_plural = _("document relations")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="library_relation_unique"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="library_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source.number} {self.kind} {self.target.number}"
