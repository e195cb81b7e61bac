"""/api/v1/labels: the labels on the tasks the token user can see; renaming and removing
one changes the tasks the user can edit."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from taskweb import rules
from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.project_schemas import (
    LABEL_PATTERN,
    LabelListSchema,
    LabelRenameSchema,
    LabelSchema,
)
from taskweb.wiring import label_service

blp = Blueprint("labels", __name__, url_prefix="/api/v1/labels",
                description="Labels across your tasks.")

NAME_PARAMETER = {
    "in": "path", "name": "name", "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": rules.LABEL_MAX,
               "pattern": LABEL_PATTERN},
    "description": "The label, in any case.",
}


@blp.route("/")
class LabelCollection(MethodView):
    @bearer_protected(blp)
    @blp.response(200, LabelListSchema)
    def get(self):
        """The labels on the tasks you can see, by name, with how many tasks (open and
        completed) carry each. A label written in several cases is one label, shown in
        its most common spelling (of equally common ones, the spelling on the oldest
        task)."""
        return {"items": label_service().list(current_user)}


@blp.route("/<string:name>", parameters=[NAME_PARAMETER])
class LabelItem(MethodView):
    @bearer_protected(blp)
    @blp.arguments(LabelRenameSchema)
    @blp.response(200, LabelSchema)
    @documents_problems(blp, 400, 404, 413, 415, 422)
    def patch(self, body: dict[str, Any], name: str):
        """Rename a label on every task you can edit; on a task that has the new name
        already, the two merge. Answers the new name and how many tasks you can see
        carry it. 404 if no task you can edit carries the label."""
        return label_service().rename(current_user, name, body)

    @bearer_protected(blp)
    @blp.response(204)
    @documents_problems(blp, 404)
    def delete(self, name: str):
        """Take a label off every task you can edit. 404 if no task you can edit carries
        it."""
        label_service().remove(current_user, name)
