from __future__ import annotations

import pytest

from parley.inbox import actions
from parley.inbox.ingest import AuthorData
from tests.conftest import T0, incoming


@pytest.fixture
def conv(brand, channel):
    """A public complaint on X from Dana, who earlier sent her phone number in a private message."""
    author = AuthorData(platform_user_id="c9", handle="dana_k", first_name="Dana")
    dm = incoming("p1", "my number is 415-555-0134, order WL-88231", kind="dm", visibility="private")
    dm.author = author
    actions.ingest_post(brand, channel, dm)
    post = incoming("p2", "@AcmeHelp my parcel never arrived!!", at=T0)
    post.author = author
    return actions.ingest_post(brand, channel, post).conversation
