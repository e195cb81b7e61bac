"""/health: answers 200 only when the database does. /health/live and /health/ready are
for load balancers and orchestrators: the process answers at all (no I/O), and it can
serve requests (the database and Redis answer)."""

from __future__ import annotations

from flask_smorest import Blueprint

from taskweb.api.problems import PROBLEM_MIMETYPE, problem
from taskweb.api.schemas import (
    HealthSchema,
    LivenessSchema,
    NotReadyProblemSchema,
    ReadinessSchema,
)
from taskweb.wiring import database_answers, redis_answers

blp = Blueprint("system", __name__, url_prefix="/", description="Service health.")


@blp.get("/health")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database cannot be reached.")
def health():
    """Liveness and database reachability; needs no token."""
    if database_answers():
        return {"status": "ok", "database": "ok"}
    return {"status": "degraded", "database": "unavailable"}, 503


@blp.get("/health/live")
@blp.response(200, LivenessSchema)
def health_live():
    """The process is up and answering; touches neither the database nor Redis, so a
    database outage does not get every instance restarted. Needs no token."""
    return {"status": "ok"}


@blp.get("/health/ready")
@blp.response(200, ReadinessSchema)
@blp.alt_response(503, schema=NotReadyProblemSchema, content_type=PROBLEM_MIMETYPE,
                  description="The database or Redis does not answer: `checks` names which.")
def health_ready():
    """Whether this instance can serve requests: the database answers a query and Redis
    (when REDIS_URL is set) a PING. Needs no token."""
    redis = redis_answers()
    checks = {
        "database": "ok" if database_answers() else "unavailable",
        "redis": "not configured" if redis is None else "ok" if redis else "unavailable",
    }
    down = [name for name, state in checks.items() if state == "unavailable"]
    if not down:
        return {"status": "ok", "checks": checks}
    return problem(503, f"Not ready: {' and '.join(down)} unavailable.",
                   headers={"Retry-After": "5"}, members={"checks": checks})
