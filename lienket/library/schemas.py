from __future__ import annotations

import datetime as dt

from ninja import Schema


class DocumentRefOut(Schema):
    id: int
    number: str
    type: str
    title: str


class RelationOut(Schema):
    relation: str
    label: str
    direction: str
    document: DocumentRefOut
    effective_date: dt.date | None


class DocumentOut(Schema):
    id: int
    type: str
    type_label: str
    number: str
    number_parts: dict[str, str | int | None]
    title: str
    issuer: str
    issue_date: dt.date | None
    effective_date: dt.date | None
    status: str
    summary: str
    source: str
    conference_id: int | None
    file_url: str | None
    url: str


class DocumentDetailOut(DocumentOut):
    relations: list[RelationOut]


class DocumentPageOut(Schema):
    count: int
    limit: int
    offset: int
    documents: list[DocumentOut]
