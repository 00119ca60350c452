"""Two agents sending at once from forms that saw the same post: one reply is stored, the other
agent gets the collision (PostgreSQL, real concurrent connections)."""

from __future__ import annotations

from parley.accounts.models import Brand, Role
from parley.composer import actions
from parley.inbox import actions as inbox
from parley.inbox.models import Conversation, Post
from tests.conftest import incoming, make_user
from tests.inbox.test_concurrency import pg_only, run_concurrently  # noqa: F401  (pg_only is a fixture)


def test_two_agents_sending_at_once_one_gets_the_collision(pg_only, django_user_model):  # noqa: F811
    brand = Brand.objects.create(slug="race-composer", name="Race")
    conv = inbox.ingest_post(brand, None, incoming("1", "my parcel never came")).conversation
    seen = Post.objects.get(conversation=conv).pk
    agents, picked = iter(()), {}

    def send():
        import threading

        me = picked.setdefault(threading.get_ident(), next(agents))
        return actions.send_checked_reply(Conversation.objects.get(pk=conv.pk), f"So sorry, {me.username} here.", me,
                                          visibility="public", seen=actions.Seen(seen))

    for round_ in range(3):  # a race may be won cleanly by chance: repeat it on fresh state
        Post.objects.filter(conversation=conv, direction="out").delete()
        picked.clear()
        agents = iter([make_user(django_user_model, f"sup{round_}{i}", brand, Role.SUPERVISOR) for i in range(4)])
        results, errors = run_concurrently(4, send)
        assert len(results) == 1, (results, errors)
        assert len(errors) == 3 and all(isinstance(e, actions.ReplyCollision) for e in errors), errors
        assert Post.objects.filter(conversation=conv, direction="out").count() == 1
