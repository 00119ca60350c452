"""A small, fixed data set for the browser tests and their screenshots.

Written through the actions (ingest, assign, tag, note, reply), with times
relative to `now` so waiting times read naturally. A few states no action sets
yet (a post deleted or edited on the platform, a failed delivery) are written
on the model directly: they stand for what a platform connector will report.
All text is invented for Parley's tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from parley.accounts.models import AgentProfile, Brand, Membership, Role, Team
from parley.inbox import actions
from parley.inbox.ingest import AuthorData, IncomingPost
from parley.inbox.models import Post
from parley.platforms.models import ChannelAccount

PASSWORD = "parley-browser-pw"

HOSTILE_TEXT = (
    "<script>window.__pwned = 1; alert('pwned')</script>"
    '<img src=x onerror="window.__pwned = 2"> the app logs me out every time & I lose my cart'
)
HOSTILE_NAME = "Eve <b>Mallory</b>"
RTL_TEXT = "مرحبا، طلبي رقم 5521 لم يصل بعد\u200b\u200f — can someone check? \u202eevil\u202c"
EMOJI_TEXT = "☕😡🔥📦" * 625  # 2,500 emoji, 10 kB of UTF-8, and no spaces to break on


def _post(pid, text, at, author=None, *, platform="x", kind="mention", direction="in", reply_to="", thread="",
          **extra) -> IncomingPost:
    who = None
    if author is not None:
        uid, handle, name, followers, verified = author
        who = AuthorData(platform_user_id=uid, handle=handle, display_name=name, first_name=name.split()[0],
                         followers=followers, verified=verified)
    return IncomingPost(platform=platform, platform_id=pid, text=text, created_at=at, direction=direction,
                        kind=kind, author=who, in_reply_to_id=reply_to, platform_conversation_id=thread, **extra)


def _user(username, first_name, brand_roles, teams=(), *, password_hash):
    User = get_user_model()
    user = User.objects.create(username=username, first_name=first_name, password=password_hash)
    for brand, role in brand_roles:
        Membership.objects.create(user=user, brand=brand, role=role)
    profile = AgentProfile.objects.create(user=user, public_first_name=first_name)
    profile.teams.set(teams)
    return user


def seed(now: datetime) -> dict:
    """Create the data set; returns the objects the tests refer to by name."""
    # One slow hash shared by every test user, made with the server's default hasher
    # whatever the test process's PASSWORD_HASHERS say.
    hasher = PBKDF2PasswordHasher()
    hashed = hasher.encode(PASSWORD, hasher.salt())
    lumen = Brand.objects.create(slug="lumen", name="Lumen Coffee")
    harbor = Brand.objects.create(slug="harbor", name="Harbor Bikes")
    care = Team.objects.create(brand=lumen, slug="care", name="Care")
    billing = Team.objects.create(brand=lumen, slug="billing", name="Billing")
    users = {
        "nora": _user("nora", "Nora", [(lumen, Role.ADMIN), (harbor, Role.ADMIN)], password_hash=hashed),
        "cara": _user("cara", "Cara", [(lumen, Role.AGENT)], [care], password_hash=hashed),
        "bill": _user("bill", "Bill", [(lumen, Role.AGENT)], [billing], password_hash=hashed),
        "vic": _user("vic", "Vic", [(lumen, Role.VIEWER)], password_hash=hashed),
    }
    nora = users["nora"]
    x = ChannelAccount.objects.create(brand=lumen, platform="x", external_id="9001", handle="LumenCoffee")
    fb = ChannelAccount.objects.create(brand=lumen, platform="facebook", external_id="fb-77", handle="lumencoffee",
                                       display_name="Lumen Coffee")
    ig = ChannelAccount.objects.create(brand=lumen, platform="instagram", external_id="ig-55", handle="lumen.coffee")
    yt = ChannelAccount.objects.create(brand=lumen, platform="youtube", external_id="yt-12", handle="LumenCoffeeTV")
    hx = ChannelAccount.objects.create(brand=harbor, platform="x", external_id="9100", handle="HarborBikes")

    def ago(**kw):
        return now - timedelta(**kw)

    def ingest(brand, channel, post, received=None):
        return actions.ingest_post(brand, channel, post, received_at=received or now).conversation

    dana = ("501", "dana_w", "Dana Whitfield", 12400, False)
    out = {"users": users, "brand": lumen, "other_brand": harbor, "teams": {"care": care, "billing": billing}}

    # Dana: a lost parcel, the longest wait; an older resolved matter; an Instagram account too.
    old = ingest(lumen, x, _post("x-100", "The replacement lid for my Aeropress-style brewer arrived, thank you!",
                                  ago(days=6), dana))
    actions.resolve(old, nora, now=ago(days=5, hours=20))
    lost = ingest(lumen, x, _post("x-101", "Ordered the Kyoto hand grinder two weeks ago and the tracking page has "
                                  "not moved since Monday. Is it lost? @LumenCoffee", ago(hours=2, minutes=14), dana,
                                  likes=14, reposts=3, replies=2))
    ingest(lumen, x, _post("x-102", "Still nothing today. Starting to wonder if I should just dispute the charge.",
                           ago(hours=1, minutes=5), dana, kind="reply", reply_to="x-101"))
    actions.set_team(lost, care, nora)
    actions.set_priority(lost, 72, nora)
    actions.add_tag(lost, "shipping", nora)
    actions.add_tag(lost, "late order", nora)
    actions.add_note(lost, "Carrier says the parcel is stuck at the Leeds depot. Offer a resend if it is not "
                           "moving by Friday.", users["cara"])
    dana_ig = ingest(lumen, ig, _post("ig-900", "Is the Kyoto grinder back in stock?", ago(days=20),
                                      ("ig-501", "dana.brews", "Dana Whitfield", 3100, False), platform="instagram",
                                      kind="comment"))
    actions.resolve(dana_ig, nora, now=ago(days=19))
    actions.merge_customers(dana_ig.customer, lost.customer, nora)
    out["lost"] = lost

    # Billing: a double charge that moved from a public comment to private messages.
    marco = ("fb-7001", "marco.ruiz", "Marco Ruiz", 310, False)
    charge = ingest(lumen, fb, _post("fb-1", "I was charged twice for my subscription this month. Who do I talk "
                                     "to about a refund?", ago(hours=3, minutes=40), marco, platform="facebook",
                                     kind="comment", likes=5))
    ingest(lumen, fb, _post("fb-2", "Sorry about that, Marco! We've sent you a private message so we can look "
                            "at your account safely.", ago(hours=3, minutes=20), None, platform="facebook",
                            kind="reply", direction="out", reply_to="fb-1"))
    ingest(lumen, fb, _post("fb-3", "Thanks. It's the annual plan, both charges were on the 3rd.",
                            ago(hours=3, minutes=2), marco, platform="facebook", kind="dm", thread="fbt-marco"))
    actions.set_team(charge, billing, nora)
    actions.set_priority(charge, 64, nora)
    actions.add_tag(charge, "refund", nora)
    actions.assign(charge, users["bill"], nora)
    out["billing"] = charge

    invoice = ingest(lumen, x, _post("x-110", "Your March invoice shows the wrong VAT number for my company.",
                                     ago(minutes=48), ("520", "ola_accounts", "Ola Nordmann", 95, False)))
    actions.set_team(invoice, billing, nora)
    out["invoice"] = invoice

    # Praise on Instagram, answered and waiting for nothing.
    praise = ingest(lumen, ig, _post("ig-1", "The new oat latte blend is unreal. Best thing on your menu!",
                                     ago(hours=5), ("ig-301", "sunny.brews", "Sunny Park", 48200, True),
                                     platform="instagram", kind="comment", likes=231))
    actions.add_tag(praise, "praise", nora)
    actions.create_reply(praise, "That made our morning, Sunny! Thank you for telling us.", nora, now=ago(hours=4))

    # A question under a video, with an edited comment and a reply whose delivery failed.
    video = ingest(lumen, yt, _post("yt-1", "The descaling video skips the step where you take the filter basket "
                                    "out. Do I remove it before running the solution?", ago(minutes=37),
                                    ("yt-u1", "BeanCounter", "Priya Shah", 820, False), platform="youtube",
                                    kind="comment"))
    Post.objects.filter(platform_id="yt-1").update(is_edited=True, edited_at=ago(minutes=30))
    actions.set_team(video, care, nora)
    actions.set_priority(video, 40, nora)
    failed = actions.create_reply(video, "Yes! Take the basket out first, then run the solution through.", nora,
                                  visibility="public", now=ago(minutes=20))
    Post.objects.filter(pk=failed.pk).update(delivery_status=Post.Delivery.FAILED,
                                             delivery_error="YouTube answered 403: comments are turned off")
    actions.refresh_times(video)

    # A private message with an email address in it, not routed yet.
    dm = ingest(lumen, x, _post("x-dm-1", "Hi, please change the delivery address on order 7730. My email is "
                                "kai@example.com if you need it.", ago(minutes=26),
                                ("530", "kai_travels", "Kai Tanaka", 1200, False), kind="dm", thread="dm-530"))
    out["dm"] = dm

    # A complaint later deleted by its author.
    gone = ingest(lumen, x, _post("x-120", "Worst coffee I have ever had, never again.", ago(hours=7),
                                  ("540", "grumpy_joe", "Joe Grant", 40, False)))
    Post.objects.filter(platform_id="x-120").update(is_deleted=True, deleted_at=ago(hours=6))
    type(gone).objects.filter(pk=gone.pk).update(subject="")  # what a deletion must also do to the subject
    actions.set_priority(gone, 15, nora)

    # A private message in Arabic, with invisible and direction-changing characters.
    out["rtl"] = ingest(lumen, ig, _post("ig-40", RTL_TEXT, ago(minutes=58),
                                         ("ig-560", "layla.\u200bcafe", "ليلى حسن", 530, False),
                                         platform="instagram", kind="dm", thread="igdm-560"))

    # An urgent, viral complaint.
    viral = ingest(lumen, x, _post("x-150", "Found a crack in the glass carafe straight out of the box. This is "
                                   "the second one. @LumenCoffee are these safe?", ago(hours=4, minutes=45),
                                   ("580", "theo_makes", "Theo Brandt", 88100, True), likes=1240, reposts=310,
                                   replies=96))
    actions.set_team(viral, care, nora)
    actions.set_priority(viral, 91, nora)
    actions.add_tag(viral, "product safety", nora)
    actions.assign(viral, users["cara"], nora)
    out["viral"] = viral

    # The other brand, so the brand switcher has somewhere to go.
    # The other brand: the brand switcher has somewhere to go, and the hostile text lives there.
    ingest(harbor, hx, _post("hx-1", "My gear cable snapped after a week of commuting.", ago(hours=1),
                             ("900", "rider_mo", "Mo Bell", 210, False)))
    out["hostile"] = ingest(harbor, hx, _post("hx-130", HOSTILE_TEXT, ago(minutes=15),
                                              ("950", "eve_<i>x</i>", HOSTILE_NAME, 7, False)))
    out["emoji"] = ingest(harbor, hx, _post("hx-140", EMOJI_TEXT, ago(hours=1, minutes=30),
                                            ("970", "emoji_storm", "Storm", 66, False)))

    # Triage every customer post, as the worker would after ingestion (triage only raises priorities).
    from parley.triage.service import triage_posts

    triage_posts(list(Post.objects.filter(direction="in").select_related("conversation", "author__customer")
                      .order_by("id")), now)
    return out
