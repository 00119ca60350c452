"""The optional drafting backend, against a local server speaking the OpenAI chat completions format."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from parley.composer.suggestions import drafting
from parley.composer.suggestions.history import forget, suggestions_for


class FakeChat(BaseHTTPRequestHandler):
    answer = "Hi Dana, I'm sorry your parcel hasn't arrived. I've opened a trace and will update you by 5 pm today."
    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeChat.requests.append((self.path, self.headers.get("Authorization"), body))
        if FakeChat.answer is None:
            self.send_response(500)
            self.end_headers()
            return
        payload = json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                              "choices": [{"index": 0, "finish_reason": "stop",
                                           "message": {"role": "assistant", "content": FakeChat.answer}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def chat_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PARLEY_COMPOSER_DRAFT_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.PARLEY_COMPOSER_DRAFT_MODEL = "local-model"
    settings.PARLEY_COMPOSER_DRAFT_API_KEY = "sk-test"
    settings.PARLEY_COMPOSER_SUGGESTION_REFRESH_SECONDS = 0
    FakeChat.requests = []
    forget()
    yield FakeChat
    server.shutdown()
    server.server_close()
    FakeChat.answer = "Hi Dana, I'm sorry your parcel hasn't arrived. I've opened a trace and will update you by 5 pm today."


def test_draft_is_offered_and_the_request_is_well_formed(conv, users, chat_server):
    items = suggestions_for(conv, users["care_agent"])
    drafts = [s for s in items if s.kind == "draft"]
    assert drafts and drafts[0].text.startswith("Hi Dana, I'm sorry")
    path, auth, body = chat_server.requests[0]
    assert path == "/v1/chat/completions" and auth == "Bearer sk-test" and body["model"] == "local-model"
    assert body["messages"][0]["role"] == "system" and "my parcel never arrived" in body["messages"][1]["content"]


def test_a_draft_with_private_data_is_dropped_by_the_guardrails(conv, users, chat_server):
    chat_server.answer = "Hi Dana, we'll call you on 415-555-0134 by 5 pm."
    items = suggestions_for(conv, users["care_agent"], visibility="public")
    assert not [s for s in items if s.kind == "draft"]


def test_server_errors_and_no_server_mean_no_draft(conv, users, chat_server, settings):
    chat_server.answer = None
    assert not [s for s in suggestions_for(conv, users["care_agent"]) if s.kind == "draft"]
    settings.PARLEY_COMPOSER_DRAFT_URL = "http://127.0.0.1:9/v1"  # nothing listens there
    settings.PARLEY_COMPOSER_DRAFT_TIMEOUT = 0.5
    assert drafting.draft([{"role": "user", "content": "hi"}]) is None


def test_off_by_default(settings):
    settings.PARLEY_COMPOSER_DRAFT_URL = ""
    assert drafting.draft([{"role": "user", "content": "hi"}]) is None
