"""Saved filters: a named query in the filter grammar, private to its user."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from taskweb.extensions import db
from taskweb.models.base import TimestampMixin


class SavedFilter(TimestampMixin, db.Model):
    __tablename__ = "saved_filters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    query: Mapped[str] = mapped_column(String(1000), nullable=False)


# A name is unique among its user's filters, case-insensitively (and serves "by name").
Index("uq_saved_filters_user_name", SavedFilter.user_id, func.lower(SavedFilter.name),
      unique=True)
