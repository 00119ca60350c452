"""The simulated platform APIs: the X API v2 and Graph API endpoints Parley calls.

Answers in the platforms' own formats, records every request, and misbehaves on demand
(`fail`: 429 with x-rate-limit-reset, Graph throttling codes, revoked tokens, 500s, timeouts).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: dict
    api: str  # "x" or "graph"

    @property
    def token(self) -> str:
        auth = self.headers.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else self.query.get("access_token", "")


@dataclass
class Fault:
    kind: str  # rate_limit, token, server, timeout, bad_request
    match: str = ""  # substring of "METHOD /path"
    times: int = 1
    reset_in: int = 60  # seconds, for X 429
    code: int = 4  # Graph throttling code
    delay: float = 3.0  # seconds, for timeouts


@dataclass
class State:
    requests: list[Recorded] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1_900_000_000_000_000_001))
    lock: threading.Lock = field(default_factory=threading.Lock)
    x_user: dict = field(default_factory=lambda: {"id": "1001", "name": "Acme Help", "username": "AcmeHelp"})
    page: dict = field(default_factory=lambda: {"id": "448242228374517", "name": "Acme"})
    mentions: dict = field(default_factory=dict)  # comment id -> mentioned_comment object
    # X: pages of GET /2/users/:id/mentions by pagination token ("" = the first page).
    x_mention_pages: dict = field(default_factory=dict)
    # YouTube: pages of commentThreads.list by page token ("" = the first page).
    youtube_pages: dict = field(default_factory=dict)
    # Graph comments a private reply may answer: comment id -> {"created_time": epoch seconds, "from": person id}.
    # A comment not listed is taken as fresh (its author gets an id derived from the comment's).
    comments: dict = field(default_factory=dict)
    # The private replies sent: comment id -> {"recipient_id", "message_id", "text"}.
    private_replies: dict = field(default_factory=dict)


PRIVATE_REPLY_WINDOW_SECONDS = 7 * 24 * 3600
MESSAGE_TAGS = {"CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "HUMAN_AGENT"}
GRAPH_PATH = re.compile(r"^/v\d+\.\d+(/.*)$")


class Handler(BaseHTTPRequestHandler):
    server_version = "ParleySimulator/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):  # quiet
        pass

    @property
    def state(self) -> State:
        return self.server.state  # type: ignore[attr-defined]

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")

    # --- plumbing ---------------------------------------------------------------------

    def _send(self, status: int, payload, headers: dict | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _read(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        if "json" in kind and raw:
            try:
                return json.loads(raw)
            except ValueError:
                return {"_invalid_json": raw.decode(errors="replace")}
        if raw:
            return {k: v[-1] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
        return {}

    def _handle(self, method: str) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        body = self._read()
        self.query = query
        graph = GRAPH_PATH.match(parsed.path)
        if parsed.path.startswith("/_sim/"):
            return self._control(method, parsed.path, body)
        youtube = parsed.path.startswith("/youtube/v3/")
        api = "graph" if graph else "youtube" if youtube else "x"
        path = graph.group(1) if graph else parsed.path[len("/youtube/v3"):] if youtube else parsed.path
        record = Recorded(method, parsed.path, query, {k.lower(): v for k, v in self.headers.items()}, body, api)
        with self.state.lock:
            self.state.requests.append(record)
            fault = self._take_fault(f"{method} {parsed.path}")
        if fault is not None:
            return self._fault(api, fault)
        if not record.token or record.token in self.state.revoked:
            return self._token_error(api)
        if api == "x":
            return self._x(method, path, body)
        if api == "youtube":
            return self._youtube(method, path, body, query)
        return self._graph(method, path, body, query)

    def _take_fault(self, target: str) -> Fault | None:
        for fault in self.state.faults:
            if fault.match in target and fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    self.state.faults.remove(fault)
                return fault
        return None

    def _fault(self, api: str, fault: Fault) -> None:
        if fault.kind == "timeout":
            time.sleep(fault.delay)
            return self._send(504, {"title": "Gateway Timeout"})
        if fault.kind == "token":
            return self._token_error(api)
        if api == "youtube":
            reason, status = {"rate_limit": ("quotaExceeded", 403), "bad_request": ("commentsDisabled", 403)}.get(
                fault.kind, ("backendError", 500))
            return self._send(status, {"error": {"code": status, "message": f"The request failed: {reason}.",
                                                 "errors": [{"message": reason, "domain": "youtube", "reason": reason}]}})
        if api == "x":
            if fault.kind == "rate_limit":
                reset = int(time.time()) + fault.reset_in
                return self._send(429, {"title": "Too Many Requests", "detail": "Too Many Requests",
                                        "type": "about:blank", "status": 429},
                                  {"x-rate-limit-limit": "200", "x-rate-limit-remaining": "0",
                                   "x-rate-limit-reset": str(reset)})
            if fault.kind == "bad_request":
                return self._send(403, {"title": "Forbidden", "type": "about:blank", "status": 403,
                                        "detail": "You are not allowed to create a Tweet with duplicate content."})
            return self._send(500, {"title": "Internal Server Error", "type": "about:blank", "status": 500,
                                    "detail": "Internal Server Error"})
        if fault.kind == "rate_limit":
            messages = {4: "(#4) Application request limit reached", 17: "(#17) User request limit reached",
                        32: "(#32) Page request limit reached", 613: "(#613) Calls to this api have exceeded the rate limit."}
            return self._send(400, {"error": {"message": messages.get(fault.code, "Rate limited"), "type": "OAuthException",
                                              "code": fault.code, "is_transient": True, "fbtrace_id": "SimTrace"}})
        if fault.kind == "bad_request":
            return self._send(400, {"error": {"message": "(#100) Invalid parameter", "type": "OAuthException",
                                              "code": 100, "fbtrace_id": "SimTrace"}})
        return self._send(500, {"error": {"message": "An unexpected error has occurred. Please retry your request later.",
                                          "type": "OAuthException", "code": 2, "is_transient": True, "fbtrace_id": "SimTrace"}})

    def _token_error(self, api: str) -> None:
        if api == "youtube":
            return self._send(401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                              "errors": [{"message": "Invalid Credentials", "domain": "global",
                                                          "reason": "authError"}], "status": "UNAUTHENTICATED"}})
        if api == "x":
            return self._send(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
        return self._send(400, {"error": {"message": "Error validating access token: Session has expired",
                                          "type": "OAuthException", "code": 190, "error_subcode": 463,
                                          "fbtrace_id": "SimTrace"}})

    def _new_id(self) -> str:
        with self.state.lock:
            return str(next(self.state.ids))

    # --- X API v2 -------------------------------------------------------------------------

    def _x(self, method: str, path: str, body: dict) -> None:
        if method == "POST" and path == "/2/tweets":
            text = body.get("text")
            if not isinstance(text, str) or not text:
                return self._send(400, {"errors": [{"message": "text is required"}], "title": "Invalid Request",
                                        "detail": "One or more parameters to your request was invalid.",
                                        "type": "https://api.twitter.com/2/problems/invalid-request"})
            tweet_id = self._new_id()
            return self._send(201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}})
        match = re.fullmatch(r"/2/dm_conversations/with/(\d+)/messages", path)
        if method == "POST" and match:
            return self._send(201, {"data": {"dm_conversation_id": f"{self.state.x_user['id']}-{match.group(1)}",
                                             "dm_event_id": self._new_id()}})
        match = re.fullmatch(r"/2/users/(\d+)/(likes|retweets)", path)
        if method == "POST" and match:
            return self._send(200, {"data": {"liked" if match.group(2) == "likes" else "retweeted": True}})
        match = re.fullmatch(r"/2/tweets/(\d+)/hidden", path)
        if method == "PUT" and match:
            return self._send(200, {"data": {"hidden": bool(body.get("hidden"))}})
        match = re.fullmatch(r"/2/users/(\d+)/mentions", path)
        if method == "GET" and match:
            page = self.state.x_mention_pages.get(self.query.get("pagination_token", ""), {"meta": {"result_count": 0}})
            since = int(self.query.get("since_id") or 0)
            if since and page.get("data"):
                page = {**page, "data": [t for t in page["data"] if int(t["id"]) > since]}
                if not page["data"]:
                    page = {"meta": {"result_count": 0}}
            return self._send(200, page)
        if method == "GET" and path == "/2/users/me":
            return self._send(200, {"data": dict(self.state.x_user)})
        return self._send(404, {"title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found",
                                "detail": f"no route {method} {path}", "status": 404})

    # --- Graph API --------------------------------------------------------------------------

    def _graph(self, method: str, path: str, body: dict, query: dict) -> None:
        parts = [p for p in path.split("/") if p]
        params = {**query, **body}
        if method == "GET" and parts == ["me"] and "user_id" in params.get("fields", ""):
            # Instagram API with Instagram Login (graph.instagram.com): the professional account itself.
            return self._send(200, {"user_id": "17841400000000001", "username": "acme", "id": "17841400000000001"})
        if method == "GET" and parts == ["me"]:
            return self._send(200, dict(self.state.page))
        if method == "POST" and len(parts) == 2 and parts[1] == "messages" and isinstance(body.get("recipient"), dict) \
                and body["recipient"].get("comment_id"):
            return self._private_reply(str(body["recipient"]["comment_id"]), body)
        if method == "POST" and len(parts) == 2 and parts[1] == "messages":
            recipient = (body.get("recipient") or {}).get("id") if isinstance(body.get("recipient"), dict) else None
            if not recipient or not (body.get("message") or {}).get("text"):
                return self._send(400, {"error": {"message": "(#100) The parameter recipient is required",
                                                  "type": "OAuthException", "code": 100, "fbtrace_id": "SimTrace"}})
            if body.get("messaging_type") == "MESSAGE_TAG" and body.get("tag") not in MESSAGE_TAGS:
                return self._send(400, {"error": {"message": "(#100) Param tag must be one of {CONFIRMED_EVENT_UPDATE, "
                                                  "POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, HUMAN_AGENT}",
                                                  "type": "OAuthException", "code": 100, "fbtrace_id": "SimTrace"}})
            return self._send(200, {"recipient_id": recipient, "message_id": f"m_{self._new_id()}"})
        if method == "POST" and len(parts) == 2 and parts[1] in ("comments", "replies"):
            if not params.get("message"):
                return self._send(400, {"error": {"message": "(#100) Missing message", "type": "OAuthException",
                                                  "code": 100, "fbtrace_id": "SimTrace"}})
            new = self._new_id()
            return self._send(200, {"id": f"{parts[0].split('_')[-1]}_{new}" if parts[1] == "comments" else new})
        if method == "POST" and len(parts) == 2 and parts[1] == "likes":
            return self._send(200, {"success": True})
        if method in ("POST", "DELETE") and len(parts) == 1:
            return self._send(200, {"success": True})
        if method == "GET" and len(parts) == 1 and "mentioned_comment" in params.get("fields", ""):
            found = re.search(r"comment_id\(([^)]+)\)", params["fields"])
            comment = self.state.mentions.get(found.group(1) if found else "")
            if comment is None:
                return self._send(400, {"error": {"message": "(#100) Invalid comment_id", "type": "OAuthException",
                                                  "code": 100, "fbtrace_id": "SimTrace"}})
            return self._send(200, {"mentioned_comment": comment, "id": parts[0]})
        return self._send(400, {"error": {"message": f"Unknown path components: /{'/'.join(parts)}",
                                          "type": "OAuthException", "code": 2500, "fbtrace_id": "SimTrace"}})

    def _private_reply(self, comment_id: str, body: dict) -> None:
        """Send API with recipient.comment_id: one message per comment, within 7 days of it."""
        text = (body.get("message") or {}).get("text") if isinstance(body.get("message"), dict) else None
        if not text:
            return self._send(400, {"error": {"message": "(#100) The parameter message is required",
                                              "type": "OAuthException", "code": 100, "fbtrace_id": "SimTrace"}})
        with self.state.lock:
            comment = self.state.comments.get(comment_id, {})
            if comment_id in self.state.private_replies:
                error = (10900, "Activity already replied to")
            elif time.time() - float(comment.get("created_time", time.time())) > PRIVATE_REPLY_WINDOW_SECONDS:
                error = (10903, "This activity can't be replied to")
            else:
                error = None
                sent = {"recipient_id": str(comment.get("from") or f"psid-{comment_id}"),
                        "message_id": f"m_{next(self.state.ids)}", "text": text}
                self.state.private_replies[comment_id] = sent
        if error:
            return self._send(400, {"error": {"message": f"(#{error[0]}) {error[1]}", "type": "OAuthException",
                                              "code": error[0], "fbtrace_id": "SimTrace"}})
        return self._send(200, {"recipient_id": sent["recipient_id"], "message_id": sent["message_id"]})

    # --- YouTube Data API v3 ---------------------------------------------------------------

    def _youtube(self, method: str, path: str, body: dict, query: dict) -> None:
        if method == "GET" and path == "/commentThreads":
            page = self.state.youtube_pages.get(query.get("pageToken", ""))
            if page is None:
                return self._send(400, {"error": {"code": 400, "message": "The page token is invalid.",
                                                  "errors": [{"reason": "invalidPageToken"}]}})
            return self._send(200, page)
        if method == "POST" and path == "/comments":
            snippet = body.get("snippet") if isinstance(body.get("snippet"), dict) else {}
            if not snippet.get("parentId") or not snippet.get("textOriginal"):
                return self._send(400, {"error": {"code": 400, "message": "parentId and textOriginal are required",
                                                  "errors": [{"reason": "invalidValue"}]}})
            new = "Ugz" + self._new_id()
            return self._send(200, {"kind": "youtube#comment", "etag": "sim", "id": new,
                                    "snippet": {"parentId": snippet["parentId"], "textOriginal": snippet["textOriginal"],
                                                "textDisplay": snippet["textOriginal"]}})
        if method == "GET" and path == "/channels":
            return self._send(200, {"kind": "youtube#channelListResponse",
                                    "items": [{"id": "UCJrDMFOdv1I2k8n9oK_V21w", "snippet": {"title": "Acme"}}]})
        return self._send(404, {"error": {"code": 404, "message": f"no route {method} {path}", "errors": [{"reason": "notFound"}]}})

    # --- control (for `parley simulate` users: faults and the record over HTTP) ---------------

    def _control(self, method: str, path: str, body: dict) -> None:
        if path == "/_sim/requests" and method == "GET":
            with self.state.lock:
                rows = [r.__dict__ | {"headers": {k: v for k, v in r.headers.items() if k != "authorization"}}
                        for r in self.state.requests]
            return self._send(200, {"requests": rows})
        if path == "/_sim/faults" and method == "POST":
            try:
                fault = Fault(**{k: v for k, v in body.items() if k in Fault.__dataclass_fields__})
            except TypeError as error:
                return self._send(400, {"error": str(error)})
            with self.state.lock:
                self.state.faults.append(fault)
            return self._send(200, {"queued": fault.__dict__})
        return self._send(404, {"error": "unknown control path"})


class Simulator:
    """Run the fake APIs in a background thread: `with Simulator() as sim: sim.base_url ...`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.state = State()
        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.httpd.state = self.state  # type: ignore[attr-defined]
        self.thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "Simulator":
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="parley-simulator", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- test helpers -------------------------------------------------------------------

    def fail(self, kind: str, match: str = "", times: int = 1, **kw) -> None:
        with self.state.lock:
            self.state.faults.append(Fault(kind, match, times, **kw))

    def add_comment(self, comment_id: str, created_time: float, author_id: str = "") -> None:
        """Make a comment known (its time, for the 7-day rule; its author, the private reply's recipient)."""
        with self.state.lock:
            self.state.comments[comment_id] = {"created_time": created_time, "from": author_id}

    @property
    def private_replies(self) -> dict:
        with self.state.lock:
            return dict(self.state.private_replies)

    def revoke(self, token: str) -> None:
        with self.state.lock:
            self.state.revoked.add(token)

    @property
    def requests(self) -> list[Recorded]:
        with self.state.lock:
            return list(self.state.requests)

    def clear(self) -> None:
        with self.state.lock:
            self.state.requests.clear()
            self.state.faults.clear()
