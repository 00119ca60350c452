"""Reading request bodies: a JSON parser that honours DATA_UPLOAD_MAX_MEMORY_SIZE,
and a request that does not drop a chunked body.

DRF's own parser reads the request stream directly, which bypasses Django's
size check; this one refuses a larger body with a 413 before parsing it. DRF
also treats a body sent without Content-Length (Transfer-Encoding: chunked,
which uvicorn accepts) as empty; BodyRequest reads it.
"""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

from .errors import PayloadTooLarge


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None:
            return super().parse(stream, media_type, parser_context)
        request = (parser_context or {}).get("request")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except (TypeError, ValueError):
            declared = 0
        if declared > limit:
            raise PayloadTooLarge()
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise PayloadTooLarge()
        return super().parse(io.BytesIO(body), media_type, parser_context)


class BodyRequest(Request):
    def _load_stream(self):
        super()._load_stream()
        meta = self._request.META
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        if self._stream is None and chunked and not meta.get("CONTENT_LENGTH"):
            # Read through Django's request, without a declared length; the
            # parser above stops at the size limit.
            self._stream = self._request
