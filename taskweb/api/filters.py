"""/api/v1/filters: the token user's saved filters (named queries in the filter
language). They are private: another person's filter is a 404."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb import rules
from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.problems import PROBLEM_MIMETYPE
from taskweb.api.schemas import Described, ProblemSchema, StrictSchema
from taskweb.domain.filter_grammar import FILTER_EXAMPLE, FILTER_MAX, GRAMMAR_DOC
from taskweb.services.saved_filters import NAME_MAX
from taskweb.wiring import saved_filter_service

blp = Blueprint("filters", __name__, url_prefix="/api/v1/filters",
                description="Your saved filters: named queries in the filter language.")

NAME_DESCRIPTION = (f"1–{NAME_MAX} characters once trimmed; unique among your filters, "
                    "case-insensitively (409 otherwise).")
QUERY_DESCRIPTION = ("Checked when saved (422 with `errors.query` saying what was expected "
                     "and at which character). " + GRAMMAR_DOC)


def _name(*, required: bool = False) -> Described:
    return Described(required=required, type="string", minLength=1, maxLength=NAME_MAX,
                     pattern=rules.NON_BLANK_TEXT_PATTERN, description=NAME_DESCRIPTION)


def _query(*, required: bool = False) -> Described:
    return Described(required=required, type="string", minLength=1, maxLength=FILTER_MAX,
                     pattern=rules.NON_BLANK_TEXT_PATTERN, example=FILTER_EXAMPLE,
                     description=QUERY_DESCRIPTION)


class SavedFilterCreateSchema(StrictSchema):
    name = _name(required=True)
    query = _query(required=True)


class SavedFilterWriteSchema(StrictSchema):
    """Any subset; omitted fields are unchanged."""

    name = _name()
    query = _query()


class SavedFilterSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    query = fields.String(required=True, metadata={"description": "As it was saved."})
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class SavedFilterListSchema(Schema):
    items = fields.List(fields.Nested(SavedFilterSchema), required=True)


FILTER_ID = {"in": "path", "name": "filter_id", "required": True,
             "schema": {"type": "integer", "minimum": 1}}
LOCATION = {"Location": {"description": "URL of the new filter.", "schema": {"type": "string"}}}


def name_taken():
    return blp.alt_response(409, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE,
                            description="You already have a filter with this name "
                            "(`errors.name`).")


@blp.route("/")
class SavedFilterCollection(MethodView):
    @bearer_protected(blp)
    @blp.response(200, SavedFilterListSchema)
    def get(self):
        """Your saved filters, by name (case-insensitively)."""
        return {"items": saved_filter_service().list(current_user)}

    @bearer_protected(blp)
    @blp.arguments(SavedFilterCreateSchema)
    @blp.response(201, SavedFilterSchema, headers=LOCATION)
    @documents_problems(blp, 400, 413, 415, 422)
    @name_taken()
    def post(self, body: dict[str, Any]):
        """Save a filter."""
        saved = saved_filter_service().create(current_user, body)
        return saved, {"Location": url_for("filters.SavedFilterItem", filter_id=saved.id)}


@blp.route("/<int:filter_id>", parameters=[FILTER_ID])
class SavedFilterItem(MethodView):
    @bearer_protected(blp)
    @blp.response(200, SavedFilterSchema)
    @documents_problems(blp, 404)
    def get(self, filter_id: int):
        """One of your filters."""
        return saved_filter_service().get(current_user, filter_id)

    @bearer_protected(blp)
    @blp.arguments(SavedFilterWriteSchema)
    @blp.response(200, SavedFilterSchema)
    @documents_problems(blp, 400, 404, 413, 415, 422)
    @name_taken()
    def patch(self, body: dict[str, Any], filter_id: int):
        """Rename a filter or change its query; omitted fields are unchanged."""
        return saved_filter_service().update(current_user, filter_id, body)

    @bearer_protected(blp)
    @blp.response(204)
    @documents_problems(blp, 404)
    def delete(self, filter_id: int):
        """Delete a filter (the tasks it finds are not touched)."""
        saved_filter_service().delete(current_user, filter_id)
