"""/health: answers 200 only when the database does."""

from __future__ import annotations

from flask_smorest import Blueprint

from taskweb.api.schemas import HealthSchema
from taskweb.wiring import database_answers

blp = Blueprint("system", __name__, url_prefix="/", description="Service health.")


@blp.get("/health")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database cannot be reached.")
def health():
    """Liveness and database reachability; needs no token."""
    if database_answers():
        return {"status": "ok", "database": "ok"}
    return {"status": "degraded", "database": "unavailable"}, 503
