"""Lines and scenarios every brand gets: chasing, thanks, trolls, spam, hostile text.

Written for Parley's demo; `{brand}`, `{product}` and the other slots are
filled from the brand's own content.
"""

from __future__ import annotations

from .model import PUBLIC, SIMPLE, Scenario

CHASE = (
    "Hello? Anyone there?",
    "Still waiting on a reply to this.",
    "It's been hours. Is anybody actually reading these?",
    "Bump. Still nothing.",
    "Any update? I'm still waiting.",
    "Really? Not even an acknowledgement?",
    "Guess I'll just keep waiting then",
    "Can someone please get back to me",
    "Do you only answer the people who post in capitals? Because I can do that.",
)
# For a customer who has waited since yesterday or longer.
CHASE_LONG = (
    "Hello again. Day two of waiting.",
    "I messaged you yesterday and heard nothing back",
    "I've now asked three times. Please answer.",
    "Still no reply a day later. Impressive.",
)

THANKS = (
    "Thank you, that's sorted it.",
    "Brilliant, thanks for your help!",
    "Great, appreciate it.",
    "Ok thanks. Took a while but got there.",
    "Perfect, thank you so much!!",
    "Thanks {agent}, you've been really helpful",
    "Cheers, all good now",
    "That's great news, thank you.",
    "Finally! Thanks.",
    "Thanks. Not thrilled it happened but you sorted it quickly.",
)

COMEBACK = (
    "Sorry, me again. It's happened again.",
    "This was meant to be fixed but it's back to how it was.",
    "Reopening this because the problem is back.",
    "Hi, I was told this was sorted but nothing has changed on my end.",
    "Quick one: the thing you fixed yesterday has broken again.",
)

CROSS_POST = (
    "I asked about this on {other} and nobody has replied, so trying here.",
    "Also sent this to you on {other} with no answer. Is anyone looking at it?",
    "Messaged on {other} first. Ignored. Trying my luck here.",
    "Same problem as my {other} message. Can somebody pick this up please?",
)

CROSS_NOTES = (
    "Same person wrote to us on {other} as well; merged the two profiles.",
    "Customer also on {other} about the same thing. Merged so we have one history.",
)

VIP_NOTES = (
    "Heads up: this is a {vip_role} with a big following. Supervisor to check the reply before it goes out.",
    "High-reach account ({vip_role}). Keep replies short, human and accurate; loop in Social & PR.",
    "Verified {vip_role}. Please don't promise anything we can't confirm today.",
)

PII_NOTES = (
    "Customer posted personal details in public. Asked them to remove the post; details only in DM from now.",
    "Public post had contact details in it. Not repeating them; asked the customer to delete it.",
    "Personal data in a public post. Customer asked to delete; we will never quote it back.",
)

PILEON_NOTES = (
    "Several people replying under this one. Answer the original poster first, then point others to DM.",
    "Thread is picking up replies from others with the same issue. Keep an eye on it.",
    "This one is gathering a crowd. Supervisor aware.",
)

SCAM_CROWD = (
    "Hello, sorry for your experience. Kindly reach our 24hr support desk on WhatsApp at wa.me/440000000000 for quick refund",
    "Please send your full name, order details and phone number to our resolution team at help-desk-claims@example.net",
    "We can help recover your funds 💯 DM now for fast support ✅",
)

TROLLS = (
    Scenario(
        key="troll-generic",
        kind="troll",
        team="social",
        flow=SIMPLE,
        severity=3,
        weight=3,
        platforms=("x", "instagram", "youtube", "facebook"),
        tags=("troll",),
        opening=(
            "{brand} is a joke company run by clowns",
            "imagine working social media for {brand} lmao. couldn't be me",
            "Who actually uses {brand} in this day and age? Genuine question. Nobody I know.",
            "{brand} more like {brand} the rip off merchants",
            "ratio + L + nobody asked + {brand} flop era",
            "You lot are a bunch of useless muppets and you know it",
            "Cry about it {brand}",
            "this comment section is the only good thing {brand} ever made",
        ),
        ack=(
            "We're always here if there's something we can help with.",
            "Sorry to hear you feel that way. If something's gone wrong, we'd like to help put it right.",
            "Fair enough! If you ever need us, you know where we are.",
        ),
        more=(
            "lol they replied with a script. bots",
            "nobody asked you either",
            "see? cant even argue back properly",
        ),
        notes=(
            "No actual issue here. Not engaging further.",
            "Known account, posts like this often. One polite reply only, then leave it.",
            "Trolling, no order on record. Closing.",
        ),
    ),
    Scenario(
        key="abuse",
        kind="troll",
        team="social",
        flow=SIMPLE,
        severity=4,
        weight=1.5,
        platforms=("x", "instagram", "facebook", "youtube"),
        tags=("abuse",),
        opening=(
            "Whoever runs this account should be sacked. Actually the whole lot of you should. Absolute scum.",
            "I hope your warehouse burns down with your rubbish stock in it",
            "Your staff are thick as mince, every single one of them",
            "{agent} from your team is a useless waste of oxygen and I want them named and fired",
        ),
        notes=(
            "Abusive post aimed at staff. Do not reply. Reported to the platform.",
            "Threatening wording. Screenshot saved, reported, supervisor informed.",
            "Abuse toward a named agent. Agent told and offered to step back from this account.",
        ),
        outcomes=(("closed", 5), ("untouched", 1)),
    ),
)

