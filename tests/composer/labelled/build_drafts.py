"""Build drafts.jsonl: the composer's labelled drafts (written for Parley; see README.md).

Each record is a `parley check` input plus its labels:
- `expect`: the checks that must fire at level warn or block (every other check must not);
- `private`: for private-data drafts, each private value in the draft, with `source` ("known": the
  customer's own, from `customer`; "pattern": recognisable by its form) and `kind`.
Run `python tests/composer/labelled/build_drafts.py` after editing; the output is committed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("drafts.jsonl")
R: list[dict] = []


def add(text, expect=(), private=(), group="", **record):
    rec = {"id": f"d{len(R) + 1:03d}", "group": group, "text": text,
           "channel": record.pop("channel", "x"), "visibility": record.pop("visibility", "public")}
    rec.update(record)
    rec["expect"] = sorted(set(expect))
    if private:
        rec["private"] = [{"text": t, "source": s, "kind": k} for t, s, k in private]
    R.append(rec)


# --- A. clean, realistic replies: nothing should fire ----------------------------------------
CLEAN = [
    ("Hi {n}, thanks for flagging this. Could you send us a DM with a few more details? We'd like to help.", "x"),
    ("Hi {n}! So glad the new headphones arrived safely. Enjoy them!", "x"),
    ("Hi {n}, I'm sorry your parcel is late. I've checked with the courier and it's out for delivery today.", "x"),
    ("Thanks {n}! We've passed your kind words on to the store team in Leeds.", "facebook"),
    ("Hi {n}, sorry about the trouble with the app. Updating to the latest version from the App Store should fix the login loop.", "x"),
    ("{n}, that's great to hear. Thanks for letting us know it's working again.", "instagram"),
    ("Hi {n}, the spring collection lands in stores on 3 March. We'll have the linen shirts in every size.", "instagram"),
    ("Hi {n}, I understand how frustrating a dropped call is. Let's get this sorted: please DM us and we'll run a line test.", "x"),
    ("Hi {n}, you can track your delivery any time here: https://example.com/track", "x"),
    ("Hello {n}, thank you for the lovely photo! The cake looks amazing.", "instagram"),
    ("Hi {n}, I'm sorry the rider couldn't find your door. I've refunded the delivery fee to your card; it shows within 3 to 5 days.", "x"),
    ("Hi {n}, happy to help. Our stores are open 9 am to 8 pm, Monday to Saturday.", "facebook"),
    ("Hi {n}, sorry for the wait on the phone lines today. Send us a DM and we'll pick it up from here.", "x"),
    ("{n}, thanks for your patience while we fixed the outage. Service is back to normal across the network.", "x"),
    ("Hi {n}, a quick tip: restarting the router usually clears that error. Let us know how you get on!", "youtube"),
    ("Hi {n}, I'm sorry the colour wasn't what you expected. Returns are free within 30 days; here's how: https://example.com/returns", "x"),
    ("Hey {n}, good question! The jacket is machine washable at 30 degrees.", "instagram"),
    ("Hi {n}, sorry to hear the order was missing the fries. I've sent you a DM so we can put it right.", "x"),
    ("Thanks for sticking with us, {n}. The new plan is live on your account now.", "facebook"),
    ("Hi {n}, I'm sorry this happened. I've asked our kitchen team to review the order, and I'll message you with what they find by 6 pm.", "x"),
    ("Hi {n}, the discount code applies to full-price items only. Sorry for the confusion!", "x"),
    ("Hi {n}, we'd love to hear more. Could you send us a private message with what happened?", "facebook"),
    ("Hi {n}, thanks for watching! The setup guide is linked in the description.", "youtube"),
    ("Hi {n}, really sorry about the cold food. Please DM us so we can refund it.", "x"),
    ("Hi {n}, the roaming bundle works in 40 countries, including Spain and Portugal.", "x"),
    ("Hi {n}, sorry for the hassle. I've reset the password link; it should arrive in a few minutes.", "email"),
    ("Hi {n}, thank you for your email. Your refund was issued this morning and should reach your bank in 3 to 5 working days. Best wishes, Priya", "email"),
    ("Hi {n}, I've added a note to your account so the next rider calls when they arrive.", "x"),
    ("Hi {n}, so sorry your dress arrived with a pulled thread. A replacement is on its way and will arrive Thursday.", "instagram"),
    ("Hi {n}, no problem at all! Glad we could help.", "x"),
]
NAMES = ["Maya", "Tom", "Aisha", "Luis", "Hannah", "Kenji", "Sofia", "Liam", "Priya", "Noah", "Chloe", "Omar",
         "Grace", "Mateo", "Ella", "Ravi", "Zoë", "Ben", "Fatima", "Jack", "Ines", "Sam", "Yara", "Leo", "Nina",
         "Arjun", "Ruby", "Ivan", "Mia", "Kofi"]
for (template, channel), name in zip(CLEAN, NAMES):
    add(template.format(n=name), group="clean", channel=channel, customer={"first_name": name})
# The same replies without a known first name, by other channels or privately.
for (template, channel), name in zip(CLEAN[:20], NAMES[10:]):
    add(template.format(n=name), group="clean", channel=channel, visibility="private" if channel == "x" else "public")

# --- B. the customer's own known private data in a public reply -------------------------------
CUSTOMERS = [
    {"first_name": "Maya", "email": "maya.wren@example.com", "phone": "+44 7700 900123",
     "address": "14 Rope Walk, Bristol, BS1 6ZZ", "order_numbers": ["WL-204311"]},
    {"first_name": "Tom", "email": "tom_h@example.net", "phone": "(415) 555-0172",
     "address": "880 Alder Street, Portland, OR 97205", "order_numbers": ["CT88412"]},
    {"first_name": "Aisha", "email": "aisha.k@example.org", "phone": "020 7946 0321",
     "address": "3 Kiln Lane, Leeds, LS2 7AB", "order_numbers": ["TW-5531-0092"], "account_numbers": ["ACC7781203"]},
    {"first_name": "Luis", "email": "luis.m@example.com", "phone": "+1 212 555 0199",
     "address": "51 Grove Avenue, Brooklyn, NY 11211", "order_numbers": ["112-8831920-4410023"]},
    {"first_name": "Hannah", "email": "hbrooks@example.co.uk", "phone": "07700 900456",
     "address": "9 Mill Road, Cambridge, CB1 2AD", "order_numbers": ["CR-77310"], "account_numbers": ["40021188"]},
]
KNOWN = [
    ("Hi {n}, we've emailed {email} with the label.", "email", "email"),
    ("Hi {n}, we'll call you on {phone} in the next hour.", "phone", "phone"),
    # Asking "is that right?" about the address invites the correction in public too.
    ("Hi {n}, the courier has your address as {address}; is that right?", "address", "address"),
    ("Hi {n}, order {order} is with the courier now.", "order", "order_number"),
    ("Hi {n}, I can see {order} was refunded yesterday.", "order", "order_number"),
    ("Hi {n}! Sent the reset link to {email_upper} just now.", "email_upper", "email"),
    ("Hi {n}, we tried {phone_digits} twice today but got no answer.", "phone_digits", "phone"),
    ("Hi {n}, your parcel for {street} is on the van.", "street", "address"),
    ("Hi {n}, replacement for order #{order_spaced} booked.", "order_spaced", "order_number"),
    ("Hi {n}, the engineer will visit {address} tomorrow between 8 and 12, and text {phone} before arriving.", "address+phone", "address+phone"),
]


def variants(c):
    phone = c["phone"]
    digits = "".join(ch for ch in phone if ch.isdigit())
    order = c["order_numbers"][0]
    return {
        "email": c["email"], "email_upper": c["email"].upper(), "phone": phone,
        "phone_digits": digits[-10:] if len(digits) >= 10 else digits, "address": c["address"],
        "street": c["address"].split(",")[0], "order": order,
        "order_spaced": order.replace("-", " ").lower(),
    }


for c in CUSTOMERS:
    v = variants(c)
    for template, slot, kind in KNOWN:
        text = template.format(n=c["first_name"], **v)
        if slot == "address+phone":
            priv = [(v["address"].split(",")[0], "known", "address"), (v["phone"], "known", "phone")]
        else:
            priv = [(v[slot] if slot != "address" else v["address"].split(",")[0], "known", kind)]
        expect = ["private_data"] + (["public_data_request"] if "is that right?" in text else [])
        add(text, expect=expect, private=priv, group="private_known", customer=c)
# The same details in a private message: allowed.
for c in CUSTOMERS:
    v = variants(c)
    for template, slot, kind in KNOWN[:4]:
        add(template.format(n=c["first_name"], **v), group="private_allowed", customer=c, visibility="private",
            channel=random.Random(slot).choice(["x", "facebook", "instagram"]))

# --- C. private data recognisable by its pattern -------------------------------------------
PATTERNS = [
    ("Please check with jamie.r@example.com, she handles refunds.", "jamie.r@example.com", "email"),
    ("Write to returns-team@shop.example.org with the photos.", "returns-team@shop.example.org", "email"),
    ("Ping k.obi+orders@example.io if it doesn't arrive.", "k.obi+orders@example.io", "email"),
    ("The customer on 415-555-0144 reported the same.", "415-555-0144", "phone"),
    ("We called +1 (646) 555-0190 but the line was busy.", "+1 (646) 555-0190", "phone"),
    ("Our engineer left a voicemail on 07700 900871.", "07700 900871", "phone"),
    ("Try the number we have, +44 20 7946 0112.", "+44 20 7946 0112", "phone"),
    ("Your mobile 0412 555 019 is on file.", "0412 555 019", "phone"),
    ("Charge went to card 4111 1111 1111 1111 on Monday.", "4111 1111 1111 1111", "card"),
    ("The card ending 5500-0000-0000-0004 was declined.", "5500-0000-0000-0004", "card"),
    ("Refund issued to 4012888888881881.", "4012888888881881", "card"),
    ("It was delivered to 42 Wallaby Way, as requested.", "42 Wallaby Way", "address"),
    ("The driver went to 17 Elm Street instead.", "17 Elm Street", "address"),
    ("We'll send it to 1200 Market Street, San Francisco, CA 94102.", "1200 Market Street", "address"),
    ("Collection is booked from SW1A 1AA on Friday.", "SW1A 1AA", "address"),
    ("Order 113-2849211-0937724 has shipped.", "113-2849211-0937724", "order_number"),
    ("Order number WL-558201 is on its way.", "WL-558201", "order_number"),
    ("Your booking reference is XK4T92, see you Friday!", "XK4T92", "order_number"),
    ("Tracking number 1Z999AA10123456784 shows delivered.", "1Z999AA10123456784", "order_number"),
    ("Case 00418822 was closed by mistake; I've reopened it.", "00418822", "order_number"),
    ("Your account number 88120044 is now unlocked.", "88120044", "account_number"),
    ("Account no. 5521-9931-20 has the credit applied.", "5521-9931-20", "account_number"),
    ("The refund went to GB29 NWBK 6016 1331 9268 19.", "GB29 NWBK 6016 1331 9268 19", "account_number"),
    ("Invoice INV-2026-00431 is attached to your account.", "INV-2026-00431", "order_number"),
    ("Ticket #5531902 has been escalated.", "5531902", "order_number"),
]
# Relabelled when vague_promise joined the promise detector: a promise with no time is vague.
PROMISING = ("We'll send it to", "We're aware some", "We're sorry for any", "Dear Mr O'Brien")
for text, fragment, kind in PATTERNS:
    add(text, expect=["private_data"] + (["vague_promise"] if text.startswith(PROMISING) else []), private=[(fragment, "pattern", kind)], group="private_pattern", brand={"region": "GB"} if "+44" in text or "07700" in text or "SW1A" in text or "GB29" in text else {})
# In a sentence with a polite opening, mixed with harmless numbers.
MIXED = [
    ("Hi there, sorry for the wait! We've written to sasha.p@example.com with the details; the update takes 2-3 business days.", "sasha.p@example.com", "email"),
    ("Thanks for your patience. At 5:30pm we rang 212-555-0147; please call back on 1-800 lines only if needed.", "212-555-0147", "phone"),
    ("Good news: the iOS 17.1.2 fix is out, and order 114-5512093-2201945 ships today at 40% off.", "114-5512093-2201945", "order_number"),
    ("We've added $19.99 back to the card 4242 4242 4242 4242 used on 11/20.", "4242 4242 4242 4242", "card"),
    ("The van (route 12) dropped it at 9 Castle Street by mistake; a new one leaves at 10am.", "9 Castle Street", "address"),
]
for text, fragment, kind in MIXED:
    add(text, expect=["private_data"], private=[(fragment, "pattern", kind)], group="private_pattern")
# Brand-defined patterns.
add("Your claim CLM-7781-AX is with the assessor.", expect=["private_data"],
    private=[("CLM-7781-AX", "pattern", "brand")], group="private_pattern",
    brand={"private_patterns": [{"name": "claim", "pattern": r"CLM-\d{4}-[A-Z]{2}"}]})
add("Membership TW-A-00932 renewed, thanks!", expect=["private_data"],
    private=[("TW-A-00932", "pattern", "brand")], group="private_pattern",
    brand={"private_patterns": {"membership": r"TW-[A-Z]-\d{5}"}})

# --- D. hard negatives for private data ----------------------------------------------------
HARMLESS = [
    "Please update to iOS 17.1.2 and restart the phone.",
    "Delivery takes 2-3 business days; most orders arrive by 5:30pm.",
    "The sale is 40% off until 11/30, and the jacket is $129.99.",
    "You can reach us on 0800 123 4567 any time, or at help@acme.example.",
    "Visit https://example.com/help/article/4411 for the steps.",
    "Our store at 1 Main Street opens at 9am.",
    "Thanks @user_88213, glad it worked!",
    "Version 8.4.12 fixes the crash on Android 14.",
    "Flight BA117 is on time today.",
    "It's step 3 of 4 in the setup guide.",
    "Prices start at £4.99 a month for 30GB.",
    "The recall affects batches 2024-11 and 2024-12 only.",
    "Our 24/7 line is in the footer of the site.",
    "Error 0x80070005 means the update lacked permission; try again as an administrator.",
    "Over 1,250,000 customers switched last year!",
]
for text in HARMLESS:
    add(text, group="private_negative",
        brand={"public_contacts": ["0800 123 4567", "help@acme.example", "1 Main Street"]})

# --- E. length ------------------------------------------------------------------------------
LONG = ("Hi Maya, I'm so sorry about the delay with your delivery. I've checked with the courier and the parcel "
        "was held at the depot because of the storm. It is now on a van and should reach you this afternoon. "
        "If it doesn't arrive by 6 pm, reply here and I'll arrange a full refund straight away, no questions asked.")
add(LONG, expect=["length"], group="length", customer={"first_name": "Maya"})
add(LONG, group="length", customer={"first_name": "Maya"}, visibility="private")
add(LONG, group="length", customer={"first_name": "Maya"}, channel="facebook")
add("申し訳ございません。" * 15, expect=["length"], group="length")
add("申し訳ございません。" * 13, group="length")
add("Hi Tom! 🎉" + "🙌" * 140, expect=["length"], group="length", customer={"first_name": "Tom"})
add("Hi Tom, here are the steps " + " ".join(f"https://example.com/help/{i}/" + "very-long-slug" * 5 for i in range(10)),
    group="length", customer={"first_name": "Tom"})
add("Hi Tom, here are the steps " + " ".join(f"https://example.com/help/{i}" for i in range(12)),
    expect=["length"], group="length", customer={"first_name": "Tom"})
add("Hi Aisha, " + "thanks so much for the feedback on the new app; " * 50, expect=["length"], channel="instagram",
    group="length", customer={"first_name": "Aisha"})
add("Hi Aisha, " + "thanks so much for the feedback on the new app; " * 40, channel="instagram",
    group="length", customer={"first_name": "Aisha"})
add("Hi Aisha, " + "thanks again for your patience while we check this. " * 45, expect=["length"], channel="facebook",
    visibility="private", group="length", customer={"first_name": "Aisha"})
add("a" * 279 + "é", group="length")
add("Hi Ravi, " + "x" * 272, expect=["length"], group="length", customer={"first_name": "Ravi"})
add("Hi Ravi, thanks for the question! " * 300, channel="youtube", expect=["length"], group="length",
    customer={"first_name": "Ravi"})

# --- F. tone ----------------------------------------------------------------------------------
TONE_POS = [
    "As I already said, the refund takes five days.",
    "Like I said, the store closes at 8.",
    "To be fair, the tracking page shows it was delivered.",
    "That's not our fault, the courier lost it.",
    "You should have checked the size guide before ordering.",
    "You failed to enter the promo code at checkout.",
    "If you had read the terms you would know this.",
    "Calm down, we're dealing with it.",
    "Obviously the app needs an internet connection.",
    "It's not rocket science, just restart the router.",
    "Per our policy, opened items cannot be returned.",
    "There is nothing we can do about the weather.",
    "It is what it is, the sale has ended.",
    "Not our department, ask the bank.",
    "You're the only one who has complained about this.",
    "That's a ridiculous thing to say.",
    "Stop complaining and read the manual.",
    "WE HAVE ALREADY REFUNDED YOUR ORDER TWICE",
    "PLEASE STOP MESSAGING US ABOUT THIS ISSUE",
    "With all due respect, the policy is clear.",
    "You must have entered the wrong address.",
    "Deal with it, the price has gone up for everyone.",
    "Nobody else has complained about the new menu.",
    "You clearly didn't read the delivery notes.",
    "Let me explain again: the plan renews monthly.",
]
for text in TONE_POS:
    add(text, expect=["tone"], group="tone")
TONE_JOKES = [
    "Haha, sounds like the parcel went on holiday without you!",
    "lol the app does that sometimes, try again",
    "Oops, my bad! 😂 New one coming.",
    "Nice try, but the code expired yesterday 😜",
    "Welcome to the club, our Wi-Fi hates Mondays too 🙃",
]
for text in TONE_JOKES:
    add(text, expect=["tone"], group="tone", context={"intent": "complaint"})
    add(text, group="tone_negative", context={"intent": "praise"})
TONE_NEG = [
    "I understand how frustrating that is, and I'm sorry. Let's fix it together.",
    "I'm sorry we can't refund this one, but I can offer a free replacement today.",
    "Please restart the app and let us know if the error is still there.",
    "Our policy page explains returns step by step: https://example.com/returns",
    "We're really glad you enjoyed the meal! Thanks for sharing.",
    "The NFL games stream in HD on the TV app from Sunday.",
    "You're right, the delivery was late, and I'm sorry. A refund is on its way today.",
    "Thanks for your patience while we sort this out today.",
    "Simply tap Settings, then Account, then Reset.",
    "I hear you. The queue is long today and I'm sorry for the wait.",
]
for text in TONE_NEG:
    add(text, group="tone_negative")

# --- G. apology liability -------------------------------------------------------------------
LIAB = [
    "We apologize for the delay with your order.",
    "I apologise, this was our mistake.",
    "This is our fault and we take full responsibility.",
    "We messed up here, sorry about that.",
    "My apologies, the wrong item was packed.",
    "Please accept our apologies for the overcharge.",
    "We made a mistake with your bill.",
    "We dropped the ball on this one.",
    "That's on us: the rider had the wrong address.",
    "We sincerely apologize for the outage today.",
    "Our apologies, the store should have been open.",
    "We got this wrong and we're to blame.",
]
for text in LIAB:
    add(text, expect=["apology_liability"], group="apology_liability")
for text in LIAB[:6]:
    add(text, group="apology_known_issue", context={"known_issue": True})
for text in LIAB[6:10]:
    # Under "always apologise" an admission without an apology still lacks the apology.
    expect = [] if ("sorry" in text.lower() or "apolog" in text.lower()) else ["missing_apology"]
    add(text, expect=expect, group="apology_policy_always", brand={"apology_policy": "always_apologise"},
        context={"intent": "complaint"})
SYMPATHY = [
    "I'm so sorry to hear about the delay.",
    "Sorry to hear the jacket didn't fit.",
    "I'm sorry you had to wait so long on the phone.",
    "That sounds really frustrating, I'm sorry.",
    "We're sorry for any inconvenience this caused.",
    "I'm sorry, that's not the experience we want you to have.",
]
for text in SYMPATHY:
    add(text, group="apology_sympathy")

# --- H. missing apology ---------------------------------------------------------------------
ALWAYS = {"apology_policy": "always_apologise"}
NO_APOLOGY = [
    "Your refund has been processed today.",
    "A new router will arrive on Thursday.",
    "The rider has been told about the mix-up and a new meal is on its way today.",
    "Please DM us and we'll check your bill.",
    "Restart the app to clear the error.",
    "The outage was fixed at 3 pm.",
    "We've credited your account with £10.",
    "Our engineers fixed the fault this morning.",
]
for text in NO_APOLOGY:
    add(text, expect=["missing_apology"], group="missing_apology", brand=ALWAYS, context={"intent": "complaint"})
for text in NO_APOLOGY[:4]:
    add(text, group="missing_apology_negative", brand=ALWAYS, context={"intent": "question"})
    add(text, group="missing_apology_negative", context={"intent": "complaint"})
for text in SYMPATHY[:4]:
    add(text, group="missing_apology_negative", brand=ALWAYS, context={"intent": "complaint"})

# --- I. missing name --------------------------------------------------------------------------
NAMELESS = [
    "Thanks for getting in touch! Could you DM us the details?",
    "Glad to hear it's working now.",
    "The store opens at 9 tomorrow.",
    "I'm sorry about the cold meal; a refund is on its way today.",
    "Happy to help with that, send us a DM.",
    "Sorry for the wait, the new plan is live now.",
    "Thank you for the lovely review!",
    "Our team is checking the network in your area and will update you by 4 pm.",
]
for text, name in zip(NAMELESS, ["Maya", "Tom", "Aisha", "Luis", "Hannah", "Kenji", "Sofia", "Liam"]):
    add(text, expect=["missing_name"], group="missing_name", customer={"first_name": name})
WITH_NAME = [
    ("thanks maya, glad it's sorted!", "Maya"),
    ("Zoe, thank you for your patience.", "Zoë"),
    ("Hi JOSÉ, the order is on its way.", "José"),
    ("Hey Anne-Marie! Happy to help.", "Anne-Marie"),
    ("Dear Mr O'Brien, sorry for the wait. Conor, the refund is on its way.", "Conor"),
    ("Hi Kenji-san, thanks for the photo.", "Kenji"),
]
for text, name in WITH_NAME:
    add(text, expect=["vague_promise"] if text.startswith(PROMISING) else [], group="missing_name_negative",
        customer={"first_name": name})

# --- J. missing signature ---------------------------------------------------------------------
SIGN = {"signature_required": True}
AGENTS = [{"first_name": "Priya", "signature": "^PK"}, {"first_name": "Ben"}, {"first_name": "Ana", "signature": "/AM"}]
UNSIGNED = [
    "Thanks for waiting, all sorted now.",
    "Please DM us your details so we can help.",
    "Glad you like it!",
    "The fix rolls out tonight.",
]
for i, text in enumerate(UNSIGNED):
    for agent in AGENTS[:2]:
        add(text, expect=["missing_signature"], group="missing_signature", brand=SIGN, agent=agent)
SIGNED = [
    ("Thanks for waiting, all sorted now. ^PK", AGENTS[0]),
    ("Please DM us your details so we can help. Priya", AGENTS[0]),
    ("Glad you like it! -Ben", AGENTS[1]),
    ("The fix rolls out tonight. /AM", AGENTS[2]),
    ("Ben here: the fix rolls out tonight.", AGENTS[1]),
]
for text, agent in SIGNED:
    add(text, group="missing_signature_negative", brand=SIGN, agent=agent)
for text in UNSIGNED:
    add(text, group="missing_signature_negative", agent=AGENTS[0])

# --- K. blanket statements -------------------------------------------------------------------
CANNED = [
    "We're aware some customers are having trouble logging in and our engineers are working on a fix right now.",
    "Thanks for reaching out. We take all feedback seriously and have shared yours with the relevant team.",
    "We're sorry for any inconvenience. Our team is experiencing high volumes and will respond as soon as possible.",
]
for j, canned in enumerate(CANNED):
    recent = [{"text": f"@cust{i} " + canned, "customer": f"c{i}"} for i in range(4)]
    vague = ["vague_promise"] if canned.startswith(PROMISING) else []
    add("Hi Omar, " + canned, expect=["blanket_statement"] + vague, group="blanket", customer={"first_name": "Omar"},
        context={"recent_replies": recent})
    add(canned + " ^JS", expect=["blanket_statement"] + vague, group="blanket", context={"recent_replies": recent})
    same = [{"text": canned, "customer": "c1"}] * 4
    add(canned, vague, group="blanket_negative", context={"recent_replies": same})
    few = recent[:2]
    add(canned, vague, group="blanket_negative", context={"recent_replies": few})
    varied = [{"text": f"Hi there, thanks for the photo of order problem {i}; we've sent a replacement to you.", "customer": f"c{i}"} for i in range(5)]
    add(canned, vague, group="blanket_negative", context={"recent_replies": varied})
add("Thanks!", group="blanket_negative", context={"recent_replies": [{"text": "Thanks!", "customer": f"c{i}"} for i in range(9)]})

# --- L. vague promises ------------------------------------------------------------------------
VAGUE = [
    "We'll look into it.",
    "Thanks, we'll get back to you soon.",
    "Our team will be in touch.",
    "We're looking into this and will update you shortly.",
    "Someone from our billing team will contact you.",
    "I'll follow up as soon as possible.",
    "We are working on it.",
    "We'll keep you posted.",
    "I'll check with the store and let you know.",
    "You'll hear back from us in due course.",
    "We will investigate and come back to you.",
    "I'm going to escalate this to our specialists.",
    "We're investigating the cause of the outage.",
    "Leave it with me, I'll sort it.",
]
for text in VAGUE:
    add(text, expect=["vague_promise"], group="vague_promise")
TIMED = [
    "We'll look into it and update you by 5 pm today.",
    "I'll call you tomorrow morning.",
    "You'll hear from us within 24 hours.",
    "We're investigating and will post an update at 3:30pm.",
    "Our engineer will visit on Monday between 8 and 12.",
    "I'll check with the store and message you before noon.",
    "We'll get back to you in 2 hours.",
    "Expect an email from our team within 3 business days.",
    "We're looking into this; next update at 14:00.",
    "I'll follow up on Nov 25 with the result.",
]
for text in TIMED:
    add(text, group="vague_promise_negative")
CONDITIONAL = [
    "DM us your order number and we'll look into it.",
    "If you send us a DM, we'll check your account.",
    "Once we have your details in DM we'll get it sorted.",
    "Send us a private message and our team will take a look.",
    "Thanks! Glad we could help.",
    "Our stores will open on Boxing Day as usual.",
]
for text in CONDITIONAL:
    add(text, group="vague_promise_negative")

# --- M. trolls --------------------------------------------------------------------------------
TROLL = {"troll": True}
ARGUE = [
    "Actually, our prices are the lowest in the country.",
    "That's not true, and you know it.",
    "For the record, we have never sold your data.",
    "You claimed we charged you twice, but we didn't.",
    "Let me be clear: the outage lasted ten minutes.",
    "Do your research before posting.",
    "How dare you say that about our staff.",
]
for text in ARGUE:
    add(text, expect=["troll_engagement"] + (["tone"] if "not true" in text else []), group="troll", context=TROLL)
add(("We hear you, and we understand the frustration with the price rise. Our plans include unlimited data, "
     "free roaming in 40 countries, a 30-day money-back guarantee, and a loyalty discount after two years. "
     "We compared them with every major provider last month."), expect=["troll_engagement"], group="troll", context=TROLL)
add("Thanks for your post!", expect=["troll_engagement"], group="troll", context={"intent": "spam"})
add("Hi, DM us if you need a hand with anything.", expect=["troll_engagement"], group="troll", context={"spam": True})
CALM = [
    "Sorry you feel that way. We're here in DM if you need us.",
    "We hear you. If there's anything we can help with, we're a message away.",
    "Thanks for the feedback.",
    "We'd love to help if there's a problem with your account; send us a DM any time.",
]
for text in CALM:
    add(text, group="troll_negative", context=TROLL)
for text in ARGUE[:3]:
    add(text, expect=["tone"] if "not true" in text else [], group="troll_negative", context=TROLL, visibility="private")

# --- N. pile-ons ------------------------------------------------------------------------------
PILE = {"pile_on": True}
for text in ["We're aware of the outage and our engineers are on it. Next update at 3 pm.",
             "Sorry for the trouble today, everyone. We'll post an update here by noon.",
             "Hi Luis, sorry about this. Please DM us so we can check your order."]:
    add(text, expect=["pile_on"], group="pile_on", context=PILE,
        customer={"first_name": "Luis"} if "Luis" in text else None)
    add(text, group="pile_on_negative", context=PILE, visibility="private",
        customer={"first_name": "Luis"} if "Luis" in text else None)
    add(text, group="pile_on_negative", customer={"first_name": "Luis"} if "Luis" in text else None)

# --- O. asking for private data in public -----------------------------------------------------
ASKS = [
    "Please reply with your email address so we can check.",
    "What's your order number?",
    "Can you tweet us your phone number?",
    "Could you share your postcode here?",
    "Let us know the email address on the account and we'll check.",
    "Please post your full name and address below.",
    "What is your account number?",
    "Comment your order number below and we'll sort it.",
    "Can we have your phone number to call you back?",
    "Which email address is linked to your account?",
    "Please send your card details so we can refund you.",
    "Reply with your booking reference and we'll look.",
    "Tell us your date of birth to verify the account.",
    "Could you confirm the last 4 digits of your card?",
    "Please provide your tracking number.",
    "What's the delivery address?",
    "Drop your username and password here and we'll fix it.",
    "Give us your mobile number please.",
]
for text in ASKS:
    # "... and we'll check" waits on the customer: not a vague promise (as in CONDITIONAL above).
    add(text, expect=["public_data_request"], group="public_data_request")
SAFE_ASKS = [
    "Please DM us your order number.",
    "Send us a private message with your account email.",
    "Please don't share your order number here.",
    "Fill in the form here: https://example.com/help with your order details.",
    "What's the issue you're seeing?",
    "Could you DM us the email address on your account?",
    "Follow us and send a DM with your phone number so we can call you.",
    "Please email us at help@acme.example with your order number.",
    "We'll never ask for your password.",
    "Can you tell us which version of the app you have?",
    "For your security, please delete the tweet with your phone number.",
    "Please message us privately with your address.",
    "What's happening when you open the app?",
    "Could you let us know which store you visited?",
]
for text in SAFE_ASKS:
    add(text, group="public_data_request_negative", brand={"public_contacts": ["help@acme.example"]})
for text in ASKS[:8]:
    add(text, group="public_data_request_private", visibility="private")

# --- P. hard mixtures -------------------------------------------------------------------------
add("Hi Maya, as I already said we've emailed maya.wren@example.com. We'll look into it.",
    expect=["tone", "private_data", "vague_promise"], private=[("maya.wren@example.com", "known", "email")],
    group="mixed", customer=CUSTOMERS[0])
add("Calm down Tom. What's your phone number?", expect=["tone", "public_data_request"], group="mixed",
    customer={"first_name": "Tom"})
add("We apologise, our mistake. Reply with your order number and we'll refund it by Friday.",
    expect=["apology_liability", "public_data_request"], group="mixed")
add("Hi Aisha, sorry! Call 020 7946 0321 and quote ACC7781203.", expect=["private_data"],
    private=[("020 7946 0321", "known", "phone"), ("ACC7781203", "known", "account_number")],
    group="mixed", customer=CUSTOMERS[2])
add("Hi\u200b Luis, your order 112\u200b-8831920-4410023 is late.", expect=["private_data"],
    private=[("112\u200b-8831920-4410023", "known", "order_number")], group="mixed", customer=CUSTOMERS[3])
add("<b>Hi Maya</b>, we rang +44 7700 900123 <script>x()</script>", expect=["private_data"],
    private=[("+44 7700 900123", "known", "phone")], group="mixed", customer=CUSTOMERS[0])
add("\u202eHi Tom, call (415) 555-0172\u202c", expect=["private_data"],
    private=[("(415) 555-0172", "known", "phone")], group="mixed", customer=CUSTOMERS[1])

OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in R), encoding="utf-8")
print(f"{len(R)} drafts written to {OUT}")
