"""Service layer: the use cases of accounts, tokens and tasks.

Services know no Flask and no SQLAlchemy exceptions: they are handed a unit of work,
a clock, a token encoder and a security event sink by the composition root
(``taskweb/wiring.py``), and raise domain errors (``taskweb/errors.py``).
"""