SPAM = (
    Scenario(
        key="spam",
        kind="spam",
        team="social",
        flow=SIMPLE,
        severity=0,
        weight=3,
        platforms=("youtube", "instagram", "x", "facebook"),
        tags=("spam",),
        opening=(
            "🚀🚀 I turned £200 into £6,400 in a week with this trading bot, message me to learn how 🚀🚀",
            "Get 10k real followers in 24 hours!! Cheap packages, link in bio 👉",
            "Nice post! Check out my channel for daily motivation 🔥🔥",
            "Congratulations!! You have been selected for our brand ambassador giveaway. Claim at giftclaim-now.example 🎁",
            "Who else is watching this at 3am? 🙋 like if you are",
            "F1RST",
            "Hot singles in your area want to talk about {product}",
            "Dear Sir/Madam, we offer SEO services to rank your site #1 on Google. Reply for price list.",
            "Follow me and I follow back 100% 💯💯💯",
        ),
        notes=("Spam. Closing.", "Bot account, reported.", "Spam, hidden on the platform."),
        outcomes=(("closed", 5), ("untouched", 2)),
    ),
    Scenario(
        key="impersonation",
        kind="spam",
        team="trust",
        flow=SIMPLE,
        severity=2,
        weight=1,
        platforms=("x", "instagram", "facebook"),
        tags=("scam", "impersonation"),
        opening=(
            "Hi, this is {brand} Support. Your account has been flagged. Verify your details at secure-verify-login.example to avoid suspension.",
            "Official {brand} Helpdesk here 👋 we saw your complaint. DM us your card number and expiry for an instant refund.",
        ),
        notes=(
            "Impersonation account posing as us. Reported to the platform; warn anyone who engaged with it.",
            "Fake support account again. Reported; pinned a warning on our profile.",
        ),
        outcomes=(("closed", 4), ("untouched", 1)),
    ),
)

HOSTILE = (
    Scenario(
        key="pasted-markup",
        kind="complaint",
        team="care",
        flow=PUBLIC,
        severity=2,
        weight=1,
        platforms=("facebook", "x", "youtube"),
        tags=("website",),
        traits=("hostile",),
        opening=(
            'Your site is broken again. This is literally what the page shows me: <div class="error-banner">Something went wrong <b>(code 500)</b></div>',
            "Checkout just printed this instead of a button: <button onclick=\"submitOrder()\">Pay now</button> what am I meant to do with that",
            "The help page is showing raw code <script>window.location='https://example.com'</script> is that supposed to happen??",
            "Tried to paste my question into your chat and it came out as <p>&nbsp;</p><br/><br/> so here it is: why is the {product} page blank?",
        ),
        ack=(
            "Thanks for flagging this, {first}. That shouldn't appear at all; I've passed your screenshot to our web team.",
            "Sorry {first}, that's a fault on our side. Our web team are on it. Could you try again in a few minutes?",
        ),
        answer=(
            "Our web team found the fault and it's fixed now. Thanks for telling us, {first}.",
            "That page is working again. Sorry for the hassle and thanks for the heads up!",
        ),
        notes=("Customer pasted page markup. Forwarded to web team; checked it renders as text here.",),
    ),
    Scenario(
        key="injection-troll",
        kind="troll",
        team="social",
        flow=SIMPLE,
        severity=2,
        weight=0.7,
        platforms=("x", "youtube", "facebook"),
        tags=("troll", "security"),
        traits=("hostile",),
        opening=(
            "<script>alert('hacked by a bored teenager')</script> lol let's see if your inbox survives this",
            '<img src=x onerror="alert(document.cookie)"> hello {brand} 👋',
            "'); DELETE FROM orders; -- just checking how good your devs are",
            "{{7*7}} ${{7*7}} <svg/onload=alert(1)> just testing your customer service lol",
            "<iframe src=\"https://example.org\" width=1000 height=1000></iframe> free {product} if you can read this",
        ),
        notes=(
            "Someone probing for injection bugs. Nothing to answer; shown as plain text here, logged for security.",
            "Markup in a post again. Rendered harmlessly. Closing without a reply.",
        ),
        outcomes=(("closed", 3), ("untouched", 1)),
    ),
)

DETAILS = (
    "Hi, DMing as asked. Order {order}.",
    "Hello, it's about my post earlier. Reference {order}.",
    "Hi! Here are the details: {order}. Thanks for getting back to me.",
    "Hi, this is about the problem I posted about. {order}",
)

EDITS = (
    "EDIT: sorry for the typos, typed this in a rage",
    "Edit: second time this month",
    "edit - still no reply",
    "(edited to add: I've already tried the help page)",
)

SCAM_NAMES = ("Help Desk 24/7", "Support Team ✅", "Refund Assist", "Customer Care Center")

MORE = (
    "And before you ask, I've already tried the help page.",
    "Also nobody answers the phone line.",
    "This is the second time this has happened.",
    "Not impressed at all.",
    "I just want it sorted, that's all.",
)

# A customer answering a question in private, and in public (never with private details).
GIVE = ("Sure, just sent that.", "Done. Reference is {order} if that helps.", "Ok, sent it over.", "Here you go 👍")
PUBLIC_OK = ("Ok, will do.", "Done, thanks.", "Sure, just did that.", "Tried that, still the same.")
WAITING_NOTES = (
    "Chased internally; waiting to hear back.",
    "Raised internally. Follow up tomorrow if nothing back.",
    "Waiting on another team before we can answer.",
)
