from django.urls import path, register_converter

from . import live, views

app_name = "inbox"


class IdConverter:
    """A database id: digits only, and short enough for a 64-bit integer column."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "dbid")

urlpatterns = [
    path("", views.inbox, name="list"),
    path("events/", live.events, name="events"),
    path("c/<dbid:conversation_id>/", views.conversation, name="conversation"),
    path("c/<dbid:conversation_id>/assign/", views.act, {"action": "assign"}, name="assign"),
    path("c/<dbid:conversation_id>/team/", views.act, {"action": "team"}, name="team"),
    path("c/<dbid:conversation_id>/status/", views.act, {"action": "status"}, name="status"),
    path("c/<dbid:conversation_id>/priority/", views.act, {"action": "priority"}, name="priority"),
    path("c/<dbid:conversation_id>/tags/add/", views.act, {"action": "tag_add"}, name="tag_add"),
    path("c/<dbid:conversation_id>/tags/remove/", views.act, {"action": "tag_remove"}, name="tag_remove"),
    path("c/<dbid:conversation_id>/notes/", views.act, {"action": "note"}, name="note"),
    path("c/<dbid:conversation_id>/replies/", views.act, {"action": "reply"}, name="reply"),
    path("c/<dbid:conversation_id>/vip/", views.act, {"action": "vip"}, name="vip"),
    path("c/<dbid:conversation_id>/callback/", views.act, {"action": "callback"}, name="callback"),
    path("c/<dbid:conversation_id>/posts/<dbid:post_id>/triage/", views.correct, name="correct_triage"),
]
