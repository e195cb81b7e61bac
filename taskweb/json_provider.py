"""Flask's JSON encoding through orjson: several times faster for task lists.

Decoding stays with the standard library, whose errors and number handling (a huge
integer is a value to validate, not a syntax error) the API relies on.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_NON_STR_KEYS


class OrjsonProvider(DefaultJSONProvider):
    def _encode(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except TypeError:
            # Beyond orjson (an integer over 64 bits, say): the standard encoder copes.
            return super().dumps(obj).encode()

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self._encode(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self._encode(obj), mimetype=self.mimetype)
