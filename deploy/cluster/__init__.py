"""`make cluster`: taskweb's production shape on this machine, with Debian's packages.

nginx on CLUSTER_PORT in front of N gunicorn instances (each its own process group and
port), 2 Celery workers and a beat, on one PostgreSQL and one Redis (throwaway ones in the
run directory unless CLUSTER_DATABASE_URL / CLUSTER_REDIS_URL name existing ones).

    python -m deploy.cluster            # start, print the URL, stay in the foreground
    python -m deploy.cluster restart    # rolling restart of the running cluster's instances
    python -m deploy.cluster reload     # gunicorn HUP (new code) on each instance in turn
"""
