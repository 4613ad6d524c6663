"""In/Out schemas of /api/v1/products."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .ocop import OcopGroup


class UnitRefOut(Schema):
    code: str
    key: str = Field(description="code@valid_from, or the code for a unit valid over the whole range")
    name: str


class ProducerOut(Schema):
    name: str
    address: str | None = Field(description="Only when the producer published its contact, or for the unit's managers")
    contact: str | None = Field(description="Only when the producer published its contact, or for the unit's managers")


class ProductOut(Schema):
    id: int
    name: str
    unit: UnitRefOut
    producer: ProducerOut
    category: str
    description: str
    ocop_group: str = Field(description="One of the six OCOP groups of Decision 148/QĐ-TTg (2023), or empty: "
                            + ", ".join(OcopGroup.values))
    ocop_group_label: str
    stars: int | None = Field(description="3, 4 or 5; null when not rated")
    score: int | None = Field(description="0–100 points: 3★ 50–69, 4★ 70–89, 5★ 90–100")
    decision_number: str
    decision_date: dt.date | None
    decision_issuer: str
    certificate_valid_until: dt.date | None = Field(description="36 months after the decision, the anniversary excluded")
    certificate_status: str = Field(description="none, valid, expiring (within 90 days) or expired — today in Việt Nam")
    is_published: bool
    is_sample: bool = Field(description="Sample data for demonstrations (Dữ liệu mẫu)")
    photos: list[str] = Field(description="URLs of the photos (JPEG)")
    url: str
    version: int = Field(description="Send it back as `version` when changing the product")


class ProductPageOut(Schema):
    count: int
    limit: int
    offset: int
    products: list[ProductOut]


class ProductIn(Schema):
    unit: str = Field(..., min_length=1, max_length=30, description="Unit key: `25` (valid today) or `25@2025-07-01`")
    name: str = Field(..., min_length=1, max_length=200)
    producer_name: str = Field(..., min_length=1, max_length=200)
    producer_address: str = Field("", max_length=300)
    producer_contact: str = Field("", max_length=300)
    contact_public: bool = False
    category: str = Field("", max_length=120)
    description: str = Field("", max_length=5000)
    ocop_group: str = Field("", max_length=30, description="Code of the OCOP group, or empty")
    stars: int | None = Field(None, ge=0, le=10)
    score: int | None = Field(None, ge=0, le=1000)
    decision_number: str = Field("", max_length=80)
    decision_date: dt.date | None = None
    decision_issuer: str = Field("", max_length=200)
    is_published: bool = True


class ProductUpdateIn(ProductIn):
    version: int = Field(..., ge=1, le=2**31 - 1, description="The version you read; 409 if it changed since")
